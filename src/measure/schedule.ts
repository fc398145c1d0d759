/**
 * The order samples are taken in. Variants and kinds (cold, base-cached, warm) are interleaved and
 * shuffled afresh each round, so drift in the machine (thermal, page cache, a neighbour's load)
 * spreads over every variant and kind instead of landing on whichever came last. The shuffle is
 * seeded and the seed recorded.
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

/** One way of taking a sample of a variant: an engine, and for a kind that pulls through paths a network profile and a compression. */
export interface SamplePath {
  engine?: string;
  profile?: string;
  compression?: 'zstd';
}

/** The slots of one kind a round can hold: every (variant, path) pair of that kind, and how many samples of it a variant gets. */
export interface KindPlan {
  kind: SampleKind;
  repeat: number;
  pairs: ReadonlyArray<SamplePath & { variant: string }>;
}

export interface SchedulePlan {
  variants: readonly string[];
  /**
   * Per kind, its pairs: engines are interleaved within each round like variants, so drift lands on all of them alike.
   * A kind with no pairs or no repeats takes no slot.
   */
  kinds: readonly KindPlan[];
  warmup: number;
  seed: number;
}

/** Every variant through every path: the pairs of a kind that every variant takes. */
export function everyPair(variants: readonly string[], paths: readonly SamplePath[] = [{}]): Array<SamplePath & { variant: string }> {
  return variants.flatMap((variant) => paths.map((path) => ({ variant, ...path })));
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

const kindsTaken = (plan: SchedulePlan) => plan.kinds.filter((entry) => entry.repeat > 0 && entry.pairs.length > 0);

/**
 * Whether a kind with `repeat` measured samples takes one in measured round `index` (1-based) of
 * `rounds`: its samples are spread evenly over the rounds, so a kind with fewer samples is not
 * bunched at the start (where drift would set it apart from the others).
 */
export function takesSampleIn(index: number, repeat: number, rounds: number): boolean {
  return Math.ceil((index * repeat) / rounds) > Math.ceil(((index - 1) * repeat) / rounds);
}

/**
 * One round: every kind's slots shuffled together, so drift in the machine lands on cold,
 * base-cached and warm samples alike and a per-round difference between kinds cancels it.
 * `variants` narrows the round to those still sampled (sampling until decided drops the rest).
 */
export function roundSlots(
  plan: SchedulePlan,
  round: number,
  kinds: ReadonlyArray<{ kind: SampleKind; repetition: number; warmup: boolean }>,
  random: () => number,
  variants?: ReadonlySet<string>,
): SampleSlot[] {
  const byKind = new Map(kinds.map((entry) => [entry.kind, entry]));
  const slots = kindsTaken(plan).flatMap(({ kind, pairs }) => {
    const taken = byKind.get(kind);
    if (!taken) return [];
    return pairs
      .filter((pair) => variants === undefined || variants.has(pair.variant))
      .map(({ variant, ...path }) => ({ round, kind, variant, repetition: taken.repetition, warmup: taken.warmup, ...path }));
  });
  return shuffled(slots, random);
}

/**
 * A fixed design: warm-up rounds first (every kind), then as many measured rounds as the kind with
 * the most samples needs; each kind's samples spread evenly over them, all kinds shuffled together.
 */
export function scheduleSamples(plan: SchedulePlan): SampleSlot[][] {
  const random = seededRandom(plan.seed);
  const kinds = kindsTaken(plan);
  if (kinds.length === 0) return [];
  const measuredRounds = Math.max(...kinds.map((entry) => entry.repeat));
  const rounds: SampleSlot[][] = [];
  for (let round = 1; round <= plan.warmup + measuredRounds; round += 1) {
    const warmup = round <= plan.warmup;
    const index = round - plan.warmup;
    const taking = kinds
      .filter((entry) => warmup || takesSampleIn(index, entry.repeat, measuredRounds))
      .map((entry) => ({
        kind: entry.kind,
        warmup,
        repetition: warmup ? round : plan.warmup + Math.ceil((index * entry.repeat) / measuredRounds),
      }));
    rounds.push(roundSlots(plan, round, taking, random));
  }
  return rounds;
}

/** The rounds of a run, one at a time: a fixed schedule, or one that narrows as picks are decided. */
export interface Rounds {
  next(): SampleSlot[] | undefined;
  /** After a round is taken: sampling until decided looks at the data here. */
  after(round: number): void;
  fixed: boolean;
  /** Samples and rounds planned (under sampling until decided: at most). */
  samples: number;
  count: number;
  /** Sampling until decided: the time it may take at most (--budget), whatever the rounds planned. */
  budgetMs?: number;
}

export function fixedRounds(plan: SchedulePlan): Rounds {
  const rounds = scheduleSamples(plan);
  let index = 0;
  return {
    next: () => rounds[index++],
    after: () => {},
    fixed: true,
    samples: rounds.reduce((sum, round) => sum + round.length, 0),
    count: rounds.length,
  };
}
