import { describe, expect, it } from 'vitest';
import { dockerAndPodman, sampleOf, variantOf } from '../fixtures/builders.js';
import { stillOpen } from '../../src/pipeline/until-decided.js';
import type { RunResults, Sample, VariantResult } from '../../src/results/types.js';
import { SMALL_RUN } from '../fixtures/small-run.js';

const ROUNDS = 12;

/** Round r's cold and warm sample of a variant: the figures `at(r)` gives, on an engine and compression. */
function samplesOf(
  at: (round: number) => { total: number; warm: number; pull?: number },
  where: Pick<Sample, 'engine' | 'compression'>,
): Sample[] {
  return Array.from({ length: ROUNDS }, (_, index) => index + 1).flatMap((round) => {
    const { total, warm, pull = total / 2 } = at(round);
    return [
      sampleOf({ ...where, round, repetition: round, totalMs: total, pullMs: pull, startToFirstResponseMs: total - pull }),
      sampleOf({ ...where, kind: 'warm', round, repetition: round, startToFirstResponseMs: warm, totalMs: warm }),
    ];
  });
}

/** The same jitter for every variant of a round would cancel; this one differs per variant, as a machine's does. */
const jitter = (round: number, salt: number) => ((round * 7919 + salt * 104_729) % 41) - 20;

const image = { ref: 'x', digest: 'sha256:x', compressedBytes: 1, uncompressedBytes: 1, layerCount: 1, diffIds: [] };

/**
 * Go on scratch (fast) and on Debian slim (slow: out of every pick), and the floor, measured in 12 rounds on docker,
 * and on podman and with zstd layers as `other` makes them from docker's figures.
 */
function runOf(other?: { podman?: (sample: Sample) => Sample | undefined; zstd?: (sample: Sample) => Sample | undefined }): RunResults {
  const run = structuredClone(SMALL_RUN);
  const docker = { engine: 'docker', compression: 'gzip' } as const;
  const variants: VariantResult[] = [
    variantOf(
      'go-hello/scratch',
      samplesOf((round) => ({ total: 400 + jitter(round, 1), warm: 200 + jitter(round, 2) }), docker),
    ),
    variantOf(
      'go-hello/debian-slim',
      samplesOf((round) => ({ total: 2000 + jitter(round, 3), warm: 600 + jitter(round, 4) }), docker),
    ),
    variantOf(
      'floor/scratch',
      samplesOf((round) => ({ total: 300 + jitter(round, 5), warm: 190 + jitter(round, 6) }), docker),
      {
        floor: true,
        language: 'c',
      },
    ),
  ].map((variant) => ({ ...variant, image }));
  if (other) {
    run.provenance.engines = dockerAndPodman();
    run.provenance.engines[1]!.zstd = { reads: true };
    run.options.compressions = other.zstd ? ['gzip', 'zstd'] : ['gzip'];
    for (const variant of variants) {
      const mine = variant.samples;
      const podman = other.podman ? mine.flatMap((sample) => other.podman!(sample) ?? []) : [];
      const zstd = other.zstd ? podman.flatMap((sample) => (sample.kind === 'cold' ? (other.zstd!(sample) ?? []) : [])) : [];
      variant.samples = [...mine, ...podman, ...zstd];
    }
  }
  run.variants = variants;
  return run;
}

const open = (run: RunResults) => [...stillOpen(run, run.variants)].sort();

describe('sampling until decided: which variants the next rounds sample', () => {
  it('none, once the picks are decided on the one engine (the floor goes only while something else does)', () => {
    expect(open(runOf())).toEqual([]);
  });

  it('a run of two engines keeps a variant while its comparison with the first engine is open, and no longer', () => {
    // Podman as fast as docker for scratch (its own jitter: a tie), twice as fast for Debian slim (decided, and
    // still slower than scratch on podman: out of podman's picks too).
    const run = runOf({
      podman: (sample) => {
        const factor = sample.totalMs! > 1000 || sample.startToFirstResponseMs! > 500 ? 1 / 2 : 1;
        const noise = jitter(sample.round!, sample.kind === 'cold' ? 11 : 12);
        return {
          ...sample,
          engine: 'podman',
          totalMs: sample.totalMs! * factor + noise,
          startToFirstResponseMs: sample.startToFirstResponseMs! * factor + noise,
        };
      },
    });
    expect(open(run)).toEqual(['floor/scratch', 'go-hello/scratch']);
    // The same run with podman clearly slower everywhere: every comparison decided, nothing open.
    const slower = runOf({
      podman: (sample) => ({
        ...sample,
        engine: 'podman',
        totalMs: sample.totalMs! + 500 + jitter(sample.round!, 13),
        startToFirstResponseMs: sample.startToFirstResponseMs! + 500 + jitter(sample.round!, 14),
      }),
    });
    expect(open(slower)).toEqual([]);
  });

  it('keeps a variant while its zstd pull against gzip is open', () => {
    const podman = (sample: Sample): Sample => ({
      ...sample,
      engine: 'podman',
      totalMs: sample.totalMs! + 500 + jitter(sample.round!, 13),
      startToFirstResponseMs: sample.startToFirstResponseMs! + 500 + jitter(sample.round!, 14),
    });
    // zstd pulls Debian slim in 60% of the time (decided), scratch in the same time give or take (open).
    const run = runOf({
      podman,
      zstd: (sample) => ({
        ...sample,
        compression: 'zstd',
        pullMs: (sample.pullMs! > 500 ? sample.pullMs! * 0.6 : sample.pullMs!) + jitter(sample.round!, 15),
      }),
    });
    expect(open(run)).toEqual(['floor/scratch', 'go-hello/scratch']);
  });

  it('does not keep a variant for a comparison no round measured both sides of', () => {
    // Podman never started Debian slim: nothing to compare there, and nothing more rounds could add.
    const run = runOf({
      podman: (sample) =>
        sample.totalMs! > 1000 || sample.startToFirstResponseMs! > 500
          ? { ...sample, engine: 'podman', state: 'failed', totalMs: undefined, startToFirstResponseMs: undefined }
          : { ...sample, engine: 'podman', totalMs: sample.totalMs! + 500, startToFirstResponseMs: sample.startToFirstResponseMs! + 500 },
    });
    expect(open(run)).toEqual([]);
  });
});
