/**
 * Sampling until decided: after each planned look (common/stats.ts, sequentialDesign), the picks
 * per language and kind are decided again on every engine; a variant stays in the rounds only
 * while it is in a tie that is still open, so variants that are clearly out of every pick, and
 * picks already decided, cost no more samples. The floor is sampled while anything else is.
 */
import type { RunResults, VariantResult } from '../results/types.js';
import { enginesOf, viewOn } from '../results/views.js';
import { picksOf } from '../report/answer-table.js';

/** The variants still in an open tie on some engine: the ones the next rounds sample. */
export function stillOpen(results: RunResults, sampled: readonly VariantResult[]): Set<string> {
  const open = new Set<string>();
  const ids = new Set(sampled.map((variant) => variant.id));
  for (const engine of enginesOf(results)) {
    for (const { verdict } of picksOf(viewOn(results, engine.name))) {
      if (verdict.tie.length > 1) for (const variant of verdict.tie) if (ids.has(variant.id)) open.add(variant.id);
    }
  }
  if (open.size > 0) for (const variant of sampled) if (variant.floor) open.add(variant.id);
  return open;
}

/** Records why a variant's sampling stopped, once. */
export function stopSampling(variant: VariantResult, rounds: number, reason: NonNullable<VariantResult['sampling']>['reason']): void {
  variant.sampling ??= { rounds, reason };
}
