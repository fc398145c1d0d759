import { mb, ms } from './format.js';
import { engineLabel } from '../engine/describe.js';
import { spread, type Spread } from '../common/stats.js';
import type { RunResults, Sample, VariantResult } from '../results/types.js';
import { enginesOf, viewOn } from '../results/views.js';
import { measuredValues, primaryProfile } from './query.js';
import type { Table } from './table.js';

function figure(
  variant: VariantResult | undefined,
  kind: Sample['kind'],
  pick: (sample: Sample) => number | undefined,
  profile: string,
): Spread {
  return spread(measuredValues(variant?.samples ?? [], kind, pick, profile));
}

const withInterval = (value: Spread) =>
  value.median === undefined ? '–' : `${ms(value.median)} [${ms(value.ci!.low)}–${ms(value.ci!.high)}]`;

/** Ratio of medians to the first engine's, and whether the intervals of the two medians overlap. */
export function ratioCell(value: Spread, reference: Spread): string {
  if (value.median === undefined || reference.median === undefined) return '–';
  const overlap = value.ci!.low <= reference.ci!.high && reference.ci!.low <= value.ci!.high;
  return `${(value.median / reference.median).toFixed(2)}×${overlap ? ' (intervals overlap)' : ''}`;
}

/** Each variant on each engine: the same images, the same containers, interleaved in the same rounds. */
export function engineTable(results: RunResults): Table {
  const engines = enginesOf(results);
  const profile = primaryProfile(results);
  const perEngine = engines.map((engine) => viewOn(results, engine.name));
  const rows = results.variants
    .filter((variant) => variant.image)
    .flatMap((variant, index) => {
      const reference = perEngine[0]!.variants[index];
      const referenceTotal = figure(reference, 'cold', (sample) => sample.totalMs, profile);
      const referenceWarm = figure(reference, 'warm', (sample) => sample.startToFirstResponseMs, profile);
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
          withInterval(total),
          engineIndex === 0 ? '1' : ratioCell(total, referenceTotal),
          withInterval(warm),
          engineIndex === 0 ? '1' : ratioCell(warm, referenceWarm),
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
      'Medians, with the distribution-free interval of each median; “vs first engine” is the ratio of medians ' +
        'to the first engine’s, ' +
        'marked where the two intervals overlap (no difference shown). Gzip layers, direct path.',
    ],
  };
}
