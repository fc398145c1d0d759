import type { RunResults, VariantResult } from '../results/types.js';
import { coldTotal, measured, primaryProfile } from './query.js';

const WIDTH = 860;
const HEIGHT = 540;
const MARGIN = { left: 78, right: 28, top: 48, bottom: 92 };
export const LANGUAGE_COLORS: Readonly<Record<string, string>> = {
  go: '#007d9c',
  rust: '#b7410e',
  node: '#3c873a',
  python: '#c99700',
  java: '#8a4fbd',
};

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function niceStep(span: number, targetTicks: number): number {
  const raw = span / targetTicks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((factor) => factor * magnitude).find((step) => step >= raw)!;
}

/**
 * Compressed size against cold start (pull + start to first response), one mark per measured
 * variant, colored by language; UPX variants drawn as diamonds. Size on a log scale, since
 * images span three orders of magnitude.
 */
export function sizeStartupChart(results: RunResults, profile = primaryProfile(results)): string {
  const points = results.variants
    .filter((variant) => measured(variant, profile))
    .map((variant) => ({
      variant,
      megabytes: Math.max(variant.image!.compressedBytes / 1_000_000, 0.01),
      seconds: coldTotal(variant, profile)! / 1000,
    }));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const minLog = Math.floor(Math.log10(Math.min(1, ...points.map((point) => point.megabytes))));
  const maxLog = Math.ceil(Math.log10(Math.max(10, ...points.map((point) => point.megabytes))));
  const maxSeconds = Math.max(0.5, ...points.map((point) => point.seconds)) * 1.1;
  const x = (megabytes: number) => MARGIN.left + ((Math.log10(megabytes) - minLog) / (maxLog - minLog)) * plotWidth;
  const y = (seconds: number) => MARGIN.top + plotHeight - (seconds / maxSeconds) * plotHeight;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>Image size against cold start, run ${escapeXml(results.runId)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="15" font-weight="600">Compressed image size against cold start (pull + start to first response)${profile === 'none' ? '' : `, network ${escapeXml(profile)}`}</text>`,
  ];
  for (let power = minLog; power <= maxLog; power += 1) {
    for (const factor of power === maxLog ? [1] : [1, 2, 5]) {
      const value = factor * 10 ** power;
      const position = x(value);
      parts.push(`<line x1="${position.toFixed(1)}" y1="${MARGIN.top}" x2="${position.toFixed(1)}" y2="${MARGIN.top + plotHeight}" stroke="#e3e3e3"/>`);
      parts.push(`<text x="${position.toFixed(1)}" y="${MARGIN.top + plotHeight + 16}" text-anchor="middle">${value >= 1 ? value : value.toFixed(Math.max(0, -power))}</text>`);
    }
  }
  const step = niceStep(maxSeconds, 6);
  for (let value = 0; value <= maxSeconds; value += step) {
    const position = y(value);
    parts.push(`<line x1="${MARGIN.left}" y1="${position.toFixed(1)}" x2="${MARGIN.left + plotWidth}" y2="${position.toFixed(1)}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${(position + 4).toFixed(1)}" text-anchor="end">${Number(value.toFixed(3))}</text>`);
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#888"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${MARGIN.top + plotHeight + 36}" text-anchor="middle">compressed image size, MB (log scale)</text>`,
    `<text transform="translate(20 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">cold start, seconds (median)</text>`,
  );
  for (const point of points) parts.push(mark(point.variant, x(point.megabytes), y(point.seconds), point.megabytes, point.seconds));
  parts.push(legend(MARGIN.left, HEIGHT - 28));
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function mark(variant: VariantResult, cx: number, cy: number, megabytes: number, seconds: number): string {
  const color = LANGUAGE_COLORS[variant.language] ?? '#555';
  const shape = variant.upx
    ? `<path d="M ${cx.toFixed(1)} ${(cy - 7).toFixed(1)} l 7 7 l -7 7 l -7 -7 z" fill="${color}" stroke="#111" stroke-width="1.5"/>`
    : `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="6" fill="${color}" fill-opacity="0.85" stroke="#fff"/>`;
  const tooltip = `${variant.id}${variant.upx ? ' (UPX)' : ''}: ${megabytes.toFixed(1)} MB, ${seconds.toFixed(3)} s`;
  return [
    `<g class="mark" data-variant="${escapeXml(variant.id)}" data-language="${escapeXml(variant.language)}"${variant.upx ? ' data-upx="true"' : ''}>`,
    `<title>${escapeXml(tooltip)}</title>`,
    shape,
    `<text x="${(cx + 9).toFixed(1)}" y="${(cy - 6).toFixed(1)}" font-size="10" fill="#333">${escapeXml(variant.id)}</text>`,
    '</g>',
  ].join('');
}

function legend(left: number, top: number): string {
  const entries = Object.entries(LANGUAGE_COLORS).map(
    ([language, color], index) =>
      `<g transform="translate(${left + index * 96} ${top})"><circle cx="6" cy="0" r="6" fill="${color}"/><text x="16" y="4">${language}</text></g>`,
  );
  const upx = `<g transform="translate(${left + entries.length * 96} ${top})"><path d="M 6 -7 l 7 7 l -7 7 l -7 -7 z" fill="#ccc" stroke="#111" stroke-width="1.5"/><text x="18" y="4">UPX-packed binary</text></g>`;
  return [...entries, upx].join('\n');
}
