import type { RunResults } from '../results/types.js';
import { mb, ms } from './format.js';
import { coldPull, coldStart, coldTotal, measured, percentChange, primaryProfile, sourceLabel, variantById, whyMissing } from './query.js';
import type { Table } from './table.js';
import { isRehearsal } from './base-origin.js';

export interface Step {
  label: string;
  variant: string;
  /** The article's figure for this step, if it gives one. */
  articleSize?: string;
  articleReduction?: string;
}

/** A before/after table: one row per step, image size against the first step, with pull and cold start. */
export function stepsTable(results: RunResults, id: string, title: string, steps: readonly Step[], notes: string[]): Table {
  const profile = primaryProfile(results);
  const first = variantById(results, steps[0]!.variant);
  const reference = measured(first, profile) ? first.image.uncompressedBytes : undefined;
  const rows = steps.map((step) => {
    const variant = variantById(results, step.variant);
    const article = step.articleSize ? ` (${step.articleSize}${step.articleReduction ? `, ${step.articleReduction}` : ''})` : '';
    if (!measured(variant, profile)) return [step.label, whyMissing(variant), `–${article}`, '–', '–', '–', '–', '–'];
    const size = variant.image.uncompressedBytes;
    return [
      step.label,
      sourceLabel(variant, isRehearsal(results)),
      `${mb(size)}${article}`,
      mb(variant.image.compressedBytes),
      reference === undefined || variant === first ? 'baseline' : percentChange(size, reference),
      ms(coldPull(variant, profile)),
      ms(coldStart(variant, profile)),
      ms(coldTotal(variant, profile)),
    ];
  });
  return {
    id,
    title,
    header: ['step', 'base source', 'image size (article)', 'compressed', 'size vs first', 'cold pull', 'start→response', 'cold total'],
    rows,
    numeric: [false, false, true, true, true, true, true, true],
    notes,
  };
}
