import type { Provenance, RunResults } from '../results/types.js';
import { provenanceLines } from '../report/provenance-text.js';
import { escapeHtml, tableHtml } from './render-html.js';
import { chartFiles, stateWords } from './report-markdown.js';
import { reportTables } from '../report/report-tables.js';
import { sizeStartupChart } from './size-startup-chart.js';
import { primaryView } from '../results/views.js';
import { timelineChart } from './timeline-chart.js';
import { hasTimeline } from '../report/timeline-table.js';
import { runtimeBasesWithAnatomy } from '../report/anatomy-tables.js';
import { kindsChart } from './kinds-chart.js';
import { hostsDifferNote } from '../report/hosts.js';
import { answerTable } from '../report/answer-table.js';

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 78rem; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.scroll { overflow-x: auto; }
.num { text-align: right; white-space: nowrap; }
.note { color: #555; font-size: 0.85rem; margin: 0.25rem 0; }
.provenance { color: #333; font-size: 0.9rem; }
svg { max-width: 100%; height: auto; }
@media (max-width: 40rem) {
  body { margin: 1rem auto; }
  table, thead, tbody, tr, th, td { display: block; }
  thead { display: none; }
  tr { border: 1px solid #ccc; margin: 0 0 0.75rem; padding: 0.25rem 0; }
  td, td.num { border: none; padding: 0.15rem 0.5rem; text-align: left; white-space: normal; }
  td::before { content: attr(data-label) ": "; font-weight: 600; color: #555; }
}
`;

/** index.html: the same tables and chart as report.md, one static file readable offline. */
export function reportHtml(results: RunResults, renderedBy?: Provenance['harness']): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>basebench report, run ${escapeHtml(results.runId)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<h1>basebench report</h1>',
    `<p>Run ${escapeHtml(results.runId)} (${escapeHtml(stateWords(results))}); where and on what it was measured: ` +
      '<a href="#provenance">provenance</a>, at the end.</p>',
    tableHtml(answerTable(results)),
    '<section id="chart"><h2>Size against startup</h2>',
    ...(hostsDifferNote(results) ? [`<p class="warning"><strong>${escapeHtml(hostsDifferNote(results)!)}</strong></p>`] : []),
    ...chartFiles(results).map(({ profile }) => sizeStartupChart(results, profile)),
    ...(hasTimeline(primaryView(results)) ? [timelineChart(primaryView(results))] : []),
    ...(runtimeBasesWithAnatomy(primaryView(results)).length > 0 ? [kindsChart(primaryView(results))] : []),
    '</section>',
    ...reportTables(results).map(tableHtml),
    '<section id="provenance"><h2>Provenance</h2>',
    `<div class="provenance">${provenanceLines(results, renderedBy)
      .map((line) => `<p>${escapeHtml(line)}</p>`)
      .join('\n')}</div>`,
    '</section>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
