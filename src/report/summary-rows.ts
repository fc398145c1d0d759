import { spread, type Spread } from '../common/stats.js';
import { baseOrigin, isRehearsal } from './base-origin.js';
import { measuredValues, memoryFigures, primaryProfile, profileOf, runtimeBaseOf } from './query.js';
import type { RunResults, SampleKind, VariantResult } from '../results/types.js';
import { SAMPLE_KINDS, type SampleKindDeclaration } from '../results/sample-kinds.js';

/** What became of a variant's measured samples of one kind (warm-ups left out): none is silently dropped. */
export interface SampleOutcomes {
  completed: number;
  failed: number;
  /** Among the failed: no correct answer within --timeout. */
  timedOut: number;
}

/** Pure: outcomes per kind; a kind that pulls through profiles (cold) through the given one, as every statistic takes them. */
export function sampleOutcomes(variant: VariantResult, profile: string): Record<SampleKind, SampleOutcomes> {
  const of = (kind: SampleKindDeclaration) => {
    const samples = variant.samples.filter(
      (sample) => sample.kind === kind.name && !sample.warmup && (!kind.pullsThroughPaths || profileOf(sample) === profile),
    );
    const failed = samples.filter((sample) => sample.state === 'failed');
    return {
      completed: samples.length - failed.length,
      failed: failed.length,
      timedOut: failed.filter((sample) => sample.error?.startsWith('timeout')).length,
    };
  };
  return Object.fromEntries(SAMPLE_KINDS.map((kind) => [kind.name, of(kind)])) as Record<SampleKind, SampleOutcomes>;
}

/** "4/5" or "4/5 (1 timed out)": completed samples of all measured, beside every median taken over the survivors. */
export function successText(outcome: SampleOutcomes): string {
  const total = outcome.completed + outcome.failed;
  if (total === 0) return '–';
  return `${outcome.completed}/${total}${outcome.timedOut > 0 ? ` (${outcome.timedOut} timed out)` : ''}`;
}

/** More than 5% timed out: the true p95 is beyond the timeout, whatever the survivors say. */
export const p95BeyondTimeout = (outcome: SampleOutcomes) => outcome.timedOut > 0.05 * (outcome.completed + outcome.failed);

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
  /** Resident memory right after the first response, over cold and warm samples. */
  rss: Spread;
  binaryBytes?: number;
  failedSamples: number;
  outcomes: ReturnType<typeof sampleOutcomes>;
  reason?: string;
}

/** The timed figures every summary reports, with their column prefix. */
export const FIGURES = [
  ['pull', 'pull'],
  ['startToFirstResponse', 'start_to_first_response'],
  ['coldTotal', 'cold_total'],
  ['warmStartToFirstResponse', 'warm_start_to_first_response'],
] as const;

function describeRuntimeBase(variant: VariantResult, rehearsal: boolean): string {
  const runtime = runtimeBaseOf(variant);
  if (!runtime) return 'unknown';
  if (runtime.source === 'empty') return 'scratch (empty)';
  return runtime.source === 'local' ? `${runtime.name} (${baseOrigin(runtime, rehearsal)})` : baseOrigin(runtime, rehearsal);
}

/** Per-variant figures every summary exporter shares; statistics over completed samples only. */
export function summaryRows(results: RunResults, profile = primaryProfile(results)): SummaryRow[] {
  return results.variants.map((variant) => ({
    id: variant.id,
    app: variant.app,
    language: variant.language,
    variant: variant.variant,
    state: variant.state,
    runtimeBase: describeRuntimeBase(variant, isRehearsal(results)),
    imageDigest: variant.image?.digest ?? '',
    compressedBytes: variant.image?.compressedBytes,
    uncompressedBytes: variant.image?.uncompressedBytes,
    layerCount: variant.image?.layerCount,
    pull: spread(measuredValues(variant.samples, 'cold', (sample) => sample.pullMs, profile)),
    startToFirstResponse: spread(measuredValues(variant.samples, 'cold', (sample) => sample.startToFirstResponseMs, profile)),
    coldTotal: spread(measuredValues(variant.samples, 'cold', (sample) => sample.totalMs, profile)),
    warmStartToFirstResponse: spread(measuredValues(variant.samples, 'warm', (sample) => sample.startToFirstResponseMs, profile)),
    rss: spread(measuredValues(variant.samples, 'any', (sample) => memoryFigures(sample).rss ?? memoryFigures(sample).anon, profile)),
    binaryBytes: variant.image?.binaryBytes,
    failedSamples: variant.samples.filter((sample) => sample.state === 'failed').length,
    outcomes: sampleOutcomes(variant, profile),
    reason: variant.reason,
  }));
}
