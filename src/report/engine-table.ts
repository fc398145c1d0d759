import { mb, ms } from './format.js';
import { engineLabel } from './engine-label.js';
import { spread, type Spread } from '../common/stats.js';
import type { RunResults, Sample, VariantResult } from '../results/types.js';
import { enginesOf, viewOn } from '../results/views.js';
import { measuredValues, primaryProfile, profileOf } from './query.js';
import { comparePaired, decisionLevel, decisionLevelText, decisionWords, medianWithInterval } from './verdicts.js';
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
 * A against B as a ratio of medians and, in words, the paired per-round decision: the two were
 * sampled in the same rounds (on another engine, or with other layers), matched by `partner`.
 */
export function versusCell(
  results: RunResults,
  pair: { a: VariantResult | undefined; b: VariantResult | undefined },
  kind: Sample['kind'],
  pick: (sample: Sample) => number | undefined,
  partner: (sample: Sample) => string,
): string {
  const { a, b } = pair;
  const [mine, its] = [figure(a, kind, pick, primaryProfile(results)).median, figure(b, kind, pick, primaryProfile(results)).median];
  if (!a || !b || mine === undefined || its === undefined) return '–';
  const decision = comparePaired(results, a, b, kind, pick, { profile: primaryProfile(results), partner });
  return `${(mine / its).toFixed(2)}×: ${decisionWords(decision)}`;
}

/** The key of the sample B took in the same round as A's, on another engine or compression. */
export const partnerOn =
  (engine: string, compression?: string) =>
  (sample: Sample): string =>
    `${sample.round}|${engine}|${compression ?? sample.compression}|${profileOf(sample)}`;

/** Each variant on each engine: the same images, the same containers, interleaved in the same rounds. */
export function engineTable(results: RunResults): Table {
  const engines = enginesOf(results);
  const profile = primaryProfile(results);
  const perEngine = engines.map((engine) => viewOn(results, engine.name));
  const first = engines[0]!.name;
  const rows = results.variants
    .filter((variant) => variant.image)
    .flatMap((variant, index) => {
      const reference = perEngine[0]!.variants[index];
      return engines.map((engine, engineIndex) => {
        const mine = perEngine[engineIndex]!.variants.find((item) => item.id === variant.id);
        const total = figure(mine, 'cold', (sample) => sample.totalMs, profile);
        const warm = figure(mine, 'warm', (sample) => sample.startToFirstResponseMs, profile);
        const failed = mine?.samples.filter((sample) => sample.state === 'failed').length ?? 0;
        return [
          variant.id,
          engine.name,
          mb(variant.image!.compressedBytes),
          ms(figure(mine, 'cold', (sample) => sample.pullMs, profile).median),
          ms(figure(mine, 'cold', (sample) => sample.startToFirstResponseMs, profile).median),
          medianWithInterval(total),
          engineIndex === 0 ? '1' : versusCell(results, { a: mine, b: reference }, 'cold', (sample) => sample.totalMs, partnerOn(first)),
          medianWithInterval(warm),
          engineIndex === 0
            ? '1'
            : versusCell(results, { a: mine, b: reference }, 'warm', (sample) => sample.startToFirstResponseMs, partnerOn(first)),
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
