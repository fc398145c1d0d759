import { escapeHtml } from '../report/render-html.js';
import { coldTotal, primaryProfile } from '../report/query.js';
import type { RunResults } from '../results/types.js';

const SHOWN_RUNS = 12;

function sparkline(values: ReadonlyArray<number | undefined>): string {
  const known = values.filter((value): value is number => value !== undefined);
  if (known.length === 0) return '';
  const width = 160;
  const height = 32;
  const max = Math.max(...known);
  const min = Math.min(...known);
  const span = max - min || 1;
  const points = values
    .map((value, index) =>
      value === undefined
        ? undefined
        : `${((index / Math.max(1, values.length - 1)) * (width - 4) + 2).toFixed(1)},` +
          `${(height - 2 - ((value - min) / span) * (height - 4)).toFixed(1)}`,
    )
    .filter((point): point is string => point !== undefined);
  return (
    `<svg class="spark" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><polyline fill="none" ` +
    `stroke="#2563eb" stroke-width="1.5" points="${points.join(' ')}"/></svg>`
  );
}

const day = (run: RunResults) => run.startedAt.slice(0, 10);

/** history.html: per variant, the median cold start of each published run over time. */
export function historyHtml(runs: readonly RunResults[]): string {
  const ordered = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt)).slice(-SHOWN_RUNS);
  const ids = [...new Set(ordered.flatMap((run) => run.variants.map((variant) => variant.id)))].sort();
  const rows = ids.map((id) => {
    const values = ordered.map((run) => {
      const variant = run.variants.find((candidate) => candidate.id === id);
      return variant ? coldTotal(variant, primaryProfile(run)) : undefined;
    });
    const cells = values.map((value) => `<td class="num">${value === undefined ? '–' : `${(value / 1000).toFixed(2)} s`}</td>`).join('');
    return `<tr><th>${escapeHtml(id)}</th><td>${sparkline(values)}</td>${cells}</tr>`;
  });
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><title>basebench history</title>',
    '<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:90rem;padding:0 ' +
      '1rem}table{border-collapse:collapse;font-size:.9rem}th,td{border:1px solid #ccc;padding:.25rem ' +
      '.5rem;text-align:left}.num{text-align:right;white-space:nowrap}</style>',
    '</head>',
    '<body>',
    '<h1>basebench history</h1>',
    `<p>Median cold start (pull + start to first response) of each variant, per published run; the last ${SHOWN_RUNS} runs. <a ` +
      `href="index.html">Latest report</a>.</p>`,
    '<table id="history">',
    `<thead><tr><th>variant</th><th>trend</th>${ordered
      .map((run) => `<th class="num" title="${escapeHtml(run.runId)}">${escapeHtml(day(run))}</th>`)
      .join('')}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
