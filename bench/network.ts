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
import { connectEngine } from '../src/engine/connect.js';
import { markdownTable } from '../src/report/markdown-table.js';
import type { Logger } from '../src/common/log.js';
import { provenanceLine, writeBenchmarkPage } from './page.js';
import { makeCold } from '../src/measure/cold-cache.js';
import { summarisePull, type TimedProgressEvent } from '../src/measure/cold-pull.js';
import { spread } from '../src/common/stats.js';
import { idealTransferMs, NAMED_PROFILES, type NetworkProfile } from '../src/network/profiles.js';
import { startThrottleProxy } from '../src/network/throttle-proxy.js';
import { PULL_ROUND_TRIPS } from '../src/report/network-table.js';
import { REGISTRY_BINARY, registryConfig } from '../src/registry/registry.js';
import { startHelperRegistry } from '../src/pipeline/helper-registry.js';
import type { RunStateFile } from '../src/pipeline/run-state.js';
import { fetchManifestFacts } from '../src/registry/manifest.js';
import { startKernelLink } from '../src/network/kernel-link.js';
import { pollUntil } from '../src/common/poll.js';

/** Both tables: a profile and its link, then figures. */
const PROFILE_COLUMNS_NUMERIC = [false, false, true, true, true, true];

const PAYLOAD_BYTES = 16 * 1024 * 1024;

/** Time to read a whole HTTP response body, with the same client (Node's fetch) on either path. */
async function timedFetch(url: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
  let bytes = 0;
  for await (const chunk of response.body) bytes += (chunk as Uint8Array).length;
  return { ms: performance.now() - started, bytes };
}

/**
 * The proxy against the kernel's shaping: the same blob, fetched by the same client, through the
 * proxy and through a veth pair into a namespace shaped with tc (registry inside, on the same
 * storage). Where the kernel has no netem, both paths are rate only (the proxy's RTT set to 0).
 */
async function kernelYardstick(
  profiles: readonly NetworkProfile[],
  registry: { url: string; host: string; storage?: string },
  blobPath: string,
  repeat: number,
  log: Logger,
  state: RunStateFile,
): Promise<string[]> {
  if (process.getuid?.() !== 0 || !registry.storage) {
    return ["The kernel yardstick needs root (a network namespace, a veth pair, tc) and the run's own registry: not run."];
  }
  const rows: string[][] = [];
  let delayNote = '';
  for (const profile of profiles) {
    const link = await startKernelLink({
      bitsPerSecond: profile.bitsPerSecond,
      rttMs: profile.rttMs,
      tag: `${process.pid % 10000}`,
      recordCreated: ({ namespace, hostEnd }) =>
        state.record((record) => {
          if (!record.namespaces?.includes(namespace)) record.namespaces = [...(record.namespaces ?? []), namespace];
          if (!record.bridges.includes(hostEnd)) record.bridges.push(hostEnd);
        }),
    });
    const config = path.join(registry.storage, 'kernel-link.yml');
    writeFileSync(config, registryConfig(path.join(registry.storage, 'data'), `${link.address}:5000`, 'error'));
    const server = link.exec(REGISTRY_BINARY, ['serve', config]);
    const rtt = link.delay.added ? profile.rttMs : 0;
    if (!link.delay.added) delayNote = `Rate only: ${link.delay.why}, so the proxy ran with no RTT either.`;
    const proxy = await startThrottleProxy({ host: '127.0.0.1', port: Number(registry.host.split(':')[1]) }, { ...profile, rttMs: rtt });
    try {
      const kernelUrl = `http://${link.address}:5000${blobPath}`;
      if (
        !(await pollUntil(
          () =>
            fetch(`http://${link.address}:5000/v2/`).then(
              (r) => r.ok,
              () => false,
            ),
          { timeoutMs: 10_000, intervalMs: 50 },
        ))
      ) {
        throw new Error(`the registry inside ${link.namespace} did not answer`);
      }
      const kernel: number[] = [];
      const proxied: number[] = [];
      let bytes = 0;
      for (let repetition = 1; repetition <= repeat; repetition += 1) {
        const viaKernel = await timedFetch(kernelUrl);
        const viaProxy = await timedFetch(`http://127.0.0.1:${proxy.port}${blobPath}`);
        kernel.push(viaKernel.ms);
        proxied.push(viaProxy.ms);
        bytes = viaKernel.bytes;
      }
      const [kernelMs, proxyMs] = [spread(kernel).median!, spread(proxied).median!];
      const ratio = proxyMs / kernelMs;
      log.info(`${profile.name}: kernel ${kernelMs.toFixed(0)} ms, proxy ${proxyMs.toFixed(0)} ms (${ratio.toFixed(2)}×)`);
      rows.push([
        profile.name,
        `${profile.bitsPerSecond / 1e6} Mbit/s${rtt ? `, ${rtt} ms` : ''}`,
        `${(bytes / 1e6).toFixed(2)} MB`,
        `${kernelMs.toFixed(0)} ms`,
        `${proxyMs.toFixed(0)} ms`,
        `${ratio.toFixed(2)}×${Math.abs(ratio - 1) > 0.1 ? (ratio < 1 ? ' (proxy optimistic)' : ' (proxy pessimistic)') : ''}`,
      ]);
    } finally {
      await proxy.stop();
      server.kill('SIGTERM');
      await server.catch(() => undefined);
      await link.close();
    }
  }
  return [
    '## The proxy against the kernel',
    '',
    markdownTable(['profile', 'link', 'blob', 'kernel (tc tbf, veth)', 'proxy', 'proxy / kernel'], rows, PROFILE_COLUMNS_NUMERIC),
    '',
    `The same gzip blob fetched whole by the same client (Node's fetch), ${repeat} times each way, alternating (medians): ` +
      'through the throttling proxy on 127.0.0.1, and from the registry (same storage) inside a network namespace over a veth ' +
      'pair shaped by tc tbf at the same rate on both ends. More than 10% apart is flagged. ' +
      delayNote,
  ];
}

/** Pulls a 16 MiB layer through each profile `REPEAT` times and writes network.md under `outDir`. */
export async function runNetwork(REPEAT: number, outDir: string, log: Logger): Promise<void> {
  const engine = await connectEngine(log);
  const helper = await startHelperRegistry(engine, log, 'bench-network');
  const { registry } = helper;
  const context = mkdtempSync(path.join(os.tmpdir(), 'basebench-network-'));
  helper.state.record((record) => record.folders.push(context));
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
    const manifest = await fetchManifestFacts(registry.url, 'basebench/network-payload', '16m');
    const yardstick = await kernelYardstick(
      profiles,
      registry,
      `/v2/basebench/network-payload/blobs/${manifest.layers[0]!.digest}`,
      REPEAT,
      log,
      helper.state,
    );
    const report = [
      '# basebench network profiles',
      '',
      `${new Date().toISOString()}; a ${PAYLOAD_BYTES / 2 ** 20} MiB random layer on scratch, ${REPEAT} cold pulls per profile ` +
        `(median), engine ${(await engine.facts()).version}; ${await provenanceLine()}.`,
      '',
      markdownTable(
        ['profile', 'link', 'bytes through the proxy', 'ideal', 'transfer (vs ideal)', 'whole pull (vs ideal)'],
        rows,
        PROFILE_COLUMNS_NUMERIC,
      ),
      '',
      `Ideal = bytes × 8 / rate + ${PULL_ROUND_TRIPS} round trips (/v2/, manifest, blobs). Transfer ends at the layer's "Download ` +
        `complete"; the whole pull adds the extraction that follows it, the engine's own work, which is what dominates on a fast link.`,
      '',
      ...yardstick,
      '',
    ].join('\n');
    writeBenchmarkPage(outDir, 'network.md', report);
  } finally {
    rmSync(context, { recursive: true, force: true });
    await helper.close();
  }
}
