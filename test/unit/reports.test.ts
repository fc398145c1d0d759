import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { SAMPLE_COLUMNS, samplesCsv } from '../../src/export/samples-csv.js';
import { SUMMARY_COLUMNS, summaryCsv } from '../../src/export/summary-csv.js';
import { summaryMarkdown } from '../../src/export/summary-markdown.js';
import { reportMarkdown } from '../../src/export/report-markdown.js';
import { reportHtml } from '../../src/export/report-html.js';
import { summaryRows } from '../../src/report/summary-rows.js';
import { variantsTable } from '../../src/report/variants-table.js';
import { answerLines, answerTable } from '../../src/report/answer-table.js';
import { outlierNotice, outlierWarnings } from '../../src/export/outliers.js';
import { dockerAndPodman, sampleOf } from '../fixtures/builders.js';
import { percentile } from '../../src/common/stats.js';
import { SMALL_RUN } from '../fixtures/small-run.js';
import { goldenRun } from '../fixtures/runs.js';

describe('the statistics', () => {
  it('interpolate percentiles between ranks', () => {
    expect(percentile([3, 1, 2], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([10, 20], 0.95)).toBeCloseTo(19.5);
    expect(percentile([], 0.5)).toBeUndefined();
  });
});

describe('the reports', () => {
  it('end a run on the terminal with the answer, a line per language and start, as report.md opens', () => {
    const run = goldenRun();
    expect(answerLines(run)).toHaveLength(answerTable(run).rows.length);
    expect(answerLines(run)[0]).toBe(
      'go, cold: tie: scratch, scratch-upx, debian-slim; the smallest: scratch-upx (1.8 MB); scratch against scratch-upx: ' +
        'not decided at n = 3: 95% needs 6 rounds (120 ms to 145 ms faster, 75%)',
    );
    expect(answerLines(run)[1]).toMatch(/^go, warm: tie: .*\(one round: 25 ms faster\)$/);
  });

  it('say how a run sampled until decided took its samples, not the fixed counts it did not use', () => {
    const run = structuredClone(SMALL_RUN);
    run.options.sequential = { looks: [8], lookLevel: 0.975, maxRounds: 8 };
    for (const variant of run.variants) variant.sampling = { rounds: 8, reason: 'cap' };
    const provenance = reportMarkdown(run)
      .split('\n')
      .find((line) => line.startsWith('Samples: '));
    expect(provenance).toContain(
      'Samples: sampled until decided: one cold and warm sample per variant in every round after 0 warm-up round(s), looks after ' +
        'rounds 8 at 97.5% each (at most 8 rounds); variants stopped at the cap after 8 round(s): 2.',
    );
    expect(provenance).not.toContain('3 cold');
    // Ended by the budget after round 23, between planned looks: the looks it took, then the plan.
    run.options.sequential = { looks: [8, 12, 18, 27, 30], lookLevel: 0.992, maxRounds: 30 };
    for (const variant of run.variants) variant.sampling = { rounds: 23, reason: 'budget' };
    expect(reportMarkdown(run)).toContain('looks after rounds 8, 12, 18, 23 (planned: 8, 12, 18, 27, 30) at 99.2% each');
    expect(reportMarkdown(run)).toContain('(rounds looked at: 8, 12, 18, 23)');
    // On two engines with zstd copies: a sample per variant is one on each engine, and a cold one per compression.
    const twoEngines = structuredClone(run);
    twoEngines.provenance.engines = dockerAndPodman();
    twoEngines.options.compressions = ['gzip', 'zstd'];
    expect(reportMarkdown(twoEngines)).toContain(
      'one cold and warm sample per variant on each engine (cold ones with each layer compression) in every round',
    );
    // Interrupted inside round 11 (no warm-up round), nothing stopped yet: the looks up to round 10, the last in full.
    run.state = 'interrupted';
    for (const variant of run.variants) {
      delete variant.sampling;
      variant.samples = [...Array(12).keys()].map((round) => sampleOf({ round, totalMs: 100 }));
    }
    expect(reportMarkdown(run)).toContain('(rounds looked at: 8, 10)');
  });

  it('name the code that rendered them again, only when it is not the code that measured', () => {
    const measuredBy = SMALL_RUN.provenance.harness;
    const later = { version: '0.2.0', gitCommit: 'fedcba9876543210fedcba9876543210fedcba98', gitDirty: true };
    const renderedAgain = 'Rendered again by basebench 0.2.0 at fedcba987654 (uncommitted changes)';
    expect(reportMarkdown(SMALL_RUN, later)).toContain(renderedAgain);
    expect(reportHtml(SMALL_RUN, later)).toContain(renderedAgain);
    for (const text of [reportMarkdown(SMALL_RUN, measuredBy), reportMarkdown(SMALL_RUN)]) expect(text).not.toContain('Rendered again');
  });

  it('summarise completed cold samples per variant and say where the base came from', () => {
    const [slim, broken] = summaryRows(SMALL_RUN);
    expect(slim).toMatchObject({
      runtimeBase: 'debian-bookworm-slim (local stand-in for debian:bookworm-slim)',
      pull: { n: 3, median: 1200 },
      startToFirstResponse: { n: 3, median: 220 },
      coldTotal: { n: 3, median: 1510 },
      warmStartToFirstResponse: { n: 1, median: 180 },
    });
    expect(broken).toMatchObject({ state: 'failed', reason: 'build failed: exit code 1 | see log', coldTotal: { n: 0 } });
  });

  it('write one samples.csv row per sample with the documented columns', () => {
    const rows = parse(samplesCsv(SMALL_RUN), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...SAMPLE_COLUMNS]);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({
      variant_id: 'go-hello/debian-slim',
      kind: 'cold',
      pull_ms: '1000.0',
      runtime_base_source: 'local',
      image_digest: 'sha256:d1',
    });
    expect(rows[3]).toMatchObject({ kind: 'warm', pull_ms: '' });
  });

  it('write one summary.csv row per variant, failed ones with their reason', () => {
    const rows = parse(summaryCsv(SMALL_RUN), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...SUMMARY_COLUMNS]);
    expect(rows.map((row) => [row.variant_id, row.state, row.cold_total_median_ms])).toEqual([
      ['go-hello/debian-slim', 'completed', '1510.0'],
      ['go-hello/broken', 'failed', ''],
    ]);
  });

  it('render a markdown summary with provenance, the table and the failures', () => {
    const markdown = summaryMarkdown(SMALL_RUN);
    expect(markdown).toContain(
      'Engine: docker (Docker Engine 20.10.24, classic store, runc) (overlay2, cgroup v2); kernel 6.1.0, 2 × Test CPU; basebench ' +
        '0.1.0 at 0123456789ab.',
    );
    expect(markdown).toContain(
      '| go-hello/debian-slim | debian-bookworm-slim (local stand-in for debian:bookworm-slim) | 31.29 | 79.56 | 2 | 3/3 | 1200.0 / ' +
        '1380.0 | 220.0 / 292.0 | 1510.0 / 1618.0 | 1210.0–1630.0 (75.0%) | 180.0 / 180.0 |',
    );
    expect(markdown).toContain('| go-hello/broken | failed | build failed: exit code 1 \\| see log |');
  });

  it('name the images whose layers basebench gzipped because their builder pushed them uncompressed', () => {
    expect(variantsTable(SMALL_RUN).notes.join(' ')).not.toContain('gzipped by basebench');
    const run = structuredClone(SMALL_RUN);
    run.variants[0]!.image!.gzippedByHarness = true;
    expect(variantsTable(run).notes.join(' ')).toContain(
      "gzipped by basebench at Docker's level and pushed again, so that a pull moves what an upstream image's would: go-hello/debian-slim.",
    );
  });

  it('end a run with one line on its outliers, and list each in the summary', () => {
    expect(outlierNotice(SMALL_RUN)).toBeUndefined();
    const run = structuredClone(SMALL_RUN);
    const warm = [180, 182, 181, 179, 180, 181, 400].map((ms, index) =>
      sampleOf({ kind: 'warm', repetition: index + 1, startToFirstResponseMs: ms }),
    );
    run.variants[0]!.samples.push(...warm);
    expect(outlierWarnings(run)).toEqual([
      expect.stringMatching(/^go-hello\/debian-slim: 1 of 8 warm start→response samples are outliers \(400\.0 ms/),
    ]);
    expect(outlierNotice(run)).toMatch(/^1 outlier sample\(s\) in 1 of 4 figures .*summary\.md lists each/);
  });
});
