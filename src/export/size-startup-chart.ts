import { engineLabel } from '../report/engine-label.js';
import { escapeHtml } from './render-html.js';
import { enginesOf, primaryView } from '../results/views.js';
import type { RunResults, VariantResult } from '../results/types.js';
import { coldTotal, measured, primaryProfile } from '../report/query.js';
import { floorOf } from '../report/floor-table.js';

const WIDTH = 860;
const HEIGHT = 540;
const MARGIN = { left: 78, right: 28, top: 48, bottom: 92 };
const LANGUAGE_COLORS: Readonly<Record<string, string>> = {
  go: '#007d9c',
  rust: '#b7410e',
  node: '#3c873a',
  python: '#c99700',
  java: '#8a4fbd',
};

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Ticks at 1, 2 and 5 of each power of ten within [min, max]. */
function logTicks(minLog: number, maxLog: number): number[] {
  const ticks: number[] = [];
  for (let power = minLog; power <= maxLog; power += 1) {
    for (const factor of [1, 2, 5]) {
      const value = factor * 10 ** power;
      if (Math.log10(value) <= maxLog + 1e-9) ticks.push(value);
    }
  }
  return ticks;
}

const tickLabel = (value: number) => (value >= 1 ? String(value) : String(Number(value.toPrecision(1))));

/**
 * Compressed size against cold start (pull + start to first response), one mark per measured
 * variant, colored by language; UPX variants drawn as diamonds. Both axes on log scales, since
 * sizes span three orders of magnitude and cold starts two. Labels that would collide are left
 * to the mark's tooltip.
 */
export function sizeStartupChart(run: RunResults, profile = primaryProfile(run)): string {
  // On several engines, the chart is the first engine's (gzip): its caption names it.
  const results = primaryView(run);
  const engines = enginesOf(run);
  // What the marks are measured on, under the title: a second line, since an engine's label alone can fill one.
  const subtitle = [profile === 'none' ? '' : `network ${profile}`, engines.length > 1 ? `on ${engineLabel(engines[0]!)}` : '']
    .filter(Boolean)
    .join(', ');
  const points = results.variants
    .filter((variant) => measured(variant, profile))
    .map((variant) => ({
      variant,
      megabytes: Math.max(variant.image!.compressedBytes / 1_000_000, 0.01),
      seconds: Math.max(coldTotal(variant, profile)! / 1000, 0.001),
    }));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const minLog = Math.floor(Math.log10(Math.min(1, ...points.map((point) => point.megabytes))));
  const maxLog = Math.ceil(Math.log10(Math.max(10, ...points.map((point) => point.megabytes))));
  const minSecondsLog = Math.floor(Math.log10(Math.min(0.1, ...points.map((point) => point.seconds))));
  const maxSecondsLog = Math.ceil(Math.log10(Math.max(1, ...points.map((point) => point.seconds))));
  const x = (megabytes: number) => MARGIN.left + ((Math.log10(megabytes) - minLog) / (maxLog - minLog)) * plotWidth;
  const y = (seconds: number) =>
    MARGIN.top + plotHeight - ((Math.log10(seconds) - minSecondsLog) / (maxSecondsLog - minSecondsLog)) * plotHeight;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
      `font-family="system-ui, sans-serif" font-size="12">`,
    `<title>Image size against cold start, run ${escapeHtml(results.runId)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="15" font-weight="600">Compressed image size against cold start (pull + start to first ` +
      'response)</text>',
    ...(subtitle ? [`<text x="${MARGIN.left}" y="39" font-size="12" fill="#444">${escapeHtml(subtitle)}</text>`] : []),
  ];
  for (const value of logTicks(minLog, maxLog)) {
    const position = x(value).toFixed(1);
    parts.push(`<line x1="${position}" y1="${MARGIN.top}" x2="${position}" y2="${MARGIN.top + plotHeight}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${position}" y="${MARGIN.top + plotHeight + 16}" text-anchor="middle">${tickLabel(value)}</text>`);
  }
  for (const value of logTicks(minSecondsLog, maxSecondsLog)) {
    const position = y(value);
    parts.push(
      `<line x1="${MARGIN.left}" y1="${position.toFixed(1)}" x2="${MARGIN.left + plotWidth}" y2="${position.toFixed(1)}" ` +
        `stroke="#e3e3e3"/>`,
    );
    parts.push(`<text x="${MARGIN.left - 8}" y="${(position + 4).toFixed(1)}" text-anchor="end">${tickLabel(value)}</text>`);
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#888"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${MARGIN.top + plotHeight + 36}" text-anchor="middle">compressed image size, MB (log ` +
      `scale)</text>`,
    `<text transform="translate(20 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">cold start, seconds (median, log ` +
      `scale)</text>`,
  );
  // The engine's floor as a line: what any image pays; a mark's height above it is its image's own cost.
  const floors = results.variants.filter((variant) => variant.floor);
  const floor = floors.length === 1 ? floorOf(results) : undefined;
  const floorSeconds = floor ? coldTotal(floor, profile) : undefined;
  const placed: Box[] = points.map((point) => ({ x: x(point.megabytes) - 7, y: y(point.seconds) - 7, width: 14, height: 14 }));
  if (floorSeconds !== undefined) {
    const at = y(floorSeconds / 1000);
    const caption = `the engine’s floor: ${(floorSeconds / 1000).toFixed(2)} s, what any image pays (${floor!.id})`;
    const right = MARGIN.left + plotWidth - 6;
    parts.push(
      `<g class="floor"><line x1="${MARGIN.left}" y1="${at.toFixed(1)}" x2="${MARGIN.left + plotWidth}" y2="${at.toFixed(1)}" ` +
        `stroke="#555" stroke-dasharray="6 4"/><text x="${right}" y="${(at + 14).toFixed(1)}" text-anchor="end" font-size="11" ` +
        `fill="#444">${escapeHtml(caption)}</text></g>`,
    );
    // Marks' labels keep clear of the caption.
    placed.push({ x: right - caption.length * 6, y: at + 3, width: caption.length * 6, height: 13 });
  }
  for (const point of points) {
    const cx = x(point.megabytes);
    const cy = y(point.seconds);
    const label = point.variant.id;
    const width = label.length * 5.6;
    const candidates: Array<Box & { anchor: 'start' | 'end' }> = [
      { x: cx + 9, y: cy - 14, width, height: 12, anchor: 'start' },
      { x: cx + 9, y: cy + 2, width, height: 12, anchor: 'start' },
      { x: cx - 9 - width, y: cy - 14, width, height: 12, anchor: 'end' },
      { x: cx - 9 - width, y: cy + 2, width, height: 12, anchor: 'end' },
    ];
    const inside = (box: Box) =>
      box.x >= MARGIN.left && box.x + box.width <= WIDTH - 4 && box.y >= MARGIN.top && box.y + box.height <= MARGIN.top + plotHeight;
    const spot = candidates.find((box) => inside(box) && !placed.some((other) => overlaps(box, other)));
    if (spot) placed.push(spot);
    parts.push(mark(point.variant, cx, cy, point.megabytes, point.seconds, spot));
  }
  parts.push(legend(MARGIN.left, HEIGHT - 28));
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function mark(
  variant: VariantResult,
  cx: number,
  cy: number,
  megabytes: number,
  seconds: number,
  label?: Box & { anchor: 'start' | 'end' },
): string {
  const color = LANGUAGE_COLORS[variant.language] ?? '#555';
  const shape = variant.upx
    ? `<path d="M ${cx.toFixed(1)} ${(cy - 7).toFixed(1)} l 7 7 l -7 7 l -7 -7 z" fill="${color}" stroke="#111" stroke-width="1.5"/>`
    : `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="6" fill="${color}" fill-opacity="0.85" stroke="#fff"/>`;
  const tooltip = `${variant.id}${variant.upx ? ' (UPX)' : ''}: ${megabytes.toFixed(1)} MB, ${seconds.toFixed(3)} s`;
  const text = label
    ? `<text x="${(label.anchor === 'start' ? label.x : label.x + label.width).toFixed(1)}" y="${(label.y + 10).toFixed(1)}" ` +
      `text-anchor="${label.anchor}" font-size="10" fill="#333">${escapeHtml(variant.id)}</text>`
    : '';
  return [
    `<g class="mark" data-variant="${escapeHtml(variant.id)}" ` +
      `data-language="${escapeHtml(variant.language)}"${variant.upx ? ' data-upx="true"' : ''}>`,
    `<title>${escapeHtml(tooltip)}</title>`,
    shape,
    text,
    '</g>',
  ].join('');
}

function legend(left: number, top: number): string {
  const entries = Object.entries(LANGUAGE_COLORS).map(
    ([language, color], index) =>
      `<g transform="translate(${left + index * 96} ${top})"><circle cx="6" cy="0" r="6" fill="${color}"/><text x="16" ` +
      `y="4">${language}</text></g>`,
  );
  const upx =
    `<g transform="translate(${left + entries.length * 96} ${top})"><path d="M 6 -7 l 7 7 l -7 7 l -7 -7 z" fill="#ccc" ` +
    `stroke="#111" stroke-width="1.5"/><text x="18" y="4">UPX-packed binary</text></g>`;
  return [...entries, upx].join('\n');
}
