import { percentile, spread } from '../common/stats.js';
import { sourceWord } from './base-origin.js';
import type { BaseUse, RunResults, Sample, VariantResult } from '../results/types.js';

/** Small reads over results shared by the report tables. */
export function variantById(results: RunResults, id: string): VariantResult | undefined {
  return results.variants.find((variant) => variant.id === id);
}

/** The base a variant ships on: the one runtime-base lookup every table and CSV uses. */
export const runtimeBaseOf = (variant: VariantResult): BaseUse | undefined => variant.bases.find((base) => base.role === 'runtime');

export const runtimeBase = (variant: VariantResult): string | undefined => runtimeBaseOf(variant)?.name;

/** The network profile a sample pulled through ("none": the direct path). */
export const profileOf = (sample: Sample): string => sample.profile ?? 'none';

/** The profile summaries lead with: the first the run measured. */
export const primaryProfile = (results: RunResults): string => results.options.profiles[0]!.name;

/**
 * The one sample filter every statistic goes through: completed samples of a kind, never
 * warm-ups, cold ones through the given network profile (warm ones pull nothing), the values
 * `pick` finds. `kind` 'any' takes both (memory).
 */
export function measuredValues(
  samples: readonly Sample[],
  kind: Sample['kind'] | 'any',
  pick: (sample: Sample) => number | undefined,
  profile = 'none',
): number[] {
  return measuredSamples(samples, kind, profile)
    .map(pick)
    .filter((value): value is number => value !== undefined);
}

/** The samples themselves, where a statistic needs more than one value of each (pairing by round). */
export function measuredSamples(samples: readonly Sample[], kind: Sample['kind'] | 'any', profile = 'none'): Sample[] {
  return samples
    .filter((sample) => (kind === 'any' || sample.kind === kind) && sample.state === 'completed' && !sample.warmup)
    .filter((sample) => sample.kind === 'warm' || profileOf(sample) === profile);
}

export function medianOf(
  variant: VariantResult,
  kind: Sample['kind'],
  pick: (sample: Sample) => number | undefined,
  profile = 'none',
): number | undefined {
  return spread(measuredValues(variant.samples, kind, pick, profile)).median;
}

export const coldTotal = (variant: VariantResult, profile?: string) => medianOf(variant, 'cold', (sample) => sample.totalMs, profile);
export const coldPull = (variant: VariantResult, profile?: string) => medianOf(variant, 'cold', (sample) => sample.pullMs, profile);
export const coldStart = (variant: VariantResult, profile?: string) =>
  medianOf(variant, 'cold', (sample) => sample.startToFirstResponseMs, profile);
/** "0.21–0.27 s": the engine's start call alone, p5–p95 over every sample that timed it; undefined if none did. */
export function startCallRange(results: RunResults): string | undefined {
  const calls = results.variants.flatMap((variant) => variant.samples.flatMap((sample) => sample.startMs ?? []));
  if (calls.length === 0) return undefined;
  const seconds = (fraction: number) => (percentile(calls, fraction)! / 1000).toFixed(2);
  return `${seconds(0.05)}–${seconds(0.95)} s`;
}

export const warmStart = (variant: VariantResult) => medianOf(variant, 'warm', (sample) => sample.startToFirstResponseMs);
/**
 * A sample's memory as reports use it: read from the container's processes; in runs from before
 * that, the engine's cgroup figures (anonymous and file-mapped charges), which is all they have.
 */
export function memoryFigures(sample: Sample): { rss?: number; anon?: number; file?: number; pss?: number } {
  const processes = sample.memory?.processes;
  if (processes) return { rss: processes.rssBytes, anon: processes.anonBytes, file: processes.fileBytes, pss: processes.pssBytes };
  return { anon: sample.memory?.rssBytes, file: sample.memory?.fileMappedBytes };
}

const memoryMedian = (variant: VariantResult, figure: 'rss' | 'anon' | 'file' | 'pss') =>
  medianOf(variant, 'warm', (sample) => memoryFigures(sample)[figure]) ??
  medianOf(variant, 'cold', (sample) => memoryFigures(sample)[figure]);

/** Anonymous resident memory of the container's processes (heaps, an unpacked UPX binary), median; undefined where unknown. */
export const residentMemory = (variant: VariantResult) => memoryMedian(variant, 'anon');

/** File pages mapped into the container's processes (the binary, libraries), median; undefined where unknown. */
export const fileMappedMemory = (variant: VariantResult) => memoryMedian(variant, 'file');

export function measured(
  variant: VariantResult | undefined,
  profile?: string,
): variant is VariantResult & { image: NonNullable<VariantResult['image']> } {
  return !!variant?.image && coldTotal(variant, profile) !== undefined;
}

export function sourceLabel(variant: VariantResult, rehearsal: boolean): string {
  const runtime = runtimeBaseOf(variant);
  return runtime ? sourceWord(runtime, rehearsal) : '';
}

/** Why a variant has no numbers: its skip or failure reason, short. */
export function whyMissing(variant: VariantResult | undefined): string {
  if (!variant) return 'not in this run';
  return `${variant.state}: ${(variant.reason ?? 'no completed sample').split('\n')[0]}`;
}

export function percentChange(value: number, reference: number): string {
  const change = ((value - reference) / reference) * 100;
  return `${change > 0 ? '+' : ''}${change.toFixed(0)}%`;
}

/**
 * How the anonymous memory read from the processes compares with the engine's own cgroup figure
 * (rss / anon), per variant where both exist: the range of the ratios of their medians.
 */
export function memoryAgreement(results: RunResults): { variants: number; low: number; high: number } | undefined {
  const ratios = results.variants.flatMap((variant) => {
    const processes = medianOf(variant, 'warm', (sample) => sample.memory?.processes?.anonBytes);
    const engine = medianOf(variant, 'warm', (sample) => (sample.memory?.processes ? sample.memory.rssBytes : undefined));
    return processes !== undefined && engine ? [processes / engine] : [];
  });
  return ratios.length === 0 ? undefined : { variants: ratios.length, low: Math.min(...ratios), high: Math.max(...ratios) };
}

/** "×0.98 to ×1.03 over 26 variants"; "×1.00 in each of 26 variants" where every ratio rounds alike. */
export function memoryAgreementText({ variants, low, high }: NonNullable<ReturnType<typeof memoryAgreement>>): string {
  const [from, to] = [low.toFixed(2), high.toFixed(2)];
  return from === to ? `×${from} in each of ${variants} variants` : `×${from} to ×${to} over ${variants} variants`;
}

/**
 * The looks a run sampled until decided took: its planned looks up to the last round it measured in full, and that round
 * when the budget or a signal ended it between two looks (its figures are decided on that round's data). A run that did
 * not complete may have ended inside a round, so its last round counts as unfinished.
 */
export function looksTaken(results: Pick<RunResults, 'options' | 'variants' | 'state'>): number[] {
  const sequential = results.options.sequential;
  if (!sequential) return [];
  const lastRound = Math.max(0, ...results.variants.flatMap((variant) => variant.samples.map((sample) => sample.round ?? 0)));
  const measured = lastRound - results.options.warmup - (results.state === 'completed' ? 0 : 1);
  const reached = Math.max(measured, ...results.variants.map((variant) => variant.sampling?.rounds ?? 0));
  const planned = sequential.looks.filter((look) => look <= reached);
  return reached > 0 && !planned.includes(reached) ? [...planned, reached] : planned;
}
