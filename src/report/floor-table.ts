import { decidePaired, type PairedDecision, spread } from '../common/stats.js';
import { comparePaired, decisionLevel, decisionLevelText, decisionWords, differenceText } from './verdicts.js';
import type { RunResults, Sample, VariantResult } from '../results/types.js';
import { ms } from './format.js';
import { measuredSamples, measuredValues, primaryProfile } from './query.js';
import type { Table } from './table.js';

/** The run's floor; in a run merged from several hosts' parts, the floor measured in the same part as the variant. */
export function floorOf(results: RunResults, variantId?: string): VariantResult | undefined {
  const floors = results.variants.filter((variant) => variant.floor);
  if (floors.length <= 1 || variantId === undefined) return floors[0];
  const part = results.mergedFrom?.find((entry) => entry.variants.includes(variantId));
  return floors.find((floor) => part?.variants.includes(floor.id)) ?? floors[0];
}

/** A variant's warm start→response against its cold one, paired by round (both kinds are sampled in every round). */
export function warmAgainstCold(results: RunResults, variant: VariantResult): PairedDecision {
  const profile = primaryProfile(results);
  const cold = new Map(
    measuredSamples(variant.samples, 'cold', profile)
      .filter((sample) => sample.compression === 'gzip')
      .map((sample) => [`${sample.round}|${sample.engine}`, sample.startToFirstResponseMs]),
  );
  const differences = measuredSamples(variant.samples, 'warm', profile).flatMap((sample) => {
    const its = cold.get(`${sample.round}|${sample.engine}`);
    return its === undefined || sample.startToFirstResponseMs === undefined ? [] : [sample.startToFirstResponseMs - its];
  });
  return decidePaired(differences, decisionLevel(results));
}

/** Each variant's start→response and cold total above the engine's floor, paired by round, with intervals. */
export function floorTable(results: RunResults): Table {
  const floor = floorOf(results)!;
  const profile = primaryProfile(results);
  const floors = results.variants.filter((variant) => variant.floor).length;
  const floorFigure = (kind: Sample['kind'], pick: (sample: Sample) => number | undefined) =>
    spread(measuredValues(floor.samples, kind, pick, profile)).median;
  const start = (sample: Sample) => sample.startToFirstResponseMs;
  const total = (sample: Sample) => sample.totalMs;
  const rows = results.variants
    .filter((variant) => !variant.floor && variant.samples.some((sample) => sample.state === 'completed'))
    .map((variant) => {
      const own = floorOf(results, variant.id)!;
      const above = (kind: Sample['kind'], pick: (sample: Sample) => number | undefined) =>
        differenceText(comparePaired(results, variant, own, kind, pick, { profile }));
      return [
        variant.id,
        above('cold', start),
        above('cold', total),
        above('warm', start),
        decisionWords(warmAgainstCold(results, variant), { lower: 'warm faster', higher: 'warm slower' }),
      ];
    });
  const floorKinds = warmAgainstCold(results, floor);
  return {
    id: 'floor',
    title: "Above the engine's floor",
    header: [
      'variant',
      'cold start→response above the floor',
      'cold total above the floor',
      'warm start→response above the floor',
      'warm against cold start→response',
    ],
    rows,
    numeric: [false, true, true, true, false],
    notes: [
      `The floor: a static C HTTP server on scratch (floor/), built and measured in the same interleaved rounds: cold total ` +
        `${ms(floorFigure('cold', total))}, cold start→response ${ms(floorFigure('cold', start))}, warm start→response ` +
        `${ms(floorFigure('warm', start))} (medians). That is what any start costs on this engine and harness.`,
      ...(floors > 1
        ? [`Merged from parts measured on their own hosts: each variant is set against the floor of its own part (${floors} floors).`]
        : []),
      'Above it: the median of the per-round differences (variant − floor, same round, kind and engine), with the ' +
        `distribution-free interval of that median at ${decisionLevelText(decisionLevel(results))}. An interval that reaches 0 ` +
        'says the image adds nothing the floor does not pay that could be told apart at this n.',
      'Warm against cold: start→response of the warm sample − the cold one of the same round (the image was just pulled for ' +
        'the cold one, present all along for the warm one); with kinds interleaved in every round, drift is not a difference. ' +
        `The floor’s own: ${decisionWords(floorKinds, { lower: 'warm faster', higher: 'warm slower' })}.`,
    ],
  };
}
