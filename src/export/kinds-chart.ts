import type { FileKind, RunResults } from '../results/types.js';
import { escapeHtml } from './render-html.js';
import { kindBytesPerBase } from '../report/anatomy-tables.js';

const COLORS: Record<Exclude<FileKind, 'app'>, string> = {
  'C library': '#3a7dc9',
  'shared libraries': '#7fb0e6',
  'language runtime': '#e07b39',
  'certificates and time zones': '#5aa55a',
  'docs, man pages, locales': '#c9b03a',
  'package database': '#9b59b6',
  'shell and core utilities': '#d64545',
  other: '#8c8c8c',
};

/** A stacked bar per runtime base: its files' bytes by kind. */
export function kindsChart(results: RunResults): string {
  const bars = kindBytesPerBase(results);
  const kinds = Object.keys(COLORS) as Array<keyof typeof COLORS>;
  const width = 860;
  const left = 230;
  const plot = width - left - 70;
  const rowHeight = 22;
  const top = 40;
  const height = top + bars.length * rowHeight + 30 + Math.ceil(kinds.length / 3) * 18;
  const totals = bars.map((bar) => kinds.reduce((sum, kind) => sum + bar.bytes[kind], 0));
  const maximum = Math.max(1, ...totals);
  const x = (bytes: number) => left + (bytes / maximum) * plot;
  const rows = bars.map((bar, row) => {
    const y = top + row * rowHeight;
    let start = 0;
    const segments = kinds.map((kind) => {
      const end = start + bar.bytes[kind];
      const box = `x="${x(start).toFixed(1)}" y="${y}" width="${Math.max(0, x(end) - x(start)).toFixed(1)}" height="${rowHeight - 6}"`;
      const title = `${bar.base}: ${kind}, ${(bar.bytes[kind] / 1e6).toFixed(1)} MB`;
      start = end;
      return `<rect ${box} fill="${COLORS[kind]}"><title>${escapeHtml(title)}</title></rect>`;
    });
    const name = `<text x="${left - 8}" y="${y + 12}" text-anchor="end" font-size="11">${escapeHtml(bar.base)}</text>`;
    const total = `<text x="${(x(totals[row]!) + 4).toFixed(1)}" y="${y + 12}" font-size="10">${(totals[row]! / 1e6).toFixed(1)} MB</text>`;
    return `<g class="bar" data-base="${escapeHtml(bar.base)}">${name}${segments.join('')}${total}</g>`;
  });
  const legend = kinds.map((kind, index) => {
    const at = `${left + (index % 3) * 210} ${top + bars.length * rowHeight + 16 + Math.floor(index / 3) * 18}`;
    const label = `<text x="14" y="9" font-size="11">${escapeHtml(kind)}</text>`;
    return `<g transform="translate(${at})"><rect width="10" height="10" fill="${COLORS[kind]}"/>${label}</g>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      'font-family="system-ui, sans-serif">',
    `<title>What each base is made of, run ${escapeHtml(results.runId)}</title>`,
    `<text x="${left}" y="22" font-size="15" font-weight="600">What each base is made of (bytes of its files, by kind)</text>`,
    ...rows,
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
