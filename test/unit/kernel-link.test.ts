import { describe, expect, it } from 'vitest';
import { tbfArguments } from '../../src/network/kernel-link.js';

describe("the kernel's shaping for the network yardstick", () => {
  it('gives tbf a bucket of a timer tick at the rate, never under 32 KB', () => {
    expect(tbfArguments(5_000_000)).toEqual(['tbf', 'rate', '5000000bit', 'burst', '32768', 'latency', '200ms']);
    expect(tbfArguments(1_000_000_000)).toEqual(['tbf', 'rate', '1000000000bit', 'burst', '500000', 'latency', '200ms']);
  });
});
