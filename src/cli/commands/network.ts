/**
 * basebench network — how close shaped pulls come to the link's limit (a benchmark, not a
 * test). Pulls one image of known size, 16 MB of random (incompressible) bytes on scratch,
 * through each network profile, cold each time, and sets the time against the ideal
 * size / rate + round trips.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectEngine } from '../../engine/connect.js';
import { markdownTable } from '../../report/markdown-table.js';
import type { Logger } from '../../common/log.js';
import { z } from 'zod';
import { writeBenchmarkPage } from './benchmark-page.js';
import { command, integerOption } from '../command.js';
import { makeCold } from '../../measure/cold-cache.js';
import { summarisePull, type TimedProgressEvent } from '../../pipeline/measure-variant.js';
import { spread } from '../../common/stats.js';
import { idealTransferMs, NAMED_PROFILES, type NetworkProfile } from '../../network/profiles.js';
import { startThrottleProxy } from '../../network/throttle-proxy.js';
import { PULL_ROUND_TRIPS } from '../../report/network-table.js';
import { startLocalRegistry } from '../../registry/registry.js';

const PAYLOAD_BYTES = 16 * 1024 * 1024;

async function main(REPEAT: number, log: Logger): Promise<void> {
  const engine = await connectEngine(log);
  const registry = await startLocalRegistry(engine, log, 'bench-network');
  const context = mkdtempSync(path.join(os.tmpdir(), 'basebench-network-'));
  try {
    writeFileSync(path.join(context, 'payload'), randomBytes(PAYLOAD_BYTES));
    writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY payload /payload\n');
    const ref = `${registry.host}/basebench/network-payload:16m`;
    await engine.images.build({ contextDir: context, dockerfile: 'Dockerfile', tag: ref, buildArgs: {}, onOutput: () => {} });
    await engine.images.push(ref);
    const diffIds = (await engine.images.inspect(ref))!.diffIds;

    const profiles = Object.values(NAMED_PROFILES).filter((profile): profile is NetworkProfile => profile !== null);
    const rows: string[][] = [];
    for (const profile of profiles) {
      const proxy = await startThrottleProxy({ host: '127.0.0.1', port: Number(registry.host.split(':')[1]) }, profile);
      const shapedRef = `127.0.0.1:${proxy.port}/basebench/network-payload:16m`;
      const times: number[] = [];
      const transfers: number[] = [];
      const bytes: number[] = [];
      try {
        for (let repetition = 1; repetition <= REPEAT; repetition += 1) {
          await makeCold(engine.images, diffIds);
          const before = proxy.bytes().down;
          const events: TimedProgressEvent[] = [];
          const started = performance.now();
          await engine.images.pull(shapedRef, (event) => events.push({ ...event, at: performance.now() }));
          const ended = performance.now();
          times.push(ended - started);
          transfers.push(summarisePull(events, started, ended).transferMs ?? ended - started);
          bytes.push(proxy.bytes().down - before);
        }
      } finally {
        await proxy.stop();
        await engine.images.remove(shapedRef);
      }
      const measured = spread(times).median!;
      const transfer = spread(transfers).median!;
      const carried = spread(bytes).median!;
      const ideal = idealTransferMs(profile, carried, PULL_ROUND_TRIPS);
      log.info(
        `${profile.name}: transfer ${transfer.toFixed(0)} ms, pull ${measured.toFixed(0)} ms for ${(carried / 1e6).toFixed(2)} MB, ` +
          `ideal ${ideal.toFixed(0)} ms`,
      );
      rows.push([
        profile.name,
        `${profile.bitsPerSecond / 1e6} Mbit/s, ${profile.rttMs} ms`,
        `${(carried / 1e6).toFixed(2)} MB`,
        `${ideal.toFixed(0)} ms`,
        `${transfer.toFixed(0)} ms (${((transfer / ideal - 1) * 100).toFixed(1)}%)`,
        `${measured.toFixed(0)} ms (${((measured / ideal - 1) * 100).toFixed(1)}%)`,
      ]);
    }
    await engine.images.remove(ref);
    const report = [
      '# basebench network profiles',
      '',
      `${new Date().toISOString()}; a ${PAYLOAD_BYTES / 2 ** 20} MiB random layer on scratch, ${REPEAT} cold pulls per profile ` +
        `(median), engine ${(await engine.facts()).version}.`,
      '',
      markdownTable(['profile', 'link', 'bytes through the proxy', 'ideal', 'transfer (vs ideal)', 'whole pull (vs ideal)'], rows, [
        false,
        false,
        true,
        true,
        true,
        true,
      ]),
      '',
      `Ideal = bytes × 8 / rate + ${PULL_ROUND_TRIPS} round trips (/v2/, manifest, blobs). Transfer ends at the layer's "Download ` +
        `complete"; the whole pull adds the extraction that follows it, the engine's own work, which is what dominates on a fast link.`,
      '',
    ].join('\n');
    writeBenchmarkPage('network.md', report);
  } finally {
    rmSync(context, { recursive: true, force: true });
    await registry.stop();
  }
}

export const networkCommand = command({
  name: 'network',
  summary: "A 16 MiB layer pulled cold through each network profile against the link's ideal (Docker);\nwrites results/network.md.",
  options: { repeat: { type: 'string', value: 'N', help: 'cold pulls per profile (default 3)' } },
  schema: z.object({ repeat: integerOption(1, 3), positionals: z.array(z.string()) }),
  async run(values, log) {
    await main(values.repeat, log);
    return 0;
  },
});
