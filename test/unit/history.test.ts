import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { historyHtml } from '../../src/history/history-page.js';
import type { RunResults, Sample } from '../../src/results/types.js';
import { mergeRuns, MergeRefused } from '../../src/history/merge.js';
import { buildPages } from '../../src/history/pages.js';
import { reportMarkdown } from '../../src/export/report-markdown.js';
import { reportTables } from '../../src/report/report-tables.js';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';
import { goldenRun } from '../fixtures/runs.js';
import { dockerAndPodman, sampleOf } from '../fixtures/builders.js';

const tempRoot = suiteTempDir();

const RUN = goldenRun();

/** The fixture split the way CI splits a run: one part per language. */
function part(language: string, runId: string, startedAt: string): RunResults {
  return { ...structuredClone(RUN), runId, startedAt, variants: RUN.variants.filter((variant) => variant.language === language) };
}

const goPart = () => part('go', 'go-run', '2026-11-26T12:00:00.000Z');
const pythonPart = () => part('python', 'python-run', '2026-11-26T12:05:00.000Z');

describe('merging partial runs', () => {
  it('puts the variants side by side and keeps each part’s provenance', () => {
    const merged = mergeRuns([pythonPart(), goPart()]);
    expect(merged.variants.map((variant) => variant.id)).toEqual(
      RUN.variants
        .filter((v) => v.language === 'go')
        .concat(RUN.variants.filter((v) => v.language === 'python'))
        .map((v) => v.id),
    );
    expect(merged.mergedFrom!.map((entry) => entry.runId)).toEqual(['go-run', 'python-run']);
    expect(merged.runId).toBe('merged-go-run');
    expect(new Set(merged.bases.map((base) => base.name)).size).toBe(merged.bases.length);
  });

  it('says which host measured what, and plainly that hosts differ where languages are compared', () => {
    const go = goPart();
    const python = pythonPart();
    go.provenance.host = { ...go.provenance.host, name: 'runner-a' };
    python.provenance.host = { ...python.provenance.host, name: 'runner-b', cpuModel: 'Other CPU' };
    const merged = mergeRuns([go, python]);
    const report = reportMarkdown(merged);
    expect(report).toContain('go-run on runner-a (2 × Test CPU, kernel 6.1.0-test): go-hello/');
    expect(report).toContain('python-run on runner-b (2 × Other CPU, kernel 6.1.0-test): python-hello/');
    expect(report).toContain('**Measured on 2 different hosts');
    expect(report).toContain('Absolute milliseconds belong to the machine that measured them');
    const all = reportTables(merged).find((table) => table.id === 'variants')!;
    expect(all.header[1]).toBe('host');
    expect(all.rows.find((row) => row[0]!.startsWith('python-hello/'))![1]).toContain('runner-b');
    expect(
      reportTables(merged)
        .find((table) => table.id === 'recommendation')!
        .notes.join(' '),
    ).toContain('different hosts');
    // One host for every part: nothing to say.
    expect(reportMarkdown(mergeRuns([goPart(), pythonPart()]))).not.toContain('different hosts');
    // Two machines of one name and hardware, told apart by their digests; a part from before the digest joins either.
    const [first, second, older] = [goPart(), pythonPart(), pythonPart()];
    first.provenance.host = { ...first.provenance.host, machine: '1a2b3c4d5e6f' };
    second.provenance.host = { ...second.provenance.host, machine: '9f8e7d6c5b4a' };
    expect(reportMarkdown(mergeRuns([first, second]))).toContain('**Measured on 2 different hosts');
    expect(reportMarkdown(mergeRuns([first, older]))).not.toContain('different hosts');
  });

  it('refuses parts taken with other settings and says why, unless forced', () => {
    const other = pythonPart();
    other.options.repeat = 10;
    other.provenance.harness.version = '0.2.0';
    expect(() => mergeRuns([goPart(), other])).toThrow(MergeRefused);
    expect(() => mergeRuns([goPart(), other])).toThrow(
      'refusing to merge: harness version differ: 0.1.0 in go-run, 0.2.0 in python-run; cold repeats differ: 3 in go-run, 10 in ' +
        'python-run (pass --force to merge anyway)',
    );
    expect(mergeRuns([goPart(), other], { force: true }).variants).toHaveLength(RUN.variants.length);
    // Sampled until decided by two designs (another cap, so other looks): refused; another time budget alone is not.
    const [go, python] = [goPart(), pythonPart()];
    go.options.sequential = { looks: [8, 12, 18, 27, 30], lookLevel: 0.992, maxRounds: 30, budgetMs: 3_600_000 };
    python.options.sequential = { ...go.options.sequential, budgetMs: 2_700_000 };
    expect(mergeRuns([go, python]).variants).toHaveLength(RUN.variants.length);
    python.options.sequential = { looks: [8, 12], lookLevel: 0.975, maxRounds: 12 };
    expect(() => mergeRuns([go, python])).toThrow(
      'sampling designs differ: until decided (looks after rounds 8, 12, 18, 27, 30, at most 30) in go-run, until decided (looks ' +
        'after rounds 8, 12, at most 12) in python-run',
    );
    expect(() => mergeRuns([goPart(), python])).toThrow('sampling designs differ: fixed in go-run');
  });

  it('always refuses a variant measured in two parts', () => {
    expect(() => mergeRuns([goPart(), part('go', 'again', '2026-11-27T00:00:00.000Z')], { force: true })).toThrow(
      /^refusing to merge: go-hello\/scratch is in both go-run and again$/,
    );
  });
});

describe('the history page', () => {
  it('has a row per variant and a column per run, oldest first', () => {
    const later = structuredClone(RUN);
    later.runId = 'later';
    later.startedAt = '2026-12-03T12:00:00.000Z';
    const html = historyHtml([later, RUN]);
    const dates = [...html.matchAll(/<th class="num" title="[^"]+">([^<]+)<\/th>/g)].map((match) => match[1]);
    expect(dates).toEqual(['2026-11-26', '2026-12-03']);
    const ids = [...html.matchAll(/<tr><th>([^<]+)<\/th><td>/g)].map((match) => match[1]);
    expect(ids).toEqual([...new Set(RUN.variants.map((variant) => variant.id))].sort());
    expect(html).toContain('<tr><th>go-hello/scratch</th><td><svg class="spark"');
    // Same runner in both runs: no change marked.
    expect(html).not.toContain('class="runner"');
  });

  it('draws every variant as a multiple of its own run’s floor, on one scale, and marks a change of runner', () => {
    const withFloor = (run: RunResults, id: string, floorMs: number, variantMs: number, kernel: string): RunResults => {
      const copy = structuredClone(run);
      copy.runId = id;
      copy.provenance.host.kernel = kernel;
      const rounds = [1, 2, 3, 4, 5, 6];
      const sample = (round: number, total: number): Sample => ({
        kind: 'cold',
        repetition: round,
        round,
        engine: copy.provenance.engines[0]!.name,
        compression: 'gzip',
        state: 'completed',
        totalMs: total,
      });
      copy.variants = [
        { ...copy.variants[0]!, id: 'floor/scratch', floor: true, samples: rounds.map((round) => sample(round, floorMs + round)) },
        { ...copy.variants[0]!, id: 'go-hello/scratch', samples: rounds.map((round) => sample(round, variantMs + round * 2)) },
      ];
      return copy;
    };
    // A machine twice as slow measures twice the milliseconds but the same ratio to its floor.
    const fast = withFloor(RUN, 'fast', 200, 400, '6.1.0');
    const slow = { ...withFloor(RUN, 'slow', 400, 800, '6.12.0'), startedAt: '2026-12-03T12:00:00.000Z' };
    const html = historyHtml([fast, slow]);
    const cells = [...html.matchAll(/<td class="num">([^<]+)<\/td>/g)].map((match) => match[1]);
    expect(cells).toEqual(['×2.00', '×2.00']);
    expect(html).toContain('class="runner"');
    expect(html).toContain('<li>2026-12-03: Test CPU × 2, kernel 6.12.0');
    expect(html).toMatch(/on one scale \(×1\.00 to ×2\.0\d\)/);
  });

  it('reads a run on several engines and compressions on its first engine with gzip layers, as its report does', () => {
    const run = structuredClone(RUN);
    run.options.compressions = ['gzip', 'zstd'];
    run.provenance.engines = dockerAndPodman();
    const sample = (round: number, engine: string, compression: 'gzip' | 'zstd', totalMs: number): Sample =>
      sampleOf({ round, repetition: round, engine, compression, totalMs });
    const samples = (docker: number, podman: number, zstd: number) =>
      [1, 2, 3, 4, 5, 6].flatMap((round) => [
        sample(round, 'docker', 'gzip', docker),
        sample(round, 'podman', 'gzip', podman),
        sample(round, 'docker', 'zstd', zstd),
      ]);
    // On docker with gzip the variant takes twice its floor; podman's and zstd's samples must not move that.
    run.variants = [
      { ...run.variants[0]!, id: 'floor/scratch', floor: true, samples: samples(200, 100, 1000) },
      { ...run.variants[0]!, id: 'go-hello/scratch', samples: samples(400, 800, 300) },
    ];
    const cells = [...historyHtml([run]).matchAll(/<td class="num">([^<]+)<\/td>/g)].map((match) => match[1]);
    expect(cells).toEqual(['×2.00']);
  });
});

describe('the pages folder (the publish step’s dry run)', () => {
  it('holds the latest report, the history page and the history’s JSON', () => {
    const out = mkdtempSync(path.join(tempRoot(), 'pages-'));
    const earlier = structuredClone(RUN);
    earlier.runId = 'earlier';
    earlier.startedAt = '2026-11-19T12:00:00.000Z';
    buildPages(RUN, [earlier], out);
    for (const file of ['index.html', 'report.md', 'size-vs-startup.svg', 'results.json', 'history.html'])
      expect(existsSync(path.join(out, file))).toBe(true);
    expect(readdirSync(path.join(out, 'history')).sort()).toEqual(['20261126-120000Z.json', 'earlier.json']);
    expect(readFileSync(path.join(out, 'history.html'), 'utf8').match(/<th class="num" title=/g)).toHaveLength(2);
  });

  it('names the harness that published a run it did not measure, and still writes the results.json it publishes', () => {
    const out = mkdtempSync(path.join(tempRoot(), 'pages-'));
    buildPages(RUN, [], out, { ...RUN.provenance.harness, gitCommit: 'fedcba9876543210', gitDirty: false });
    expect(readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('Rendered again by basebench');
    expect(JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')).runId).toBe(RUN.runId);
  });
});

describe('the scheduled workflow', () => {
  it('passes the GitHub Actions schema check, which does catch a broken workflow', async () => {
    const workflow = path.join(PROJECT_ROOT, '.github', 'workflows', 'bench.yml');
    await execa('npx', ['action-validator', workflow], { cwd: PROJECT_ROOT });
    const broken = path.join(mkdtempSync(path.join(tempRoot(), 'workflow-')), 'bench.yml');
    writeFileSync(broken, readFileSync(workflow, 'utf8').replace('runs-on: ubuntu-24.04', 'runs_on: ubuntu-24.04'));
    await expect(execa('npx', ['action-validator', broken], { cwd: PROJECT_ROOT })).rejects.toThrow();
  });
});
