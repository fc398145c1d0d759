/**
 * The comparisons a run of several engines or layer compressions exists to make: each engine against the first
 * (cold total, warm start→response) and zstd against gzip (cold pull), each paired per round. README's figures count
 * them, and sampling until decided keeps a variant in the rounds while one of its comparisons is still open.
 */
import type { PairedDecision } from '../common/stats.js';
import type { RunResults, Sample, SampleKind } from '../results/types.js';
import { enginesOf, viewOn } from '../results/views.js';
import { primaryProfile, profileOf } from './query.js';
import { comparePaired } from './verdicts.js';

/** One comparison of a variant on an engine, decided. */
export interface VariantComparison {
  variant: string;
  engine: string;
  decision: PairedDecision;
}

/** The key of the sample B took in the same round as A's, on another engine or compression. */
export const partnerOn =
  (engine: string, compression?: string) =>
  (sample: Sample): string =>
    `${sample.round}|${engine}|${compression ?? sample.compression}|${profileOf(sample)}`;

/** The comparison of one variant on one engine, if the run made it. */
export function comparisonOf(comparisons: VariantComparison[], variant: string, engine: string): VariantComparison | undefined {
  return comparisons.find((item) => item.variant === variant && item.engine === engine);
}

/** What an engine is compared with the first by, per kind: the whole cold start, and the warm start. */
const ENGINE_FIGURE: Partial<Record<SampleKind, (sample: Sample) => number | undefined>> = {
  cold: (sample) => sample.totalMs,
  warm: (sample) => sample.startToFirstResponseMs,
};

/** Every (variant, engine) against the first engine, paired per round: cold totals or warm start→response. */
export function engineComparisons(run: RunResults, kind: SampleKind): VariantComparison[] {
  const [first, ...others] = enginesOf(run);
  const pick = ENGINE_FIGURE[kind];
  if (!first || !pick) return [];
  const reference = viewOn(run, first.name);
  const profile = primaryProfile(run);
  return others.flatMap((engine) =>
    viewOn(run, engine.name).variants.flatMap((variant) => {
      const partner = reference.variants.find((item) => item.id === variant.id);
      if (!partner || !variant.image) return [];
      const decision = comparePaired(run, variant, partner, kind, pick, { profile, partner: partnerOn(first.name) });
      return [{ variant: variant.id, engine: engine.name, decision }];
    }),
  );
}

/** Every (variant, engine that reads zstd): the zstd pull against the gzip pull of the same round. */
export function zstdComparisons(run: RunResults): VariantComparison[] {
  const profile = primaryProfile(run);
  return enginesOf(run)
    .filter((engine) => engine.zstd.reads)
    .flatMap((engine) => {
      const [gzip, zstd] = [viewOn(run, engine.name, 'gzip'), viewOn(run, engine.name, 'zstd')];
      return zstd.variants.flatMap((variant) => {
        const partner = gzip.variants.find((item) => item.id === variant.id);
        if (!partner || !variant.samples.some((sample) => sample.kind === 'cold')) return [];
        const pull = (sample: Sample) => sample.pullMs;
        const decision = comparePaired(run, variant, partner, 'cold', pull, { profile, partner: partnerOn(engine.name, 'gzip') });
        return [{ variant: variant.id, engine: engine.name, decision }];
      });
    });
}
