/**
 * The samplers of the sample kinds (declared in results/sample-kinds.ts), each one function from an
 * image and a context to a Sample: cold (nothing of the image on the engine), base-cached (the
 * runtime base's layers there, the app's not), warm (the whole image there). Each proves its
 * starting state before its timed part. SAMPLERS is what a round calls.
 */
import { makeCold, WarmCacheError } from './cold-cache.js';
import { pollUntil } from '../common/poll.js';
import type { ImageFacts, LayerBlob, RunResults, Sample, SampleKind, VariantResult } from '../results/types.js';
import { baseLayerCount } from './anatomy.js';
import { coldPull, type PullPath } from './cold-pull.js';
import type { MeasureContext, ProbeTarget } from './sample-context.js';
import { startToFirstResponse } from './start-to-response.js';

/**
 * The layer blobs the engine's content store still holds once the images are gone. containerd
 * collects unreferenced content asynchronously after an image is deleted (with warm images of other
 * variants present in the same round, it took longer than the check here): wait for it, up to 10 s,
 * before calling the cache warm.
 */
export async function contentGone(storedBlobs: (digests: readonly string[]) => Promise<string[]>, digests: string[]): Promise<string[]> {
  let kept = await storedBlobs(digests);
  await pollUntil(
    async () => {
      kept = await storedBlobs(digests);
      return kept.length === 0;
    },
    { timeoutMs: kept.length === 0 ? 0 : 10_000, intervalMs: 200 },
  );
  return kept;
}

/** The references this run gave an image on an engine: its own, its recompressed copies', and the one a sample pulls through. */
export function namesOf(image: Pick<ImageFacts, 'ref' | 'recompressed'>, path?: PullPath): string[] {
  return [...new Set([image.ref, ...(image.recompressed ?? []).map((copy) => copy.ref), ...(path ? [path.ref] : [])])];
}

/** Every name the purge looks under: this image's, and the run's other images' (makeCold removes those that share a layer). */
export const purgeNames = (image: ImageFacts, context: Pick<MeasureContext, 'imageNames'>, path?: PullPath) => [
  ...new Set([...namesOf(image, path), ...(context.imageNames?.() ?? [])]),
];

/** Purge, verify cold, pull, then start to first response. */
async function coldSample(
  image: ImageFacts,
  target: ProbeTarget,
  repetition: number,
  context: MeasureContext,
  path: PullPath = { ref: image.ref },
): Promise<Sample> {
  const base = {
    kind: 'cold' as const,
    repetition,
    engine: context.engineName,
    compression: path.compression ?? ('gzip' as const),
    ...(path.profile ? { profile: path.profile } : {}),
  };
  const layers = path.layers ?? image.layers;
  try {
    await makeCold(context.engine.images, image.diffIds, purgeNames(image, context, path));
    const kept =
      layers && context.storedBlobs
        ? await contentGone(
            context.storedBlobs,
            layers.map((layer) => layer.digest),
          )
        : [];
    if (kept.length > 0)
      throw new Error(
        `cache is not cold: the engine's content store still holds ${kept.length} layer blob(s) of the image: ${kept.join(', ')}`,
      );
  } catch (error) {
    const message = (error as Error).message;
    return {
      ...base,
      state: 'failed',
      error: error instanceof WarmCacheError || message.startsWith('cache is not cold') ? message : `cache purge failed: ${message}`,
    };
  }
  return pullAndStart(base, image, target, context, path);
}

/**
 * The timed part of a cold or base-cached sample, once the engine holds what it should: let the
 * purge's writeback settle, pull (proven by the registry's log), then start to the first response.
 */
async function pullAndStart(
  sample: Pick<Sample, 'kind' | 'repetition' | 'engine' | 'compression' | 'profile'>,
  image: ImageFacts,
  target: ProbeTarget,
  context: MeasureContext,
  path: PullPath,
): Promise<Sample> {
  const dirty = await context.quietDisk?.();
  const base = { ...sample, ...(dirty === undefined ? {} : { dirtyBytesAtStart: dirty }) };
  const pulled = await coldPull(image, context, path);
  if (!pulled.ok) return { ...base, state: 'failed', ...pulled.failure };
  const { pullMs, pull } = pulled;
  const started = await startToFirstResponse(path.ref, target, context);
  if (started.state === 'failed') return { ...base, ...started, pullMs, pull };
  return { ...base, ...started, pullMs, pull, totalMs: pullMs + (started.createMs ?? 0) + (started.startToFirstResponseMs ?? 0) };
}

/** The runtime base of a base-cached sample: as pushed to the run's registry, with its layers. */
export interface CachedBase {
  ref: string;
  diffIds: readonly string[];
  /** Its layer blobs in the variant's image (the lowest ones). */
  blobs: readonly LayerBlob[];
}

/**
 * Purge as for a cold sample, pull the runtime base alone, check that its layers are there and
 * the app's are not, then pull the image (only the app layers may come from the registry) and
 * start it: the cold start of a node that already runs something on the same base.
 */
async function baseCachedSample(
  image: ImageFacts,
  base: CachedBase,
  target: ProbeTarget,
  repetition: number,
  context: MeasureContext,
): Promise<Sample> {
  const common = { kind: 'base-cached' as const, repetition, engine: context.engineName, compression: 'gzip' as const };
  const appDiffIds = image.diffIds.slice(base.diffIds.length);
  try {
    await makeCold(context.engine.images, image.diffIds, purgeNames(image, context));
    await context.engine.images.pull(base.ref);
    const local = await context.engine.images.list();
    const held = new Set(local.flatMap((entry) => entry.diffIds));
    const missing = base.diffIds.filter((diffId) => !held.has(diffId));
    if (missing.length > 0) throw new Error(`the base's layers are not all present after pulling ${base.ref}: ${missing.length} missing`);
    const early = appDiffIds.filter((diffId) => held.has(diffId));
    if (early.length > 0) throw new Error(`not base-cached: ${early.length} of the app's layers are already present`);
    const appBlobs = (image.layers ?? []).slice(base.blobs.length).map((layer) => layer.digest);
    const kept = context.storedBlobs ? await context.storedBlobs(appBlobs) : [];
    if (kept.length > 0) throw new Error(`not base-cached: the content store still holds ${kept.length} of the app's layer blob(s)`);
  } catch (error) {
    return { ...common, state: 'failed', error: `base-cached setup failed: ${(error as Error).message}` };
  }
  return pullAndStart(common, image, target, context, { ref: image.ref, present: base.blobs });
}

/** The image is already local: create, start, first response. */
export async function warmSample(
  image: Pick<ImageFacts, 'ref'>,
  target: ProbeTarget,
  repetition: number,
  context: MeasureContext,
): Promise<Sample> {
  const started = await startToFirstResponse(image.ref, target, context);
  const base = { kind: 'warm' as const, repetition, engine: context.engineName, compression: 'gzip' as const };
  if (started.state === 'failed') return { ...base, ...started };
  return { ...base, ...started, totalMs: (started.createMs ?? 0) + (started.startToFirstResponseMs ?? 0) };
}

/** The variant's runtime base as a base-cached sample needs it; none for scratch, or where the image doesn't sit on the base. */
function cachedBaseOf(variant: VariantResult, run: Pick<RunResults, 'bases'>): CachedBase | undefined {
  const runtime = variant.bases.find((base) => base.role === 'runtime');
  const facts = run.bases.find((base) => base.name === runtime?.name)?.facts;
  const image = variant.image;
  if (!facts?.registryRef || !facts.diffIds?.length || !image?.layers) return undefined;
  if (baseLayerCount(image.diffIds, facts.diffIds) !== facts.diffIds.length) return undefined;
  return { ref: facts.registryRef, diffIds: facts.diffIds, blobs: image.layers.slice(0, facts.diffIds.length) };
}

/** What a round hands a sampler: the variant (built, with its image) in its run, and how to reach and pull it. */
export interface SampleInput {
  variant: VariantResult & { image: ImageFacts };
  run: Pick<RunResults, 'bases'>;
  target: ProbeTarget;
  repetition: number;
  context: MeasureContext;
  /** The reference, profile and compression a cold sample pulls through. */
  path: PullPath;
}

export interface Sampler {
  /** Whether a variant can take this kind at all (base-cached: only on a base with layers). */
  appliesTo(variant: VariantResult, run: Pick<RunResults, 'bases'>): boolean;
  take(input: SampleInput): Promise<Sample>;
}

/**
 * The image present before a warm sample, outside its timed part (another variant's cold sample in
 * the same round may have purged it); if it can't be had, the sample fails saying why.
 */
async function presentThenWarm({ variant, target, repetition, context }: SampleInput): Promise<Sample> {
  const { ref } = variant.image;
  try {
    if (!(await context.engine.images.inspect(ref))) await context.engine.images.pull(ref);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    return {
      kind: 'warm',
      repetition,
      engine: context.engineName,
      compression: 'gzip',
      state: 'failed',
      error: `warm setup failed: could not pull ${ref}: ${reason}`,
    };
  }
  return warmSample(variant.image, target, repetition, context);
}

/** One sampler per kind: adding a kind is its declaration in results/sample-kinds.ts and its entry here. */
export const SAMPLERS: Record<SampleKind, Sampler> = {
  cold: {
    appliesTo: () => true,
    take: ({ variant, target, repetition, context, path }) => coldSample(variant.image, target, repetition, context, path),
  },
  'base-cached': {
    appliesTo: (variant, run) => cachedBaseOf(variant, run) !== undefined,
    take: ({ variant, run, target, repetition, context }) =>
      baseCachedSample(variant.image, cachedBaseOf(variant, run)!, target, repetition, context),
  },
  warm: { appliesTo: () => true, take: presentThenWarm },
};
