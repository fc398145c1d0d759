/**
 * The order samples are taken in. Variants are interleaved and shuffled afresh each round, so
 * drift in the machine (thermal, page cache, a neighbour's load) spreads over every variant
 * instead of landing on whichever came last. The shuffle is seeded and the seed recorded.
 */

export interface SampleSlot {
  round: number;
  kind: 'cold' | 'warm';
  variant: string;
  /** 1-based among this variant's samples of this kind, warm-ups included. */
  repetition: number;
  /** Warm-up samples are taken and recorded, but left out of every statistic. */
  warmup: boolean;
  /** The network profile a cold sample pulls through. */
  profile?: string;
}

export interface SchedulePlan {
  variants: readonly string[];
  coldRepeat: number;
  warmRepeat: number;
  warmup: number;
  seed: number;
  /** Cold samples are taken once per profile; warm ones pull nothing, so once. */
  profiles?: readonly string[];
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

/** Cold rounds first (each purges and pulls), then warm rounds; warm-up rounds lead each kind. */
export function scheduleSamples(plan: SchedulePlan): SampleSlot[][] {
  const random = seededRandom(plan.seed);
  const profiles = plan.profiles ?? [undefined];
  const coldPairs = plan.variants.flatMap((variant) => profiles.map((profile) => ({ variant, profile })));
  const warmPairs = plan.variants.map((variant) => ({ variant, profile: undefined }));
  const rounds: SampleSlot[][] = [];
  for (const [kind, repeat, pairs] of [
    ['cold', plan.coldRepeat, coldPairs],
    ['warm', plan.warmRepeat, warmPairs],
  ] as const) {
    if (repeat === 0) continue;
    for (let repetition = 1; repetition <= plan.warmup + repeat; repetition += 1) {
      const round = rounds.length + 1;
      rounds.push(
        shuffled(pairs, random).map(({ variant, profile }) => ({
          round,
          kind,
          variant,
          repetition,
          warmup: repetition <= plan.warmup,
          ...(profile === undefined ? {} : { profile }),
        })),
      );
    }
  }
  return rounds;
}
