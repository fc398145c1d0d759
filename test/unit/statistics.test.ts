import { describe, expect, it } from 'vitest';
import { medianAbsoluteDeviation, medianInterval, modifiedZScores, spread } from '../../src/common/stats.js';
import { scheduleSamples, seededRandom, shuffled } from '../../src/pipeline/schedule.js';

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
  it('interleaves every variant in each round, cold rounds first, warm-ups leading', () => {
    const rounds = scheduleSamples({ variants: ['a', 'b', 'c'], coldRepeat: 2, warmRepeat: 1, warmup: 1, seed: 7 });
    expect(rounds.map((round) => `${round[0]!.kind}${round[0]!.warmup ? '*' : ''}`)).toEqual(['cold*', 'cold', 'cold', 'warm*', 'warm']);
    for (const round of rounds) expect([...round.map((slot) => slot.variant)].sort()).toEqual(['a', 'b', 'c']);
    expect(rounds[2]!.every((slot) => slot.repetition === 3 && !slot.warmup)).toBe(true);
  });

  it('is the same for the same seed and differs across seeds', () => {
    const plan = { variants: ['a', 'b', 'c', 'd', 'e'], coldRepeat: 5, warmRepeat: 5, warmup: 0 };
    const order = (seed: number) => scheduleSamples({ ...plan, seed }).map((round) => round.map((slot) => slot.variant).join(''));
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
