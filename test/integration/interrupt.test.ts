import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connectEngine } from '../../src/engine/connect.js';
import { silentLogger } from '../../src/common/log.js';
import type { RunResults } from '../../src/results/types.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'failing', 'scenario.yaml');

/** Resolves once `text` appears on the stream, or rejects after `timeoutMs` with what the stream said. */
function waitForOutput(stream: NodeJS.ReadableStream, text: string, timeoutMs: number): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "${text}" within ${timeoutMs / 1000} s; the run said:\n${output.slice(-2000)}`)),
      timeoutMs,
    );
    stream.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(text)) {
        clearTimeout(timer);
        resolve(output);
      }
    });
  });
}

describe('a signal during a run (Ctrl-C, or SIGTERM from a cancelled CI job or docker stop)', () => {
  const tempDir = suiteTempDir();

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s removes the run’s containers and images, stops its registry, keeps what was measured and exits %i',
    async (signal, code) => {
      const outDir = path.join(tempDir(), signal);
      const bench = spawn(
        process.execPath,
        [
          'bin/basebench.js',
          'bench',
          '--scenario',
          FIXTURE,
          '--variant',
          'never-answers',
          '--repeat',
          '5',
          '--timeout',
          '2',
          '--out',
          outDir,
        ],
        { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      bench.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => bench.on('exit', (code) => resolve(code)));
      // Interrupt while the second cold sample's container is up and being probed.
      await waitForOutput(bench.stderr, 'failing/never-answers cold', 5 * 60_000);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      bench.kill(signal);
      expect(await exited).toBe(code);

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
    },
  );
});
