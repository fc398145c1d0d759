import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/export/compare.js';
import type { RunResults } from '../../src/results/types.js';
import { sampleOf, variantOf } from '../fixtures/builders.js';
import { goldenRun } from '../fixtures/runs.js';
import { SMALL_RUN } from '../fixtures/small-run.js';

const A = goldenRun();

/** The same run with every cold pull of one variant scaled. */
function withSlowerPull(factor: number): RunResults {
  const b = structuredClone(A);
  b.runId = 'B';
  for (const sample of b.variants.find((variant) => variant.id === 'go-hello/debian-slim')!.samples) {
    if (sample.pullMs !== undefined) {
      sample.totalMs = sample.totalMs! + sample.pullMs * (factor - 1);
      sample.pullMs *= factor;
    }
  }
  return b;
}

const line = (text: string, variant: string, figure: string) =>
  text.split('\n').find((row) => row.startsWith(`| ${variant} | ${figure} |`));

describe('comparing two runs', () => {
  it('gives the ratio of medians and the two-sample shift in words, undecided where the samples are too few', () => {
    const text = compareRuns(A, withSlowerPull(2));
    expect(line(text, 'go-hello/debian-slim', 'pull')).toMatch(
      new RegExp(
        // Each interval with its coverage: three samples' [min, max] covers 75%.
        '^\\| go-hello/debian-slim \\| pull \\| 1400\\.0 \\[1300\\.0–1500\\.0, 75%\\] \\| 2800\\.0 \\[2600\\.0–3000\\.0, 75%\\] ' +
          '\\| 2\\.000 \\| not decided at n = 3: 95% needs more samples',
      ),
    );
    expect(line(text, 'go-hello/scratch', 'pull')).toContain('| 1.000 | not decided at n = 3');
  });

  it('sets how each run sampled side by side: design, samples, wall time, picks decided', () => {
    const b = structuredClone(A);
    b.options.sequential = { looks: [8, 12], lookLevel: 0.975, maxRounds: 12 };
    b.variants[0]!.samples = b.variants[0]!.samples.slice(1);
    // The budget ended it after round 10, between the planned looks: its last look is round 10's, not 12's.
    for (const variant of b.variants) variant.sampling = { rounds: 10, reason: 'budget' };
    const rows = compareRuns(A, b)
      .split('\n')
      .filter((row) => /^\| [AB] \|/.test(row));
    const count = (run: RunResults) => run.variants.reduce((sum, variant) => sum + variant.samples.length, 0);
    expect(rows[0]).toMatch(new RegExp(`^\\| A \\| fixed: ${A.options.repeat} cold, .* \\| ${count(A)} \\|`));
    expect(rows[1]).toMatch(new RegExp(`^\\| B \\| until decided \\(looks at rounds 8, 10; cap 12\\) \\| ${count(b)} \\|`));
    expect(rows[0]).toMatch(/\| \d+ of \d+ \|$/);
  });

  it('says when the two runs were not taken alike', () => {
    const b = withSlowerPull(1);
    b.provenance.engines[0]!.version = '28.0.0';
    expect(compareRuns(A, b)).toContain('- engine version differs: 20.10.24+dfsg1 (A) vs 28.0.0 (B)');
  });

  it('from different hosts sets no milliseconds against each other: each variant is placed within its own run', () => {
    const b = withSlowerPull(2);
    b.provenance.host = { ...b.provenance.host, cpuModel: 'Another CPU', kernel: '6.1.0' };
    const text = compareRuns(A, b);
    expect(text).toContain('Milliseconds from two machines do not compare');
    expect(text).not.toMatch(/B slower|B faster|not decided|\| B\/A \|/);
    // Its pull doubled on B's host: the same place among go's variants, at twice its multiple of the fastest.
    const [, before, after] = /(\d+\.\d\d)× → (\d+\.\d\d)× its language's fastest/.exec(line(text, 'go-hello/debian-slim', 'pull')!)!;
    expect(Number(after) / Number(before)).toBeCloseTo(2, 1);
    // The fixture's three rounds decide nothing at 95%: no rank on either side, the multiples still set side by side.
    expect(line(text, 'go-hello/scratch', 'cold start→response')).toMatch(
      /no rank in either run \(too few rounds to decide\); (\d\.\d\d)× → \1×/,
    );
  });

  it('from different hosts ranks by decisions: a tie on both hosts is the same rank, not a flip of medians', () => {
    // Within each run, scratch and debian-slim swap by 100 ms round by round (a tie) and scratch-upx is 300 ms slower in
    // every round; the medians of the tied two come out in the other order on B's host.
    const runOn = (cpuModel: string, scratchFirst: boolean, roundCount = 8): RunResults => {
      const rounds = [...Array(roundCount).keys()].map((index) => index + 1);
      const run = structuredClone(SMALL_RUN);
      run.provenance.host = { ...run.provenance.host, cpuModel };
      const swing = (round: number) => (round % 2 === 0 ? 100 : -100) + (scratchFirst ? -round : round);
      const samples = (total: (round: number) => number) => rounds.map((round) => sampleOf({ round, totalMs: total(round) }));
      const image = run.variants[0]!.image!;
      run.variants = [
        variantOf(
          'go-hello/scratch',
          samples((round) => 1000 + swing(round)),
          { image },
        ),
        variantOf(
          'go-hello/debian-slim',
          samples((round) => 1000 - swing(round)),
          { image },
        ),
        variantOf(
          'go-hello/scratch-upx',
          samples((round) => 1300 + round),
          { image },
        ),
      ];
      return run;
    };
    const text = compareRuns(runOn('One CPU', true), runOn('Another CPU', false));
    expect(line(text, 'go-hello/scratch', 'cold total')).toContain('| same rank (1= of 3);');
    expect(line(text, 'go-hello/debian-slim', 'cold total')).toContain('| same rank (1= of 3);');
    expect(line(text, 'go-hello/scratch-upx', 'cold total')).toContain('| same rank (3 of 3);');
    // Five rounds can't reach 95% at all: scratch-upx 300 ms slower in every one is still no rank, not "1= of 3".
    const fewRounds = line(compareRuns(runOn('One CPU', true, 5), runOn('Another CPU', false)), 'go-hello/scratch-upx', 'cold total');
    expect(fewRounds).toMatch(
      /\| [\d.]+ \(no rank, 1\.\d\d×\) \| [\d.]+ \(3 of 3, 1\.\d\d×\) \| no rank in A \(too few rounds to decide\);/,
    );
  });

  it('tells apart two machines of one name and hardware by their machine digest, and one machine from itself not', () => {
    const [a, b] = [structuredClone(A), withSlowerPull(2)];
    a.provenance.host = { ...a.provenance.host, name: 'vm', machine: '1a2b3c4d5e6f' };
    b.provenance.host = { ...a.provenance.host, machine: '9f8e7d6c5b4a' };
    const text = compareRuns(a, b);
    expect(text).toContain('A ran on vm [machine 1a2b3c] (');
    expect(text).toContain('Milliseconds from two machines do not compare');
    b.provenance.host = { ...a.provenance.host };
    expect(compareRuns(a, b)).not.toContain('Milliseconds from two machines do not compare');
    // A run from before the digest, on the same name and hardware: one machine, as it was.
    b.provenance.host = { ...a.provenance.host, machine: undefined };
    expect(compareRuns(a, b)).not.toContain('Milliseconds from two machines do not compare');
  });
});
