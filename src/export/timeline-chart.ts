import { spread } from '../common/stats.js';
import { escapeHtml } from './render-html.js';
import type { RunResults, Sample, VariantResult } from '../results/types.js';
import { measuredValues } from '../report/query.js';

/** The stretches of a warm start, each ending where the next begins, in the order they happen. */
const SEGMENTS = [
  { label: 'engine: start call → process started', color: '#8c8c8c' },
  { label: 'runtime: process → app main (exec, UPX unpacking, interpreter or JVM start)', color: '#e07b39' },
  { label: 'app: main → listening', color: '#3a7dc9' },
  { label: 'listening → response seen (the first request, and the probe)', color: '#5aa55a' },
] as const;

const median = (variant: VariantResult, pick: (sample: Sample) => number | undefined) =>
  spread(measuredValues(variant.samples, 'warm', pick)).median;

/** Pure: each variant's median moments of a warm start, as the ends of the four segments (ms from the start call). */
function timelineBars(results: RunResults): Array<{ id: string; ends: number[] }> {
  return results.variants.flatMap((variant) => {
    const moments = [
      median(variant, (sample) => sample.timeline?.processStartedMs),
      median(variant, (sample) => sample.timeline?.enteredMs),
      median(variant, (sample) => sample.timeline?.listeningMs),
      median(variant, (sample) => sample.startToFirstResponseMs),
    ];
    if (moments.some((moment) => moment === undefined)) return [];
    // Medians of different moments need not be ordered: each segment ends no earlier than the last.
    const ends = moments.map((_, index) => Math.max(...(moments.slice(0, index + 1) as number[])));
    return [{ id: variant.id, ends }];
  });
}

/** A stacked bar per variant: where the median warm start goes, from the start call to the first response. */
export function timelineChart(results: RunResults): string {
  const bars = timelineBars(results);
  const width = 860;
  const left = 230;
  // Room on the right for the longest bar's total; the legend one entry per line, its labels being long.
  const plot = width - left - 60;
  const rowHeight = 22;
  const top = 40;
  const legendTop = top + bars.length * rowHeight + 16;
  const height = legendTop + SEGMENTS.length * 18 + 8;
  const maximum = Math.max(1, ...bars.map((bar) => bar.ends.at(-1)!));
  const x = (ms: number) => left + (ms / maximum) * plot;
  const rows = bars.map((bar, row) => {
    const y = top + row * rowHeight;
    const segments = bar.ends.map((end, index) => {
      const start = index === 0 ? 0 : bar.ends[index - 1]!;
      const title = `${bar.id}: ${SEGMENTS[index]!.label}, ${(end - start).toFixed(1)} ms`;
      const box = `x="${x(start).toFixed(1)}" y="${y}" width="${Math.max(0, x(end) - x(start)).toFixed(1)}" height="${rowHeight - 6}"`;
      return `<rect ${box} fill="${SEGMENTS[index]!.color}"><title>${escapeHtml(title)}</title></rect>`;
    });
    const name = `<text x="${left - 8}" y="${y + 12}" text-anchor="end" font-size="11">${escapeHtml(bar.id)}</text>`;
    const total = `<text x="${(x(bar.ends.at(-1)!) + 4).toFixed(1)}" y="${y + 12}" font-size="10">${bar.ends.at(-1)!.toFixed(0)} ms</text>`;
    return `<g class="bar" data-variant="${escapeHtml(bar.id)}">${name}${segments.join('')}${total}</g>`;
  });
  const legend = SEGMENTS.map((segment, index) => {
    const at = `${left} ${legendTop + index * 18}`;
    const label = `<text x="14" y="9" font-size="11">${escapeHtml(segment.label)}</text>`;
    return `<g transform="translate(${at})"><rect width="10" height="10" fill="${segment.color}"/>${label}</g>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      'font-family="system-ui, sans-serif">',
    `<title>Where a warm start goes, run ${escapeHtml(results.runId)}</title>`,
    `<text x="${left}" y="22" font-size="15" font-weight="600">Where a warm start goes (medians, ms from the start call)</text>`,
    ...rows,
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
