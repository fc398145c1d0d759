import { describe, expect, it } from 'vitest';
import { decidePaired } from '../../src/common/stats.js';
import { decisionWords, signedMs } from '../../src/report/verdicts.js';

describe('the words of a decision', () => {
  it('never print an interval that excludes 0 as one that reaches it', () => {
    // Eight rounds, every difference below 0: decided, its nearest bound under half a millisecond.
    const decision = decidePaired([-0.4, -12, -20, -37, -38, -40, -45, -51], 0.95);
    expect(decision.direction).toBe('lower');
    expect(decisionWords(decision)).toBe('faster by 38 ms (0.4 ms to 51 ms, 99.2%)');
    expect([signedMs(0), signedMs(0.04), signedMs(-0.26), signedMs(0.5), signedMs(-1234)]).toEqual([
      '0 ms',
      '+0.04 ms',
      '−0.3 ms',
      '+1 ms',
      '−1.23 s',
    ]);
  });

  it('say a tie whose interval reaches 0 exactly, as such', () => {
    const decision = decidePaired([0, -12, -20, -37, -38, -40, -45, -51], 0.95);
    expect(decisionWords(decision)).toBe('no difference found at n = 8 (0 ms to 51 ms faster, 99.2%)');
  });

  it('put every interval in the words of its directions, so no sign has to be read', () => {
    const spanning = decidePaired([-40, -30, -20, -10, -5, 0, 4, 8], 0.95);
    expect(decisionWords(spanning)).toBe('no difference found at n = 8 (between 40 ms faster and 8 ms slower, 99.2%)');
    expect(decisionWords(spanning, { lower: 'warm faster', higher: 'warm slower' })).toBe(
      'no difference found at n = 8 (warm between 40 ms faster and 8 ms slower, 99.2%)',
    );
    // Too few rounds for 95%: the interval it has excludes 0, at its own lower coverage, and says which way.
    expect(decisionWords(decidePaired([12, 20, 31], 0.95))).toBe('not decided at n = 3: 95% needs 6 rounds (12 ms to 31 ms slower, 75%)');
    expect(decisionWords(decidePaired([12, 20, 31, 40, 55, 61, 70, 90], 0.95))).toBe('slower by 48 ms (12 ms to 90 ms, 99.2%)');
    // One round: a difference with no interval at all, said as such.
    expect(decisionWords(decidePaired([-25], 0.95), { lower: 'warm faster', higher: 'warm slower' })).toBe(
      'not decided at n = 1: 95% needs 6 rounds (one round: warm 25 ms faster)',
    );
  });
});
