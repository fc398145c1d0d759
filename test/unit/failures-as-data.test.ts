import { describe, expect, it } from 'vitest';
import { settle } from '../../src/pipeline/measure-rounds.js';
import { p95BeyondTimeout, sampleOutcomes, successText } from '../../src/report/summary-rows.js';
import type { Sample, VariantResult } from '../../src/results/types.js';
import { sampleOf, variantOf } from '../fixtures/builders.js';

const sample = (kind: Sample['kind'], state: Sample['state'], extra: Partial<Sample> = {}): Sample =>
  sampleOf({ kind, state, ...(state === 'completed' ? { totalMs: 100, startToFirstResponseMs: 90 } : {}), ...extra });

const variant = (samples: Sample[], state: VariantResult['state'] = 'pending'): VariantResult => variantOf('app/v', samples, { state });

describe('failures are data', () => {
  it('counts completed, failed and timed-out samples per kind, warm-ups aside, cold ones of the profile only', () => {
    const outcomes = sampleOutcomes(
      variant([
        sample('cold', 'failed', { warmup: true, error: 'timeout: no HTTP 200' }),
        sample('cold', 'completed'),
        sample('cold', 'failed', { error: 'timeout: no HTTP 200 within 30000 ms' }),
        sample('cold', 'failed', { error: 'pull failed: EOF' }),
        sample('cold', 'completed', { profile: 'cloud' }),
        sample('warm', 'completed'),
      ]),
      'none',
    );
    expect(outcomes.cold).toEqual({ completed: 1, failed: 2, timedOut: 1 });
    expect(outcomes.warm).toEqual({ completed: 1, failed: 0, timedOut: 0 });
    expect(outcomes['base-cached']).toEqual({ completed: 0, failed: 0, timedOut: 0 });
    expect(successText(outcomes.cold)).toBe('1/3 (1 timed out)');
  });

  it('shows p95 as beyond the timeout once more than 5% of samples timed out', () => {
    expect(p95BeyondTimeout({ completed: 19, failed: 1, timedOut: 1 })).toBe(false);
    expect(p95BeyondTimeout({ completed: 18, failed: 2, timedOut: 2 })).toBe(true);
  });

  it('makes a variant partial when some measured samples failed, failed when none completed', () => {
    const partial = variant([sample('cold', 'completed'), sample('cold', 'failed', { error: 'timeout: x' })], 'failed');
    settle(partial);
    expect(partial.state).toBe('partial');
    const failed = variant([sample('cold', 'failed', { error: 'timeout: x' })], 'failed');
    settle(failed);
    expect(failed.state).toBe('failed');
  });

  it('does not mark a variant failed for a failed warm-up, unless the app exited', () => {
    const warmupOnly = variant([sample('cold', 'failed', { warmup: true, error: 'timeout: x' }), sample('cold', 'completed')]);
    settle(warmupOnly);
    expect(warmupOnly.state).toBe('completed');
    const exited = variant([sample('cold', 'failed', { warmup: true, exitCode: 1, error: 'container exited with code 1' })], 'failed');
    settle(exited);
    expect(exited.state).toBe('failed');
  });
});
