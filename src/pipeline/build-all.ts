import { readFileSync } from 'node:fs';
import { BaseUnavailable, type BaseResolver, type ResolvedBase } from '../bases/resolve.js';
import type { Logger } from '../common/log.js';
import { baseLayerCount, finalStageInstructions, readAnatomy } from '../measure/anatomy.js';
import { collectBaseFacts } from '../measure/base-facts.js';
import { pushRecompressed } from '../registry/recompress.js';
import { shownPath } from '../common/project-root.js';
import type { BaseUse, ResolvedBaseRecord, RunResults, VariantResult } from '../results/types.js';
import { checkInterrupted } from './interrupt.js';
import { FLOOR_SCENARIO, type PlannedVariant } from './plan.js';
import { prepareVariant } from './prepare-variant.js';
import { recoverAfterFailure } from './recover.js';
import type { BenchSession } from './bench-session.js';

export interface BuildContext {
  session: BenchSession;
  resolver: BaseResolver;
  log: Logger;
  signal: AbortSignal;
  logDir: string;
  compressions: readonly string[];
  save: () => void;
}

export interface ReadyVariant {
  planned: PlannedVariant;
  result: VariantResult;
}

/** A base with what the base image table needs, read now while the base is in the engine. */
async function withFacts(base: ResolvedBase, context: BuildContext): Promise<ResolvedBaseRecord> {
  try {
    return { ...base, facts: await collectBaseFacts(context.session.builder.client.images, context.session.registry, base) };
  } catch (error) {
    context.log.warn(`Could not read the facts of base ${base.name}: ${(error as Error).message.split('\n')[0]}`);
    return { ...base, factsError: (error as Error).message.split('\n')[0]! };
  }
}

/**
 * Records a base on the run once: a runtime base with its facts (what the base table and base-cached samples read), a
 * builder or packer without, since reading facts pushes the image and a toolchain's (about a GB) cost every run some
 * 20 s for a row no report shows. A builder that is some other variant's runtime gets its facts there.
 */
async function recordBase(name: string, base: ResolvedBase, role: BaseUse['role'], results: RunResults, context: BuildContext) {
  const known = results.bases.find((item) => item.name === name);
  if (role !== 'runtime') {
    if (!known) results.bases.push({ ...base });
  } else if (!known) results.bases.push(await withFacts(base, context));
  else if (!known.facts && !known.factsError) Object.assign(known, await withFacts(base, context));
}

/** The bases a variant needs, resolved (built or loaded if local); records them on the run once. */
async function basesFor(item: PlannedVariant, results: RunResults, context: BuildContext): Promise<BaseUse[] | BaseUnavailable> {
  const wanted: Array<[BaseUse['role'], string | { image: string } | undefined]> = [
    ['builder', item.variant.builder],
    ['packer', item.variant.packer],
    ['runtime', item.variant.base],
  ];
  const uses: BaseUse[] = [];
  for (const [role, wantedBase] of wanted) {
    if (wantedBase === undefined) continue;
    const name = typeof wantedBase === 'string' ? wantedBase : wantedBase.image;
    try {
      const base =
        typeof wantedBase === 'string' ? await context.resolver.resolve(wantedBase) : await context.resolver.resolveImage(wantedBase.image);
      await recordBase(name, base, role, results, context);
      uses.push({ role, ...base });
    } catch (error) {
      const unavailable = error instanceof BaseUnavailable ? error : new BaseUnavailable(name, (error as Error).message.split('\n')[0]!);
      if (!results.unavailableBases.some((known) => known.name === name)) {
        results.unavailableBases.push({ name, reason: unavailable.message });
        context.log.warn(`Base ${name} unavailable: ${unavailable.message}`);
      }
      return unavailable;
    }
  }
  return uses;
}

function pendingResult(item: PlannedVariant): VariantResult {
  return {
    id: item.id,
    app: item.scenario.app.name,
    language: item.scenario.app.language,
    variant: item.variant.name,
    scenarioFile: shownPath(item.scenario.file),
    state: 'pending',
    ...(item.scenario.file === FLOOR_SCENARIO ? { floor: true } : {}),
    bases: [],
    ...(item.variant.upxOf ? { upx: { unpackedVariant: `${item.scenario.app.name}/${item.variant.upxOf}` } } : {}),
    ...(item.variant.bytecodeOf ? { bytecode: { withoutVariant: `${item.scenario.app.name}/${item.variant.bytecodeOf}` } } : {}),
    samples: [],
  };
}

/** Where the variant's bytes are, read from the registry; a failure is recorded and the variant measured all the same. */
async function addAnatomy(result: VariantResult, item: PlannedVariant, results: RunResults, context: BuildContext): Promise<void> {
  const image = result.image!;
  const { registry } = context.session;
  const runtime = result.bases.find((base) => base.role === 'runtime');
  const baseDiffIds = results.bases.find((base) => base.name === runtime?.name)?.facts?.diffIds ?? [];
  try {
    image.anatomy = await readAnatomy(
      {
        registryUrl: registry.url,
        repository: image.ref.slice(registry.host.length + 1).split(':')[0]!,
        layers: image.layers!,
        config: image.config!,
      },
      baseLayerCount(image.diffIds, baseDiffIds),
      finalStageInstructions(readFileSync(item.variant.dockerfilePath, 'utf8')),
    );
  } catch (error) {
    image.anatomyError = (error as Error).message.split('\n')[0]!;
    context.log.warn(`Could not read the layers of ${result.id}: ${image.anatomyError}`);
  }
}

/** The image again with zstd layers, under the tag `<variant>-zstd`. */
async function addZstdCopy(result: VariantResult, context: BuildContext): Promise<void> {
  const image = result.image!;
  const { registry } = context.session;
  const [repository, tag] = image.ref.slice(registry.host.length + 1).split(':') as [string, string];
  context.log.info(`Pushing ${result.id} again with zstd layers`);
  const copy = await pushRecompressed(
    {
      ...(registry.storage ? { workRoot: registry.storage } : {}),
      registryUrl: registry.url,
      host: registry.host,
      repository,
      tag: `${tag}-zstd`,
      config: image.config!,
      layers: image.layers!,
    },
    'zstd',
  );
  image.recompressed = [{ compression: 'zstd', ...copy }];
  context.log.info(
    `Pushed ${result.id} (zstd): ${(copy.compressedBytes / 1e6).toFixed(1)} MB against ${(image.compressedBytes / 1e6).toFixed(1)} MB gzip`,
  );
}

/**
 * Builds and pushes every variant before any is measured: a cold-cache purge removes shared base
 * layers, which later builds would need. A variant that can't be built is recorded and skipped.
 */
export async function buildAll(planned: readonly PlannedVariant[], results: RunResults, context: BuildContext): Promise<ReadyVariant[]> {
  const ready: ReadyVariant[] = [];
  for (const item of planned) {
    checkInterrupted(context.signal);
    const result = pendingResult(item);
    results.variants.push(result);
    const bases = await basesFor(item, results, context);
    checkInterrupted(context.signal);
    if (bases instanceof BaseUnavailable) {
      Object.assign(result, { state: 'skipped', reason: `base ${bases.base} unavailable: ${bases.message}` });
      context.save();
      continue;
    }
    result.bases = bases;
    const { builder, registry } = context.session;
    const prepared = await prepareVariant(item, bases, {
      runLabel: results.runId,
      engine: builder.client,
      registry,
      logDir: context.logDir,
      log: context.log,
    });
    checkInterrupted(context.signal);
    if (!prepared.ok) {
      // Recorded before recovery's wait for the engine (up to a minute); a full disk can take the registry down with the
      // push: recovery says so, then starts it again and goes on (or stops the run: RunStopped, this failure kept with why).
      Object.assign(result, { state: 'failed', reason: prepared.reason, logTail: prepared.logTail });
      context.save();
      const failure = { reason: prepared.reason, record: (reason: string) => Object.assign(result, { reason }) };
      await recoverAfterFailure(failure, builder, registry, context.log);
    } else {
      Object.assign(result, { image: prepared.image, buildMs: prepared.buildMs });
      await addAnatomy(result, item, results, context);
      try {
        if (context.compressions.includes('zstd')) await addZstdCopy(result, context);
        ready.push({ planned: item, result });
      } catch (error) {
        Object.assign(result, { state: 'failed', reason: `zstd copy failed: ${(error as Error).message}` });
      }
    }
    context.save();
  }
  return ready;
}
