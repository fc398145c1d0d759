import { coldAndWarmPlan } from '../fixtures/builders.js';
import { describe, expect, it } from 'vitest';
import { medianAbsoluteDeviation, medianInterval, modifiedZScores, spread } from '../../src/common/stats.js';
import { type SampleSlot, scheduleSamples, seededRandom, shuffled, takesSampleIn } from '../../src/measure/schedule.js';

describe('the statistics', () => {
  it('measure spread as the median absolute deviation', () => {
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 100])).toBe(1);
  });

  it('give the median an order-statistic interval with its true coverage', () => {
    // Five samples: only [min, max] is possible, and it covers 1 - 2/32 = 93.75%.
    expect(medianInterval([5, 1, 4, 2, 3])).toEqual({ low: 1, high: 5, coverage: 0.9375 });
    // Ten samples: ranks 2 and 9 keep at least 95% (97.85%).
    const ten = medianInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])!;
    expect([ten.low, ten.high]).toEqual([2, 9]);
    expect(ten.coverage).toBe(1 - 22 / 1024);
  });

  it('flag an outlier by its modified Z-score and keep it in every figure', () => {
    const values = [100, 102, 101, 99, 100, 250];
    expect(modifiedZScores(values)[5]).toBeGreaterThan(3.5);
    const figure = spread(values);
    expect(figure.outliers).toEqual([5]);
    expect(figure.max).toBe(250);
    expect(figure.n).toBe(6);
  });

  it('flag nothing when the samples agree, or differ by a hair', () => {
    expect(spread([7, 7, 7]).outliers).toEqual([]);
    // Three equal samples make the MAD zero-ish; 0.2% off is still not an outlier.
    expect(spread([12021, 12021.5, 12020.8, 12046, 12040]).outliers).toEqual([]);
  });
});

describe('the sample schedule', () => {
  it('interleaves every variant and every kind in each round, warm-up rounds first', () => {
    const rounds = scheduleSamples(coldAndWarmPlan({ variants: ['a', 'b', 'c'], cold: 2, warm: 2, warmup: 1, seed: 7 }));
    expect(rounds).toHaveLength(3);
    for (const round of rounds) {
      expect(round.map((slot) => `${slot.kind} ${slot.variant}`).sort()).toEqual([
        'cold a',
        'cold b',
        'cold c',
        'warm a',
        'warm b',
        'warm c',
      ]);
    }
    expect(rounds[0]!.every((slot) => slot.warmup)).toBe(true);
    expect(rounds[2]!.every((slot) => slot.repetition === 3 && !slot.warmup)).toBe(true);
    // Kinds are shuffled together: some round does not take all its cold samples first.
    const coldFirst = (round: SampleSlot[]) => round.slice(0, 3).every((slot) => slot.kind === 'cold');
    expect(rounds.every(coldFirst)).toBe(false);
  });

  it('spreads a kind with fewer samples evenly over the rounds instead of bunching it at the start', () => {
    const rounds = scheduleSamples(coldAndWarmPlan({ variants: ['a'], cold: 5, warm: 10, warmup: 0, seed: 1 }));
    expect(rounds).toHaveLength(10);
    const coldRounds = rounds.flatMap((round) => (round.some((slot) => slot.kind === 'cold') ? [round[0]!.round] : []));
    expect(coldRounds).toEqual([1, 3, 5, 7, 9]);
    expect(
      rounds
        .flat()
        .filter((slot) => slot.kind === 'cold')
        .map((slot) => slot.repetition),
    ).toEqual([1, 2, 3, 4, 5]);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter((index) => takesSampleIn(index, 10, 10))).toHaveLength(10);
  });

  it('is the same for the same seed and differs across seeds', () => {
    const plan = { variants: ['a', 'b', 'c', 'd', 'e'], cold: 5, warm: 5, warmup: 0 };
    const order = (seed: number) =>
      scheduleSamples(coldAndWarmPlan({ ...plan, seed })).map((round) => round.map((slot) => slot.variant).join(''));
    expect(order(42)).toEqual(order(42));
    expect(order(42)).not.toEqual(order(43));
    // Not always the same order within a run either.
    expect(new Set(order(42)).size).toBeGreaterThan(1);
  });

  it('shuffles without losing or repeating items', () => {
    const random = seededRandom(1);
    for (let trial = 0; trial < 20; trial += 1) expect([...shuffled([1, 2, 3, 4], random)].sort()).toEqual([1, 2, 3, 4]);
  });
});
