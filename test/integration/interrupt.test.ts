import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connectEngine } from '../../src/engine/connect.js';
import { silentLogger } from '../../src/log.js';
import type { RunResults } from '../../src/results/types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'failing', 'scenario.yaml');

describe('Ctrl-C during a run', () => {
  it('removes the run’s containers and images, stops its registry and keeps what was measured', async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'basebench-it-'));
    const bench = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--scenario', FIXTURE, '--variant', 'never-answers', '--repeat', '5', '--timeout', '2', '--out', outDir],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => bench.on('exit', (code) => resolve(code)));
    // Interrupt while the second cold sample's container is up and being probed.
    await new Promise<void>((resolve) => {
      bench.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('failing/never-answers cold')) setTimeout(resolve, 1000);
      });
    });
    bench.kill('SIGINT');
    expect(await exited).toBe(130);

    const runId = /Run (\S+):/.exec(stderr)![1]!;
    const registryUrl = /Registry up at (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)![1]!;
    const engine = await connectEngine(silentLogger);
    expect(await engine.containers.removeLabelled('basebench.run', runId)).toBe(0);
    await expect(fetch(`${registryUrl}/v2/`)).rejects.toThrow();
    const registryHost = new URL(registryUrl).host;
    const leftovers = (await engine.images.list()).filter((image) => image.tags.some((tag) => tag.startsWith(`${registryHost}/`)));
    expect(leftovers).toEqual([]);

    const results = JSON.parse(readFileSync(path.join(outDir, runId, 'results.json'), 'utf8')) as RunResults;
    expect(results.state).toBe('interrupted');
    expect(results.variants[0]!.samples).toHaveLength(1);
  });
});
