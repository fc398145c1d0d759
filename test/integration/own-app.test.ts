import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { measuredRun } from '../fixtures/bench-options.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

describe("an app nobody here wrote: README's worked example", () => {
  const outDir = suiteTempDir();

  it('measures BusyBox httpd on scratch, built on plain Debian, labelled with its own language', async () => {
    const results = await measuredRun({
      scenarios: [path.join(PROJECT_ROOT, 'examples', 'busybox-httpd', 'scenario.yaml')],
      variantFilter: ['scratch'],
      warmRepeat: 1,
      outDir: outDir(),
    });
    const [variant] = results.variants;
    expect([variant!.id, variant!.language, variant!.state, variant!.reason]).toEqual([
      'busybox-httpd/scratch',
      'c',
      'completed',
      undefined,
    ]);
    expect(variant!.samples.map((sample) => `${sample.kind}:${sample.httpStatus}`)).toEqual(['cold:200', 'warm:200']);
    expect(variant!.bases.map((base) => [base.role, base.name])).toEqual([
      ['builder', 'debian-bookworm'],
      ['runtime', 'scratch'],
    ]);
    // BusyBox prints no timeline lines: the sample has the engine's phase only.
    const timeline = variant!.samples[1]!.timeline!;
    expect(timeline.processStartedMs).toBeGreaterThan(0);
    expect([timeline.enteredMs, timeline.listeningMs]).toEqual([undefined, undefined]);
  });
});
