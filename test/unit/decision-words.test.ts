import { describe, expect, it } from 'vitest';
import { decidePaired } from '../../src/common/stats.js';
import { decisionWords, signedMs } from '../../src/report/verdicts.js';

describe('the words of a decision', () => {
  it('never print an interval that excludes 0 as one that reaches it', () => {
    // Eight rounds, every difference below 0: decided, its nearest bound under half a millisecond.
    const decision = decidePaired([-0.4, -12, -20, -37, -38, -40, -45, -51], 0.95);
    expect(decision.direction).toBe('lower');
    expect(decisionWords(decision)).toBe('faster by 38 ms (+0.4 ms to +51 ms, 99.2%)');
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
    expect(decisionWords(decision)).toBe('no difference found at n = 8 (−51 ms to 0 ms, 99.2%)');
  });
});
