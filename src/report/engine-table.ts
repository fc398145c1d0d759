import { mb, ms } from './format.js';
import { engineLabel } from './engine-label.js';
import { spread, type Spread } from '../common/stats.js';
import type { RunResults, Sample, VariantResult } from '../results/types.js';
import { enginesOf, viewOn } from '../results/views.js';
import { comparisonOf, engineComparisons, type VariantComparison } from './engine-comparisons.js';
import { measuredValues, primaryProfile } from './query.js';
import { decisionLevel, decisionLevelText, decisionWords, medianWithInterval } from './verdicts.js';
import type { Table } from './table.js';

function figure(
  variant: VariantResult | undefined,
  kind: Sample['kind'],
  pick: (sample: Sample) => number | undefined,
  profile: string,
): Spread {
  return spread(measuredValues(variant?.samples ?? [], kind, pick, profile));
}

/**
 * A against B as a ratio of medians and, in words, the paired per-round decision (engine-comparisons.ts makes it:
 * the two were sampled in the same rounds, on another engine or with other layers).
 */
export function versusCell(a: Spread, b: Spread, comparison: VariantComparison | undefined): string {
  if (a.median === undefined || b.median === undefined || !comparison) return '–';
  return `${(a.median / b.median).toFixed(2)}×: ${decisionWords(comparison.decision)}`;
}

/** Each variant on each engine: the same images, the same containers, interleaved in the same rounds. */
export function engineTable(results: RunResults): Table {
  const engines = enginesOf(results);
  const profile = primaryProfile(results);
  const perEngine = engines.map((engine) => viewOn(results, engine.name));
  const [cold, warm] = [engineComparisons(results, 'cold'), engineComparisons(results, 'warm')];
  const rows = results.variants
    .filter((variant) => variant.image)
    .flatMap((variant) => {
      const reference = perEngine[0]!.variants.find((item) => item.id === variant.id);
      const [referenceTotal, referenceWarm] = [
        figure(reference, 'cold', (sample) => sample.totalMs, profile),
        figure(reference, 'warm', (sample) => sample.startToFirstResponseMs, profile),
      ];
      return engines.map((engine, engineIndex) => {
        const mine = perEngine[engineIndex]!.variants.find((item) => item.id === variant.id);
        const total = figure(mine, 'cold', (sample) => sample.totalMs, profile);
        const warmStart = figure(mine, 'warm', (sample) => sample.startToFirstResponseMs, profile);
        const failed = mine?.samples.filter((sample) => sample.state === 'failed').length ?? 0;
        return [
          variant.id,
          engine.name,
          mb(variant.image!.compressedBytes),
          ms(figure(mine, 'cold', (sample) => sample.pullMs, profile).median),
          ms(figure(mine, 'cold', (sample) => sample.startToFirstResponseMs, profile).median),
          medianWithInterval(total),
          engineIndex === 0 ? '1' : versusCell(total, referenceTotal, comparisonOf(cold, variant.id, engine.name)),
          medianWithInterval(warmStart),
          engineIndex === 0 ? '1' : versusCell(warmStart, referenceWarm, comparisonOf(warm, variant.id, engine.name)),
          failed > 0 ? String(failed) : '',
        ];
      });
    });
  return {
    id: 'engines',
    title: 'Cold and warm start per engine',
    header: [
      'variant',
      'engine',
      'compressed',
      'pull',
      'cold start→response',
      'cold total [interval]',
      'vs first engine',
      'warm start→response [interval]',
      'vs first engine',
      'failed samples',
    ],
    rows,
    numeric: [false, false, true, true, true, true, true, true, true, true],
    notes: [
      `Engines: ${engines.map(engineLabel).join('; ')}.`,
      'Medians, with the distribution-free interval of each median (each prints its coverage); “vs first engine” is the ' +
        'ratio of medians to the first engine’s and, in words, the median of the per-round differences (this engine − the ' +
        `first, both sampled in the same round) with its interval at ${decisionLevelText(decisionLevel(results))}: faster or ` +
        'slower only where it excludes 0. Gzip layers, direct path.',
    ],
  };
}
