import { describe, expect, it } from 'vitest';
import { defaultCatalogFile, loadCatalog } from '../../src/bases/catalog.js';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { FLOOR_SCENARIO } from '../../src/pipeline/plan.js';
import { aboveFloor, floorTable } from '../../src/report/floor-table.js';
import type { RunResults, Sample, VariantResult } from '../../src/results/types.js';
import { loadScenario } from '../../src/scenario/load.js';
import { SMALL_RUN } from '../fixtures/small-run.js';

const sample = (round: number, startToFirstResponseMs: number, extra: Partial<Sample> = {}): Sample => ({
  kind: 'cold',
  repetition: round,
  round,
  state: 'completed',
  engine: 'docker',
  compression: 'gzip',
  startToFirstResponseMs,
  totalMs: startToFirstResponseMs + 100,
  ...extra,
});

const variant = (id: string, samples: Sample[], floor = false): VariantResult => ({
  id,
  app: id.split('/')[0]!,
  language: 'go',
  variant: id.split('/')[1]!,
  scenarioFile: 'x.yaml',
  state: 'completed',
  ...(floor ? { floor: true } : {}),
  bases: [],
  samples,
});

describe("the engine's floor", () => {
  it('is a scenario that loads against the catalog: a static server on scratch', () => {
    const scenario = loadScenario(FLOOR_SCENARIO, loadCatalog(defaultCatalogFile(PROJECT_ROOT)));
    expect(scenario.variants.map((entry) => [entry.name, entry.base])).toEqual([['scratch', 'scratch']]);
  });

  it('is subtracted round by round: the drift a round shares cancels out', () => {
    // Round 2 is slow for both (a busy machine): paired, the variant is 50 ms above the floor in every round.
    const floor = variant('floor/scratch', [sample(1, 200), sample(2, 400), sample(3, 210)], true);
    const app = variant('go-hello/debian-slim', [sample(1, 250), sample(2, 450), sample(3, 260), sample(4, 999, { warmup: true })]);
    const figure = aboveFloor(app, floor, 'cold', (entry) => entry.startToFirstResponseMs);
    expect(figure.n).toBe(3);
    expect(figure.median).toBe(50);
    expect([figure.min, figure.max]).toEqual([50, 50]);
  });

  it('pairs nothing across engines, kinds or failed samples', () => {
    const floor = variant('floor/scratch', [sample(1, 200, { engine: 'podman' }), sample(2, 200, { state: 'failed' })], true);
    const app = variant('go-hello/debian-slim', [sample(1, 250), sample(2, 250)]);
    expect(aboveFloor(app, floor, 'cold', (entry) => entry.startToFirstResponseMs).n).toBe(0);
  });

  it('has its own table with the floor’s own figures in the notes', () => {
    const run: RunResults = structuredClone(SMALL_RUN);
    run.variants = [
      variant('floor/scratch', [sample(1, 200), sample(2, 210)], true),
      variant('go-hello/debian-slim', [sample(1, 260), sample(2, 280)]),
    ];
    const table = floorTable(run);
    expect(table.rows.map((row) => row[0])).toEqual(['go-hello/debian-slim']);
    expect(table.rows[0]![1]).toMatch(/^65 ms/);
    expect(table.notes[0]).toContain('cold start→response 205 ms');
  });
});
