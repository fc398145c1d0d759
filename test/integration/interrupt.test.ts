import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectEngine } from '../../src/engine/connect.js';
import { silentLogger } from '../../src/common/log.js';
import type { RunResults } from '../../src/results/types.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';
import { benchNeverAnswers, waitForOutput } from '../fixtures/bench-process.js';

describe('a signal during a run (Ctrl-C, or SIGTERM from a cancelled CI job or docker stop)', () => {
  const tempDir = suiteTempDir();

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s removes the run’s containers and images, stops its registry, keeps what was measured and exits %i',
    async (signal, code) => {
      const outDir = path.join(tempDir(), signal);
      const bench = benchNeverAnswers(outDir, 2);
      // Interrupt while a later sample's container is up and being probed.
      await waitForOutput(bench, 'failing/never-answers cold', 5 * 60_000);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      // Kinds are shuffled together in a round: count the samples taken before the signal (each 2 s, so none ends meanwhile).
      const taken = (bench.output().match(/failing\/never-answers (cold|base-cached|warm)/g) ?? []).length;
      bench.child.kill(signal);
      expect(await bench.exited).toBe(code);

      const runId = /Run (\S+):/.exec(bench.output())![1]!;
      const registryUrl = /Registry up at (http:\/\/127\.0\.0\.1:\d+)/.exec(bench.output())![1]!;
      const engine = await connectEngine(silentLogger);
      expect(await engine.containers.removeLabelled('basebench.run', runId)).toBe(0);
      await expect(fetch(`${registryUrl}/v2/`)).rejects.toThrow();
      const registryHost = new URL(registryUrl).host;
      const leftovers = (await engine.images.list()).filter((image) => image.tags.some((tag) => tag.startsWith(`${registryHost}/`)));
      expect(leftovers).toEqual([]);

      const results = JSON.parse(readFileSync(path.join(outDir, runId, 'results.json'), 'utf8')) as RunResults;
      expect(results.state).toBe('interrupted');
      expect(bench.output()).toMatch(/Stopped \(interrupted\): \d+ variant\(s\) measured/);
      expect(taken).toBeGreaterThan(0);
      expect(results.variants[0]!.samples).toHaveLength(taken);
    },
  );
});
