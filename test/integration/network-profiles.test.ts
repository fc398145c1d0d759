import { beforeAll, describe, expect, it } from 'vitest';
import { idealTransferMs, type NetworkProfile } from '../../src/network/profiles.js';
import { measuredRun } from '../fixtures/bench-options.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';
import type { RunResults, Sample } from '../../src/results/types.js';

const EDGE: NetworkProfile = { name: 'edge', bitsPerSecond: 20_000_000, rttMs: 50 };

describe('cold pulls through a network profile, on the real engine', () => {
  const outDir = suiteTempDir();
  let results: RunResults;
  beforeAll(async () => {
    results = await measuredRun({ scenarios: ['go-hello'], variantFilter: ['scratch'], seed: 3, outDir: outDir(), profiles: [null, EDGE] });
  });

  const cold = (profile: string | undefined): Sample =>
    results.variants[0]!.samples.find((sample) => sample.kind === 'cold' && sample.profile === profile)!;

  it('takes one cold sample per profile, each answering', () => {
    expect(results.options.profiles.map((profile) => profile.name)).toEqual(['none', 'edge']);
    expect(cold(undefined).state).toBe('completed');
    expect(cold('edge').state).toBe('completed');
  });

  it('carries the whole image through the proxy, no faster than the link allows', () => {
    const image = results.variants[0]!.image!;
    const shaped = cold('edge');
    expect(shaped.pull!.bytesTransferred).toBeGreaterThanOrEqual(image.compressedBytes);
    expect(shaped.pullMs).toBeGreaterThanOrEqual(idealTransferMs(EDGE, image.compressedBytes, 0));
    // Side by side in one run: the direct pull is not held back by the profile.
    expect(cold(undefined).pull!.bytesTransferred).toBeUndefined();
    expect(cold(undefined).pullMs! * 2).toBeLessThan(shaped.pullMs!);
  });
});
