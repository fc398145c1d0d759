import { spread, type Spread } from '../measure/stats.js';
import type { RunResults, Sample, VariantResult } from '../results/types.js';

export interface SummaryRow {
  id: string;
  app: string;
  language: string;
  variant: string;
  state: VariantResult['state'];
  /** e.g. "local stand-in for debian:bookworm-slim" */
  runtimeBase: string;
  imageDigest: string;
  compressedBytes?: number;
  uncompressedBytes?: number;
  layerCount?: number;
  pull: Spread;
  startToFirstResponse: Spread;
  coldTotal: Spread;
  warmStartToFirstResponse: Spread;
  failedSamples: number;
  reason?: string;
}

function values(samples: readonly Sample[], kind: Sample['kind'], pick: (sample: Sample) => number | undefined): number[] {
  return samples
    .filter((sample) => sample.kind === kind && sample.state === 'completed')
    .map(pick)
    .filter((value): value is number => value !== undefined);
}

export function describeRuntimeBase(variant: VariantResult): string {
  const runtime = variant.bases.find((base) => base.role === 'runtime');
  if (!runtime) return 'unknown';
  switch (runtime.source) {
    case 'empty':
      return 'scratch (empty)';
    case 'upstream':
      return `${runtime.ref} (upstream)`;
    case 'local':
      return `${runtime.name} (local stand-in for ${runtime.standsInFor ?? 'no upstream image'})`;
  }
}

/** Per-variant figures every summary exporter shares; statistics over completed samples only. */
export function summaryRows(results: RunResults): SummaryRow[] {
  return results.variants.map((variant) => ({
    id: variant.id,
    app: variant.app,
    language: variant.language,
    variant: variant.variant,
    state: variant.state,
    runtimeBase: describeRuntimeBase(variant),
    imageDigest: variant.image?.digest ?? '',
    compressedBytes: variant.image?.compressedBytes,
    uncompressedBytes: variant.image?.uncompressedBytes,
    layerCount: variant.image?.layerCount,
    pull: spread(values(variant.samples, 'cold', (sample) => sample.pullMs)),
    startToFirstResponse: spread(values(variant.samples, 'cold', (sample) => sample.startToFirstResponseMs)),
    coldTotal: spread(values(variant.samples, 'cold', (sample) => sample.totalMs)),
    warmStartToFirstResponse: spread(values(variant.samples, 'warm', (sample) => sample.startToFirstResponseMs)),
    failedSamples: variant.samples.filter((sample) => sample.state === 'failed').length,
    reason: variant.reason,
  }));
}
