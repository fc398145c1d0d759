import { medianInterval, percentile } from '../common/stats.js';
import { floorOf } from '../report/floor-table.js';
import { measuredSamples, primaryProfile } from '../report/query.js';
import { escapeHtml } from '../export/render-html.js';
import type { RunResults } from '../results/types.js';
import { primaryView } from '../results/views.js';

const SHOWN_RUNS = 12;

/** A variant's cold total as a multiple of its own run's floor, round by round: a ratio within one host, comparable across hosts. */
export interface FloorRatio {
  median: number;
  low: number;
  high: number;
}

/** On the run's primary view (first engine, gzip), as its report: ratios pooled over engines would belong to none of them. */
function floorRatio(run: RunResults, variantId: string): FloorRatio | undefined {
  const view = primaryView(run);
  const variant = view.variants.find((candidate) => candidate.id === variantId);
  const floor = variant && floorOf(view, variant.id);
  if (!variant || !floor || variant.floor) return undefined;
  const profile = primaryProfile(view);
  const byRound = new Map(measuredSamples(floor.samples, 'cold', profile).map((sample) => [sample.round, sample.totalMs]));
  const ratios = measuredSamples(variant.samples, 'cold', profile).flatMap((sample) => {
    const its = sample.round === undefined ? undefined : byRound.get(sample.round);
    return sample.totalMs === undefined || !its ? [] : [sample.totalMs / its];
  });
  const interval = medianInterval(ratios);
  const median = percentile(ratios, 0.5);
  return interval && median !== undefined ? { median, low: interval.low, high: interval.high } : undefined;
}

/** What measured a run: a change of any of these between runs moves every figure, so the page marks it. */
const runnerOf = (run: RunResults) => {
  const { host, engines } = run.provenance;
  const engineText = engines.map((engine) => `${engine.product} ${engine.version}`).join(' + ');
  return `${host.cpuModel} × ${host.cpuCount}, kernel ${host.kernel}, ${engineText}`;
};

/** One sparkline on the page's shared scale: the median per run, its interval as a bar, runner changes as dashed lines. */
function sparkline(
  values: ReadonlyArray<FloorRatio | undefined>,
  scale: { min: number; max: number },
  changes: ReadonlySet<number>,
): string {
  const width = 180;
  const height = 40;
  const x = (index: number) => (index / Math.max(1, values.length - 1)) * (width - 8) + 4;
  const y = (value: number) => height - 3 - ((value - scale.min) / (scale.max - scale.min || 1)) * (height - 6);
  const marks = [...changes].map((index) => {
    const at = (x(index - 1) + x(index)) / 2;
    return `<line class="runner" x1="${at.toFixed(1)}" x2="${at.toFixed(1)}" y1="0" y2="${height}" stroke="#999" stroke-dasharray="2 2"/>`;
  });
  const bars = values.flatMap((value, index) =>
    value
      ? [
          `<line x1="${x(index).toFixed(1)}" x2="${x(index).toFixed(1)}" ` +
            `y1="${y(value.low).toFixed(1)}" y2="${y(value.high).toFixed(1)}" stroke="#93c5fd" stroke-width="3"/>`,
        ]
      : [],
  );
  const points = values.flatMap((value, index) => (value ? [`${x(index).toFixed(1)},${y(value.median).toFixed(1)}`] : []));
  return (
    `<svg class="spark" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${marks.join('')}${bars.join('')}` +
    `<polyline fill="none" stroke="#2563eb" stroke-width="1.5" points="${points.join(' ')}"/></svg>`
  );
}

const day = (run: RunResults) => run.startedAt.slice(0, 10);

/**
 * history.html: per variant, its cold total as a multiple of the engine's floor measured in the
 * same rounds of the same run (a ratio within one host, so runs on different runners compare),
 * with the interval of that median, every variant on one shared scale, and a dashed line where
 * the runner (CPU, kernel, engine) changed from the run before.
 */
export function historyHtml(runs: readonly RunResults[]): string {
  const ordered = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt)).slice(-SHOWN_RUNS);
  const ids = [...new Set(ordered.flatMap((run) => run.variants.filter((variant) => !variant.floor).map((variant) => variant.id)))].sort();
  const table = ids.map((id) => ({
    id,
    values: ordered.map((run) => floorRatio(run, id)),
  }));
  const known = table.flatMap((row) => row.values.flatMap((value) => (value ? [value.low, value.high] : [])));
  const scale = { min: Math.min(1, ...known), max: Math.max(1, ...known) };
  const changes = new Set(ordered.flatMap((run, index) => (index > 0 && runnerOf(run) !== runnerOf(ordered[index - 1]!) ? [index] : [])));
  const rows = table.map(({ id, values }) => {
    const cells = values.map((value) => `<td class="num">${value ? `×${value.median.toFixed(2)}` : '–'}</td>`).join('');
    return `<tr><th>${escapeHtml(id)}</th><td>${sparkline(values, scale, changes)}</td>${cells}</tr>`;
  });
  const header = ordered.map((run, index) => {
    const changed = changes.has(index) ? ' class="num changed"' : ' class="num"';
    const title = escapeHtml(`${run.runId}: ${runnerOf(run)}`);
    return `<th${changed} title="${title}">${escapeHtml(day(run))}${changes.has(index) ? ' ⇢' : ''}</th>`;
  });
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><title>basebench history</title>',
    '<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:90rem;padding:0 ' +
      '1rem}table{border-collapse:collapse;font-size:.9rem}th,td{border:1px solid #ccc;padding:.25rem ' +
      '.5rem;text-align:left}.num{text-align:right;white-space:nowrap}.changed{background:#fef3c7}</style>',
    '</head>',
    '<body>',
    '<h1>basebench history</h1>',
    `<p>Each variant’s cold total (pull + create + start→response) as a multiple of the engine’s floor measured in the same ` +
      `rounds of the same run: a ratio within one runner, since absolute milliseconds differ between machines. Every trend is ` +
      `on one scale (×${scale.min.toFixed(2)} to ×${scale.max.toFixed(2)}); the bar at each point is the distribution-free ` +
      'interval of its median (95%, or [min, max] where a run has too few rounds to reach it); ' +
      `a dashed line (and ⇢ in the header) marks a change of runner: CPU, kernel or engine. The last ${SHOWN_RUNS} runs. ` +
      '<a href="index.html">Latest report</a>.</p>',
    ...(changes.size > 0
      ? [
          `<ul class="runners">${[...changes]
            .map((index) => `<li>${escapeHtml(day(ordered[index]!))}: ${escapeHtml(runnerOf(ordered[index]!))}</li>`)
            .join('')}</ul>`,
        ]
      : []),
    '<table id="history">',
    `<thead><tr><th>variant</th><th>trend (× floor)</th>${header.join('')}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
