/**
 * The order samples are taken in. Variants are interleaved and shuffled afresh each round, so
 * drift in the machine (thermal, page cache, a neighbour's load) spreads over every variant
 * instead of landing on whichever came last. The shuffle is seeded and the seed recorded.
 */
import type { SampleKind } from '../results/types.js';

export interface SampleSlot {
  round: number;
  kind: SampleKind;
  variant: string;
  /** 1-based among this variant's samples of this kind, warm-ups included. */
  repetition: number;
  /** Warm-up samples are taken and recorded, but left out of every statistic. */
  warmup: boolean;
  /** The network profile a cold sample pulls through. */
  profile?: string;
  /** The engine the sample runs on, when the run has more than one. */
  engine?: string;
  /** Layer compression of the image a cold sample pulls, when not gzip. */
  compression?: 'zstd';
}

/** One way of taking a cold sample of a variant: an engine, a network profile, a compression. */
export interface ColdPath {
  engine?: string;
  profile?: string;
  compression?: 'zstd';
}

export interface SchedulePlan {
  variants: readonly string[];
  coldRepeat: number;
  warmRepeat: number;
  warmup: number;
  seed: number;
  /** Cold samples are taken once per profile; warm ones pull nothing, so once. */
  profiles?: readonly string[];
  /**
   * Instead of profiles: every (engine, profile, compression) a cold sample is taken through.
   * Engines are interleaved within each round like variants, so drift lands on all of them alike.
   */
  coldPaths?: readonly ColdPath[];
  /** Warm samples are taken once per engine. */
  engines?: readonly string[];
  /** Base-cached samples, on the direct path, once per engine, of the variants whose runtime base has layers. */
  baseCachedRepeat?: number;
  baseCachedVariants?: readonly string[];
}

/** mulberry32: a small, good-enough PRNG whose whole state is the seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const result = [...items];
  for (let index = result.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [result[index], result[other]] = [result[other]!, result[index]!];
  }
  return result;
}

/** Cold rounds first (each purges and pulls), then base-cached ones, then warm rounds; warm-up rounds lead each kind. */
export function scheduleSamples(plan: SchedulePlan): SampleSlot[][] {
  const random = seededRandom(plan.seed);
  const coldPaths: readonly ColdPath[] =
    plan.coldPaths ?? (plan.profiles ?? [undefined]).map((profile) => (profile === undefined ? {} : { profile }));
  const coldPairs = plan.variants.flatMap((variant) => coldPaths.map((path) => ({ variant, ...path })));
  const warmPairs = plan.variants.flatMap((variant) =>
    (plan.engines ?? [undefined]).map((engine) => (engine === undefined ? { variant } : { variant, engine })),
  );
  const baseCached = new Set(plan.baseCachedVariants ?? []);
  const baseCachedPairs = warmPairs.filter((pair) => baseCached.has(pair.variant));
  const rounds: SampleSlot[][] = [];
  for (const [kind, repeat, pairs] of [
    ['cold', plan.coldRepeat, coldPairs],
    ['base-cached', plan.baseCachedRepeat ?? 0, baseCachedPairs],
    ['warm', plan.warmRepeat, warmPairs],
  ] as const) {
    if (repeat === 0 || pairs.length === 0) continue;
    for (let repetition = 1; repetition <= plan.warmup + repeat; repetition += 1) {
      const round = rounds.length + 1;
      rounds.push(
        shuffled<ColdPath & { variant: string }>(pairs, random).map(({ variant, ...path }) => ({
          round,
          kind,
          variant,
          repetition,
          warmup: repetition <= plan.warmup,
          ...path,
        })),
      );
    }
  }
  return rounds;
}
