import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { samplesCsv } from '../../src/export/samples-csv.js';
import { summaryCsv } from '../../src/export/summary-csv.js';
import { summaryMarkdown } from '../../src/export/summary-markdown.js';
import { baseTable } from '../../src/report/base-table.js';
import { nodeTable } from '../../src/report/node-table.js';
import { pythonTable } from '../../src/report/python-table.js';
import { recommendationTable } from '../../src/report/recommendation-table.js';
import { tableMarkdown } from '../../src/export/render-markdown.js';
import { reportHtml } from '../../src/export/report-html.js';
import { reportMarkdown } from '../../src/export/report-markdown.js';
import { sizeStartupChart } from '../../src/export/size-startup-chart.js';
import type { Table } from '../../src/report/table.js';
import { upxTable } from '../../src/report/upx-table.js';
import type { RunResults } from '../../src/results/types.js';
import { FIXTURES, goldenRun } from '../fixtures/runs.js';

const RESULTS = goldenRun();

const table = (build: (results: RunResults) => Table) => tableMarkdown(build(RESULTS));

describe('each exporter, on a small fixed run', () => {
  it.each([
    ['base-table.md', () => table(baseTable)],
    ['node-table.md', () => table(nodeTable)],
    ['python-table.md', () => table(pythonTable)],
    ['upx-table.md', () => table(upxTable)],
    ['recommendation-table.md', () => table(recommendationTable)],
    ['report.md', () => reportMarkdown(RESULTS)],
    ['size-vs-startup.svg', () => sizeStartupChart(RESULTS)],
    ['index.html', () => reportHtml(RESULTS)],
    ['summary.md', () => summaryMarkdown(RESULTS)],
    ['summary.csv', () => summaryCsv(RESULTS)],
    ['samples.csv', () => samplesCsv(RESULTS)],
  ])('renders %s as the golden file', async (name, render) => {
    // A change to a report fails here; `npx vitest run -u` rewrites the golden file for review.
    await expect(render()).toMatchFileSnapshot(path.join(FIXTURES, 'golden', name));
  });
});

describe('the size against startup chart', () => {
  it('is an SVG with one mark per measured variant, UPX marked', () => {
    const svg = sizeStartupChart(RESULTS);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const marks = [...svg.matchAll(/<g class="mark" data-variant="([^"]+)"[^>]*>/g)];
    const measuredIds = RESULTS.variants.filter((variant) => variant.state === 'completed').map((variant) => variant.id);
    expect(marks.map((match) => match[1])).toEqual(measuredIds);
    expect(marks.filter((match) => match[0].includes('data-upx="true"')).map((match) => match[1])).toEqual(['go-hello/scratch-upx']);
  });
});

describe('the report tables', () => {
  it('put the article’s figures beside the measured ones and say what was not measured', () => {
    const bases = baseTable(RESULTS);
    const slim = bases.rows.find((row) => row[0] === 'debian:bookworm-slim')!;
    expect(slim).toEqual([
      'debian:bookworm-slim',
      'local stand-in for debian:bookworm-slim',
      '29 MB (~27 MB)',
      '75 MB',
      '88 (dpkg status) (~40+)',
      'yes (Yes)',
      'apt (apt)',
      'not scanned (5-15)',
      // A run from before the catalog recorded how stand-ins differ says so, rather than "nothing".
      'not yet compared',
    ]);
    const compared = structuredClone(RESULTS);
    const slimBase = compared.bases.find((base) => base.name === 'debian-bookworm-slim')!;
    Object.assign(slimBase, { differs: ['package versions from today’s archive'] });
    expect(
      baseTable(compared)
        .rows.find((row) => row[0] === 'debian:bookworm-slim')!
        .at(-1),
    ).toBe('package versions from today’s archive');
    expect(bases.rows.find((row) => row[0] === 'alpine:3.20')![1]).toMatch(/^not measured: upstream alpine:3.20 is not reachable/);
  });

  it('compare each UPX variant with its unpacked build', () => {
    expect(upxTable(RESULTS).rows).toEqual([
      [
        'go-hello/scratch-upx',
        '5.0 MB → 1.6 MB (-67%)',
        '5.3 MB → 1.9 MB (-64%)',
        expect.stringMatching(/^200 ms → 330 ms \(\+65%\); not decided at n = \d: 95% needs 6 rounds/),
        expect.stringMatching(/^180 ms → 325 ms \(\+81%\); not decided at n = 1: 95% needs 6 rounds/),
        '3.1 MB → 6.8 MB (+119%)',
        // The golden run predates file-mapped memory: unknown, never 0.
        'unknown → unknown',
      ],
    ]);
  });

  it('derive the per-language pick from the measurements and note where it differs from the article', () => {
    const rows = recommendationTable(RESULTS).rows;
    expect(rows.find((row) => row[0] === 'go')).toEqual([
      'go',
      'scratch-upx (1.8 MB)',
      // Three cold rounds cannot decide at 95%: a tie, with the fastest median's figure.
      'tie: scratch, scratch-upx, debian-slim (360 ms)',
      'scratch',
      'agrees; the smallest packs its binary with UPX',
    ]);
    expect(rows.find((row) => row[0] === 'python')).toEqual([
      'python',
      'distroless-python3 (18 MB)',
      'tie: distroless-python3, python-3.12 (1.08 s)',
      'python:3.12-slim or distroless/python3',
      'agrees',
    ]);
    const differing = { ...RESULTS, variants: RESULTS.variants.filter((variant) => variant.id !== 'python-hello/distroless-python3') };
    expect(recommendationTable(differing).rows.find((row) => row[0] === 'python')![4]).toBe(
      'differs: measured python-3.12 vs article python:3.12-slim or distroless/python3',
    );
    expect(recommendationTable(RESULTS).rows.find((row) => row[0] === 'java')![1]).toBe('nothing measured');
  });
});
