import { coldAndWarmPlan, dockerAndPodman, sampleOf, variantOf } from '../fixtures/builders.js';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/export/compare.js';
import { summaryCsv } from '../../src/export/summary-csv.js';
import { scheduleSamples } from '../../src/measure/schedule.js';
import { engineTable } from '../../src/report/engine-table.js';
import { answerTable } from '../../src/report/answer-table.js';
import type { RunResults, Sample } from '../../src/results/types.js';
import { primaryView, viewOn, views } from '../../src/results/views.js';
import { SMALL_RUN } from '../fixtures/small-run.js';

/** The small run as if measured on docker and podman, podman's samples twice as slow, plus zstd cold samples on podman. */
function twoEngineRun(): RunResults {
  const run = structuredClone(SMALL_RUN);
  run.options.compressions = ['gzip', 'zstd'];
  run.provenance.engines = dockerAndPodman();
  for (const variant of run.variants) {
    const docker = variant.samples;
    const slower = (sample: Sample): Sample => ({
      ...sample,
      engine: 'podman',
      totalMs: sample.totalMs && sample.totalMs * 2,
      startToFirstResponseMs: sample.startToFirstResponseMs && sample.startToFirstResponseMs * 2,
    });
    const podman = variant.samples.map(slower);
    const zstd = variant.samples
      .filter((sample) => sample.kind === 'cold')
      .map((sample): Sample => ({ ...slower(sample), compression: 'zstd', pullMs: 1 }));
    variant.samples = [...docker, ...podman, ...zstd];
  }
  return run;
}

describe('a run on several engines, read one engine and compression at a time', () => {
  it('never mixes engines or compressions in a view', () => {
    const run = twoEngineRun();
    const podmanZstd = viewOn(run, 'podman', 'zstd');
    const samples = podmanZstd.variants.flatMap((variant) => variant.samples);
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.every((sample) => sample.engine === 'podman' && sample.compression === 'zstd' && sample.kind === 'cold')).toBe(true);
    expect(
      primaryView(run)
        .variants.flatMap((variant) => variant.samples)
        .every((sample) => sample.engine === 'docker' && sample.compression === 'gzip'),
    ).toBe(true);
  });

  it('lists docker (gzip), podman (gzip) and podman (zstd) as its views, and summary.csv has one row per variant in each', () => {
    const run = twoEngineRun();
    expect(views(run).map((view) => `${view.engine.name}/${view.compression}`)).toEqual(['docker/gzip', 'podman/gzip', 'podman/zstd']);
    const rows = parse(summaryCsv(run), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((row) => `${row.variant_id} ${row.engine} ${row.compression}`)).toEqual(
      ['docker gzip', 'podman gzip', 'podman zstd'].flatMap((where) => run.variants.map((variant) => `${variant.id} ${where}`)),
    );
  });

  it('compares each engine with the first as a ratio of medians', () => {
    const table = engineTable(twoEngineRun());
    const podmanRow = table.rows.find((row) => row[0] === 'go-hello/debian-slim' && row[1] === 'podman')!;
    // Cold total doubled on podman: 2.00×, but three rounds can't decide at 95%, and the cell says so rather than "slower".
    expect(podmanRow[6]).toBe('2.00×: not decided at n = 3: 95% needs 6 rounds (910 ms to 1.75 s slower, 75%)');
  });

  it('compares one engine of a run with another, as npm run compare -- run@docker run@podman does', () => {
    const run = twoEngineRun();
    const text = compareRuns(viewOn(run, 'docker'), viewOn(run, 'podman'));
    expect(text).toContain(
      '- engine differs: docker (Docker Engine 20.10.24, classic store, runc) (A) vs podman (Podman 4.3.1, containers/storage, runc) (B)',
    );
    // Two engines of one run took their samples in the same rounds: paired by round, as the run's engine table pairs
    // them (three rounds can't reach 95%, and it says how many would), where two runs get a two-sample shift.
    expect(text.split('\n').find((row) => row.startsWith('| go-hello/debian-slim | cold total |'))).toMatch(
      /\| 2\.000 \| not decided at n = 3: 95% needs 6 rounds \(B 910 ms to 1\.75 s slower, 75%\) \|$/,
    );
    expect(text).toContain('two views of one run, sampled in the same rounds');
  });

  it('answers on the first engine with gzip layers, and says so: pooled pairs would answer for no engine in particular', () => {
    // On docker scratch starts 50 ms before debian-slim in every round, on podman 50 ms after: pooled, a tie.
    const run = structuredClone(SMALL_RUN);
    run.provenance.engines = dockerAndPodman();
    const rounds = [...Array(8).keys()].map((index) => index + 1);
    const samplesOf = (docker: number, podman: number) =>
      rounds.flatMap((round) => [
        sampleOf({ round, engine: 'docker', totalMs: docker + round }),
        sampleOf({ round, engine: 'podman', totalMs: podman + round }),
      ]);
    run.variants = [
      variantOf('go-hello/scratch', samplesOf(1000, 1100), { image: { ...run.variants[0]!.image!, compressedBytes: 2e6 } }),
      variantOf('go-hello/debian-slim', samplesOf(1050, 1050), { image: run.variants[0]!.image! }),
    ];
    const answer = answerTable(run);
    expect(answer.rows[0]!.slice(0, 3)).toEqual(['go', 'cold', 'scratch']);
    expect(answer.rows[0]![4]).toContain('faster by 50 ms');
    expect(answerTable(viewOn(run, 'podman')).rows[0]![2]).toBe('debian-slim');
    expect(answer.notes?.join(' ')).toContain('Measured on docker (Docker Engine 20.10.24, classic store, runc) with gzip layers');
    expect(answerTable(viewOn(run, 'docker')).notes?.join(' ')).not.toContain('Measured on');
  });

  it('refuses a view on an engine the run does not have', () => {
    expect(() => viewOn(twoEngineRun(), 'containerd')).toThrow(/has no engine "containerd" \(it has docker, podman\)/);
  });
});

describe('the schedule across engines', () => {
  it('takes every variant on every engine once per round, shuffled together', () => {
    const rounds = scheduleSamples(
      coldAndWarmPlan({
        variants: ['a', 'b'],
        cold: 2,
        warm: 1,
        warmup: 0,
        seed: 5,
        pullPaths: [{ engine: 'docker' }, { engine: 'podman' }, { engine: 'podman', compression: 'zstd' }],
        engines: ['docker', 'podman'],
      }),
    );
    const label = (slot: (typeof rounds)[number][number]) => `${slot.variant} ${slot.engine}${slot.compression ? ' zstd' : ''}`;
    const ofKind = (round: (typeof rounds)[number], kind: string) =>
      round
        .filter((slot) => slot.kind === kind)
        .map(label)
        .sort();
    for (const round of rounds) {
      expect(ofKind(round, 'cold')).toEqual(['a docker', 'a podman', 'a podman zstd', 'b docker', 'b podman', 'b podman zstd']);
    }
    // One warm sample over two rounds: in the first, shuffled in with that round's cold samples.
    expect(ofKind(rounds[0]!, 'warm')).toEqual(['a docker', 'a podman', 'b docker', 'b podman']);
    expect(ofKind(rounds[1]!, 'warm')).toEqual([]);
    // Shuffled: the two cold rounds don't take the samples in the same order.
    expect(rounds[0]!.map(label)).not.toEqual(rounds[1]!.map(label));
  });
});
