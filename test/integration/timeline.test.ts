import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectionDelay, probeLag } from '../../src/report/timeline-table.js';
import type { RunResults } from '../../src/results/types.js';
import { measuredRun } from '../fixtures/bench-options.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

/** One variant per language: each sample app prints its entered and listening lines. */
const ONE_PER_LANGUAGE = [
  'go-hello/scratch',
  'rust-hello/scratch',
  'node-hello/node-20-slim',
  'python-hello/python-3.12-slim',
  'java-hello/jre',
];

describe('the timeline of a sample, in all five languages', () => {
  let results: RunResults;
  const tempDir = suiteTempDir();
  let outDir: string;

  beforeAll(async () => {
    outDir = tempDir();
    results = await measuredRun({ variantFilter: ONE_PER_LANGUAGE, repeat: 1, warmRepeat: 2, outDir });
  });

  it("reads each app's stamps on the harness's clock, and the phases come in order", () => {
    expect(results.variants.map((variant) => [variant.id, variant.state])).toEqual(
      expect.arrayContaining(ONE_PER_LANGUAGE.map((id) => [id, 'completed'])),
    );
    for (const variant of results.variants) {
      expect(variant.samples.length, variant.id).toBe(3);
      for (const sample of variant.samples) {
        const where = `${variant.id} ${sample.kind} ${sample.repetition}`;
        expect(sample.state, where).toBe('completed');
        const timeline = sample.timeline!;
        expect(timeline.clockShared, where).toBe(true);
        expect(timeline.processStartedMs, where).toBeDefined();
        // Entered main, then listening, then the first correct response; the probe's answer went out before it came back.
        expect(timeline.enteredMs, where).toBeLessThanOrEqual(timeline.listeningMs!);
        expect(timeline.listeningMs, where).toBeLessThanOrEqual(sample.startToFirstResponseMs!);
        expect(timeline.enteredMs, where).toBeGreaterThan(-sample.createMs!);
        const answer = sample.probe!.answer!;
        expect(answer.sentMs + answer.durationMs, where).toBeLessThanOrEqual(sample.startToFirstResponseMs! + 0.001);
        expect(detectionDelay(sample), where).toBeGreaterThanOrEqual(0);
        expect(probeLag(sample), where).toBeGreaterThanOrEqual(0);
        expect(probeLag(sample), where).toBeLessThanOrEqual(detectionDelay(sample)!);
      }
    }
  });

  it('reports where a warm start goes, per variant', () => {
    const report = readFileSync(path.join(outDir, results.runId, 'report.md'), 'utf8');
    const section = report.slice(report.indexOf('## Where a warm start goes'));
    expect(section).toContain('of which the probe’s lag');
    for (const id of ONE_PER_LANGUAGE) expect(section).toMatch(new RegExp(`\\| ${id} \\| -?[0-9.]+ ms \\| [0-9.]+ ms \\| [0-9.]+ ms \\|`));
  });
});
