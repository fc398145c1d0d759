import { describe, expect, it } from 'vitest';
import { percentile } from '../../src/common/stats.js';
import { FLOOR_SCENARIO } from '../../src/pipeline/plan.js';
import { floorTable } from '../../src/report/floor-table.js';
import { pairedDifferences } from '../../src/report/verdicts.js';
import { recommendationTable } from '../../src/report/recommendation-table.js';
import { sizeStartupChart } from '../../src/export/size-startup-chart.js';
import type { RunResults, Sample, VariantResult } from '../../src/results/types.js';
import { loadScenario } from '../../src/scenario/load.js';
import { SMALL_RUN } from '../fixtures/small-run.js';
import { projectCatalog } from '../fixtures/catalog.js';
import { sampleOf, variantOf } from '../fixtures/builders.js';

const sample = (round: number, startToFirstResponseMs: number, extra: Partial<Sample> = {}): Sample =>
  sampleOf({ repetition: round, round, startToFirstResponseMs, totalMs: startToFirstResponseMs + 100, ...extra });

const variant = (id: string, samples: Sample[], floor = false): VariantResult => variantOf(id, samples, floor ? { floor: true } : {});

describe("the engine's floor", () => {
  it('is a scenario that loads against the catalog: a static server on scratch', () => {
    const scenario = loadScenario(FLOOR_SCENARIO, projectCatalog());
    expect(scenario.variants.map((entry) => [entry.name, entry.base])).toEqual([['scratch', 'scratch']]);
  });

  it('is subtracted round by round: the drift a round shares cancels out', () => {
    // Round 2 is slow for both (a busy machine): paired, the variant is 50 ms above the floor in every round.
    const floor = variant('floor/scratch', [sample(1, 200), sample(2, 400), sample(3, 210)], true);
    const app = variant('go-hello/debian-slim', [sample(1, 250), sample(2, 450), sample(3, 260), sample(4, 999, { warmup: true })]);
    const differences = pairedDifferences(app, floor, 'cold', (entry) => entry.startToFirstResponseMs);
    expect(differences.length).toBe(3);
    expect(percentile(differences, 0.5)).toBe(50);
    expect([Math.min(...differences), Math.max(...differences)]).toEqual([50, 50]);
  });

  it('pairs nothing across engines, kinds or failed samples', () => {
    const floor = variant('floor/scratch', [sample(1, 200, { engine: 'podman' }), sample(2, 200, { state: 'failed' })], true);
    const app = variant('go-hello/debian-slim', [sample(1, 250), sample(2, 250)]);
    expect(pairedDifferences(app, floor, 'cold', (entry) => entry.startToFirstResponseMs).length).toBe(0);
  });

  it('has its own table with the floor’s own figures in the notes', () => {
    const run: RunResults = structuredClone(SMALL_RUN);
    run.variants = [
      variant('floor/scratch', [sample(1, 200), sample(2, 210)], true),
      variant('go-hello/debian-slim', [sample(1, 260), sample(2, 280)]),
    ];
    const table = floorTable(run);
    expect(table.rows.map((row) => row[0])).toEqual(['go-hello/debian-slim']);
    // The median of the per-round differences, with its interval and that interval's coverage (two rounds: 50%).
    expect(table.rows[0]![1]).toBe('+65 ms (+60 ms to +70 ms, 50%)');
    expect(table.notes[0]).toContain('cold start→response 205 ms');
  });

  const withImage = (entry: VariantResult, compressedBytes: number): VariantResult => ({
    ...entry,
    image: { ref: `r/${entry.id}`, digest: 'sha256:x', compressedBytes, uncompressedBytes: compressedBytes, layerCount: 1, diffIds: [] },
  });

  it('picks the fastest per language by the cost above the floor: in a merged run, each against its own host’s floor', () => {
    // Host A is slow: its floor takes 500 ms and scratch is 20 ms above it. Host B is fast: 200 ms, debian-slim 100 above.
    const run: RunResults = structuredClone(SMALL_RUN);
    const rounds = (value: number) => [1, 2, 3, 4, 5, 6, 7, 8].map((round) => sample(round, value + round));
    run.variants = [
      withImage(variant('floor/scratch', rounds(500), true), 700_000),
      withImage(variant('go-hello/scratch', rounds(520)), 2_000_000),
      { ...withImage(variant('floor/scratch', rounds(200), true), 700_000), id: 'floor/scratch@b' },
      withImage(variant('go-hello/debian-slim', rounds(300)), 30_000_000),
    ];
    run.mergedFrom = [
      { runId: 'a', startedAt: run.startedAt, provenance: run.provenance, variants: ['floor/scratch', 'go-hello/scratch'] },
      { runId: 'b', startedAt: run.startedAt, provenance: run.provenance, variants: ['floor/scratch@b', 'go-hello/debian-slim'] },
    ];
    const go = () => recommendationTable(run).rows.find((row) => row[0] === 'go')!;
    // By absolute medians debian-slim (about 400 ms) would win over scratch (about 620 ms); above the floor scratch does, in every round.
    expect(go()[2]).toBe('scratch (625 ms; 20 ms above the floor)');
    // Two rounds cannot decide anything at 95%: the same run cut to two rounds is a tie.
    for (const entry of run.variants) entry.samples = entry.samples.slice(0, 2);
    expect(go()[2]).toMatch(/^tie: scratch, debian-slim/);
  });

  it('is a line on the size against startup chart, at its cold total', () => {
    const run: RunResults = structuredClone(SMALL_RUN);
    run.variants = [
      withImage(variant('floor/scratch', [sample(1, 200), sample(2, 200)], true), 700_000),
      withImage(variant('go-hello/debian-slim', [sample(1, 300), sample(2, 300)]), 30_000_000),
    ];
    expect(sizeStartupChart(run)).toContain('the engine’s floor: 0.30 s, what any image pays (floor/scratch)');
    run.variants = run.variants.filter((entry) => !entry.floor);
    expect(sizeStartupChart(run)).not.toContain('class="floor"');
  });
});
