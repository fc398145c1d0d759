import { describe, expect, it } from 'vitest';
import { decidePaired, decideShift, pairsNeeded, sequentialDesign } from '../../src/common/stats.js';
import { seededRandom } from '../../src/measure/schedule.js';

/** A start time with a long right tail, like a container start: lognormal around `median` ms. */
function startTime(random: () => number, median: number): number {
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return median * Math.exp(0.25 * normal);
}

/** Per-round differences A − B; each round also carries a drift both variants share (it cancels in the difference). */
function differences(random: () => number, rounds: number, shift: number): number[] {
  return Array.from({ length: rounds }, (_, round) => {
    const drift = 1 + round * 0.01;
    return startTime(random, 200 * drift) + shift - startTime(random, 200 * drift);
  });
}

/** Looks at the data as sampling until decided does; the round it decided at, or undefined. */
function sequentialRun(all: readonly number[], looks: readonly number[], level: number): { at?: number; direction?: string } {
  for (const look of looks) {
    const decision = decidePaired(all.slice(0, look), level);
    if (decision.direction !== 'tie') return { at: look, direction: decision.direction };
  }
  return {};
}

const TRIALS = 4000;

describe('sampling until decided', () => {
  const design = sequentialDesign(30);

  it('looks at rounds 8, 12, 18, 27 and the cap, and splits 5% over them and one unplanned look', () => {
    expect(design.looks).toEqual([8, 12, 18, 27, 30]);
    expect(design.lookLevel).toBeCloseTo(1 - 0.05 / 6, 10);
    // The first look can decide at all: eight pairs reach that coverage.
    expect(pairsNeeded(design.lookLevel)).toBeLessThanOrEqual(design.looks[0]!);
  });

  it('declares two identical variants different no more often than 5% of the time, over all its looks', () => {
    const random = seededRandom(2026);
    let falseDecisions = 0;
    for (let trial = 0; trial < TRIALS; trial += 1) {
      if (sequentialRun(differences(random, 30, 0), design.looks, design.lookLevel).at !== undefined) falseDecisions += 1;
    }
    const rate = falseDecisions / TRIALS;
    // 5% plus three standard errors of a 4000-trial estimate.
    expect(rate).toBeLessThanOrEqual(0.05 + 3 * Math.sqrt((0.05 * 0.95) / TRIALS));
  });

  it('would not hold it by deciding at 95% at every round: the split is what keeps the rate', () => {
    const random = seededRandom(7);
    const everyRound = Array.from({ length: 25 }, (_, index) => index + 6);
    let falseDecisions = 0;
    for (let trial = 0; trial < TRIALS; trial += 1) {
      if (sequentialRun(differences(random, 30, 0), everyRound, 0.95).at !== undefined) falseDecisions += 1;
    }
    expect(falseDecisions / TRIALS).toBeGreaterThan(0.1);
  });

  it('decides a real difference, in the right direction, and a large one at the first look', () => {
    const random = seededRandom(11);
    let decided = 0;
    let wrongWay = 0;
    let atFirstLook = 0;
    for (let trial = 0; trial < 1000; trial += 1) {
      // A is 90 ms slower (about 1.3 spreads of a per-round difference).
      const outcome = sequentialRun(differences(random, 30, 90), design.looks, design.lookLevel);
      if (outcome.at !== undefined) decided += 1;
      if (outcome.direction === 'lower') wrongWay += 1;
      const large = sequentialRun(differences(random, 30, 400), design.looks, design.lookLevel);
      if (large.at === 8) atFirstLook += 1;
    }
    expect(decided / 1000).toBeGreaterThan(0.8);
    expect(wrongWay).toBe(0);
    expect(atFirstLook / 1000).toBeGreaterThan(0.95);
  });
});

describe('a paired decision', () => {
  it('is a tie when too few pairs can reach the coverage, even if every difference has the same sign', () => {
    const five = decidePaired([10, 12, 11, 9, 13]);
    expect(five.ci!.coverage).toBe(0.9375);
    expect(five.direction).toBe('tie');
    expect(decidePaired([10, 12, 11, 9, 13, 14]).direction).toBe('higher');
    expect(decidePaired([-10, -12, -11, -9, -13, -14]).direction).toBe('lower');
  });

  it('is a tie when the interval holds 0', () => {
    expect(decidePaired([5, -3, 8, -2, 4, 6, -1, 7, 3, -4]).direction).toBe('tie');
  });
});

describe('two runs compared (no shared rounds): the two-sample shift', () => {
  it('reaches its coverage from the Mann–Whitney distribution and finds a clear shift', () => {
    const decision = decideShift([1, 2, 3, 4, 5], [11, 12, 13, 14, 15]);
    // 5 and 5 samples: 252 arrangements; the interval at k = 3 keeps 1 − 2·4/252 = 96.8%.
    expect(decision.ci!.coverage).toBeCloseTo(1 - 8 / 252, 10);
    expect(decision.median).toBe(10);
    expect(decision.direction).toBe('higher');
    expect(decideShift([1, 2, 3], [11, 12, 13]).direction).toBe('tie');
  });

  it('declares two runs of the same distribution different no more often than 5% of the time', () => {
    const random = seededRandom(99);
    let falseDecisions = 0;
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const run = () => Array.from({ length: 10 }, () => startTime(random, 200));
      if (decideShift(run(), run()).direction !== 'tie') falseDecisions += 1;
    }
    expect(falseDecisions / TRIALS).toBeLessThanOrEqual(0.05 + 3 * Math.sqrt((0.05 * 0.95) / TRIALS));
  });
});
