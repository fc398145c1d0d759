import path from 'node:path';
import { readdirSync, existsSync } from 'node:fs';
import { defaultCatalogFile, loadCatalog, type BaseCatalog } from '../bases/catalog.js';
import { defaultBaseCacheDir } from '../bases/local-bases.js';
import { BaseResolver, BaseUnavailable, type BasesMode, type ResolvedBase } from '../bases/resolve.js';
import { connectEngine } from '../engine/connect.js';
import type { Engine } from '../engine/clients.js';
import { checkOutputDir, runDir, writeReports } from '../export/write-reports.js';
import type { Logger } from '../log.js';
import { externalRegistry, startLocalRegistry, type Registry } from '../registry/registry.js';
import { collectProvenance, PROJECT_ROOT } from '../results/provenance.js';
import { collectBaseFacts } from '../measure/base-facts.js';
import type { BaseUse, ResolvedBaseRecord, RunResults, Sample, VariantResult } from '../results/types.js';
import { loadScenario, scenarioPath, type Scenario } from '../scenario/load.js';
import { startThrottleProxy, type ThrottleProxy } from '../network/throttle-proxy.js';
import type { NetworkProfile } from '../network/profiles.js';
import { coldSample, warmSample, type MeasureContext, type ProbeTarget, type PullPath } from './measure-variant.js';
import { dropPageCache, whyCannotDropCaches } from '../measure/page-cache.js';
import { planVariants, type PlannedVariant } from './plan.js';
import { scheduleSamples } from './schedule.js';
import { prepareVariant } from './prepare-variant.js';

export interface BenchOptions {
  /** Scenario files or names under scenarios/; empty means every scenario there. */
  scenarios: string[];
  variantFilter: string[];
  repeat: number;
  warmRepeat: number;
  timeoutMs: number;
  outDir: string;
  /** An existing registry to use instead of starting one. */
  registry?: string;
  bases: BasesMode;
  /** Only the variants marked `quick` in their scenario. */
  quick: boolean;
  /** The base catalog file; default scenarios/bases.yaml. */
  catalogFile?: string;
  /** Discarded samples of each kind per variant before the measured ones. */
  warmup: number;
  /** Seed of the shuffled, interleaved sample order. */
  seed: number;
  /** Drop the page cache before each cold sample (Linux, root). */
  dropCaches: boolean;
  /** Network profiles cold samples pull through; null is the direct path. */
  profiles: Array<NetworkProfile | null>;
}

export const SCENARIOS_DIR = path.join(PROJECT_ROOT, 'scenarios');

function defaultScenarioFiles(): string[] {
  return readdirSync(SCENARIOS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(SCENARIOS_DIR, entry.name, 'scenario.yaml')))
    .map((entry) => path.join(SCENARIOS_DIR, entry.name, 'scenario.yaml'))
    .sort();
}

/** Reads and validates every scenario before anything is built. */
export function loadScenarios(fileOrNames: readonly string[], catalog: BaseCatalog): Scenario[] {
  const files = fileOrNames.length > 0 ? fileOrNames.map((item) => scenarioPath(item, SCENARIOS_DIR)) : defaultScenarioFiles();
  return files.map((file) => loadScenario(file, catalog));
}

async function removeImagesOf(engine: Engine, registryHost: string): Promise<void> {
  for (const image of await engine.images.list()) {
    if (image.tags.some((tag) => tag.startsWith(`${registryHost}/`))) await engine.images.remove(image.id);
  }
}

function newRunId(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
}

export class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}

/** The whole pipeline: plan, bases, build and push, measure, report after every variant. */
export async function runBench(options: BenchOptions, log: Logger, signal: AbortSignal): Promise<RunResults> {
  const catalog = loadCatalog(options.catalogFile ?? defaultCatalogFile(PROJECT_ROOT));
  const planned = planVariants(loadScenarios(options.scenarios, catalog), options.variantFilter, options.quick);
  checkOutputDir(options.outDir);
  const cannotDrop = options.dropCaches ? whyCannotDropCaches() : undefined;
  if (cannotDrop) throw new Error(cannotDrop);
  const runId = newRunId();
  const engine = await connectEngine(log);
  const registry = options.registry ? externalRegistry(options.registry) : await startLocalRegistry(engine, log, runId);
  const pullPaths = await startPullPaths(registry, options.profiles, log);
  const cleanup = async () => {
    const removed = await engine.containers.removeLabelled('basebench.run', runId).catch(() => 0);
    if (removed > 0) log.info(`Removed ${removed} container(s) left by this run`);
    for (const path of pullPaths.values()) await path.proxy?.stop();
    await registry.stop().catch((error: Error) => log.warn(`stopping the registry: ${error.message}`));
    // Images tagged for a registry (or a proxy to it) that no longer exists are only clutter.
    const hosts = [...(registry.kind === 'external' ? [] : [registry.host]), ...[...pullPaths.values()].flatMap((path) => (path.proxy ? [path.host] : []))];
    for (const host of hosts) await removeImagesOf(engine, host).catch(() => {});
  };
  // Ctrl-C: take the running container away at once, so the sample in flight ends now.
  const stopOnAbort = () => void engine.containers.removeLabelled('basebench.run', runId).catch(() => 0);
  signal.addEventListener('abort', stopOnAbort, { once: true });
  try {
    const resolver = new BaseResolver(
      catalog,
      options.bases,
      { images: engine.images, log, catalog, cacheDir: defaultBaseCacheDir(), logDir: path.join(runDir(options.outDir, runId), 'logs') },
      engine.images,
    );
    const results: RunResults = {
      schemaVersion: 1,
      runId,
      state: 'running',
      startedAt: new Date().toISOString(),
      options: {
        repeat: options.repeat,
        warmRepeat: options.warmRepeat,
        warmup: options.warmup,
        seed: options.seed,
        dropCaches: options.dropCaches,
        timeoutMs: options.timeoutMs,
        scenarios: [...new Set(planned.map((item) => path.relative(PROJECT_ROOT, item.scenario.file)))],
        variantFilter: options.variantFilter,
        order: [],
        profiles: options.profiles.map((profile) => (profile ? { ...profile } : { name: 'none' })),
      },
      provenance: await collectProvenance(engine, registry, { mode: options.bases }),
      bases: [],
      unavailableBases: [],
      variants: [],
    };
    const save = () => writeReports(results, options.outDir);
    log.info(`Run ${runId}: ${planned.length} variant(s); reports in ${runDir(options.outDir, runId)}`);
    try {
      await runPlanned(planned, results, { engine, registry, log, signal, options, resolver, save, pullPaths });
      results.state = 'completed';
    } catch (error) {
      if (!(error instanceof Interrupted)) throw error;
      results.state = 'interrupted';
      log.warn('Interrupted: reports keep what was measured so far');
    } finally {
      results.finishedAt = new Date().toISOString();
      save();
    }
    return results;
  } finally {
    signal.removeEventListener('abort', stopOnAbort);
    await cleanup();
  }
}

interface RunContext {
  engine: Engine;
  registry: Registry;
  log: Logger;
  signal: AbortSignal;
  options: BenchOptions;
  resolver: BaseResolver;
  save: () => void;
  pullPaths: ReadonlyMap<string, ProfilePath>;
}

/** The registry as the engine reaches it under one network profile. */
interface ProfilePath {
  /** Registry host in image references: the registry itself, or the proxy in front of it. */
  host: string;
  proxy?: ThrottleProxy;
}

async function startPullPaths(registry: Registry, profiles: ReadonlyArray<NetworkProfile | null>, log: Logger): Promise<Map<string, ProfilePath>> {
  const paths = new Map<string, ProfilePath>();
  for (const profile of profiles) {
    if (!profile) {
      paths.set('none', { host: registry.host });
      continue;
    }
    const url = new URL(registry.url);
    const proxy = await startThrottleProxy({ host: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) }, profile);
    paths.set(profile.name, { host: `127.0.0.1:${proxy.port}`, proxy });
    log.info(`Network profile ${profile.name}: ${(profile.bitsPerSecond / 1e6).toFixed(1)} Mbit/s, ${profile.rttMs} ms RTT, through 127.0.0.1:${proxy.port}`);
  }
  return paths;
}

/** A base with what the base image table needs, read now while the base is in the engine. */
async function withFacts(base: ResolvedBase, context: RunContext): Promise<ResolvedBaseRecord> {
  try {
    return { ...base, facts: await collectBaseFacts(context.engine.images, context.registry, base) };
  } catch (error) {
    context.log.warn(`Could not read the facts of base ${base.name}: ${(error as Error).message.split('\n')[0]}`);
    return { ...base, factsError: (error as Error).message.split('\n')[0]! };
  }
}

/** The bases a variant needs, resolved (built or loaded if local); records them on the run once. */
async function basesFor(item: PlannedVariant, results: RunResults, context: RunContext): Promise<BaseUse[] | BaseUnavailable> {
  const wanted: Array<[BaseUse['role'], string | undefined]> = [
    ['builder', item.variant.builder],
    ['packer', item.variant.packer],
    ['runtime', item.variant.base],
  ];
  const uses: BaseUse[] = [];
  for (const [role, name] of wanted) {
    if (name === undefined) continue;
    try {
      const base = await context.resolver.resolve(name);
      if (!results.bases.some((known) => known.name === name)) results.bases.push(await withFacts(base, context));
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

function checkInterrupted(signal: AbortSignal): void {
  if (signal.aborted) throw new Interrupted();
}

async function runPlanned(planned: readonly PlannedVariant[], results: RunResults, context: RunContext): Promise<void> {
  const logDir = path.join(runDir(context.options.outDir, results.runId), 'logs');

  // Build and push everything first: a cold-cache purge removes shared base layers, which later builds would need.
  const ready: Array<{ planned: PlannedVariant; result: VariantResult }> = [];
  for (const item of planned) {
    checkInterrupted(context.signal);
    const result: VariantResult = {
      id: item.id,
      app: item.scenario.app.name,
      language: item.scenario.app.language,
      variant: item.variant.name,
      scenarioFile: path.relative(PROJECT_ROOT, item.scenario.file),
      state: 'completed',
      bases: [],
      ...(item.variant.upxOf ? { upx: { unpackedVariant: `${item.scenario.app.name}/${item.variant.upxOf}` } } : {}),
      samples: [],
    };
    results.variants.push(result);
    const bases = await basesFor(item, results, context);
    checkInterrupted(context.signal);
    if (bases instanceof BaseUnavailable) {
      Object.assign(result, { state: 'skipped', reason: `base ${bases.base} unavailable: ${bases.message}` });
      context.save();
      continue;
    }
    result.bases = bases;
    const prepared = await prepareVariant(item, bases, { engine: context.engine, registry: context.registry, logDir, log: context.log });
    checkInterrupted(context.signal);
    if (!prepared.ok) {
      Object.assign(result, { state: 'failed', reason: prepared.reason, logTail: prepared.logTail });
    } else {
      Object.assign(result, { image: prepared.image, buildMs: prepared.buildMs });
      ready.push({ planned: item, result });
    }
    context.save();
  }

  await measureInRounds(ready, results, context);
}

function describeSample(sample: Sample): string {
  if (sample.state === 'failed') return `failed: ${sample.error}`;
  const parts = [
    sample.pullMs !== undefined ? `pull ${sample.pullMs.toFixed(0)} ms` : undefined,
    `start→response ${sample.startToFirstResponseMs!.toFixed(1)} ms`,
    `total ${sample.totalMs!.toFixed(0)} ms`,
  ];
  return parts.filter(Boolean).join(', ');
}

function pullPath(ref: string, profile: string | undefined, context: RunContext): PullPath {
  const path = profile === undefined ? undefined : context.pullPaths.get(profile);
  if (!path?.proxy) return { ref };
  return { ref: `${path.host}${ref.slice(context.registry.host.length)}`, profile, bytesCarried: () => path.proxy!.bytes().down };
}

function probeTarget(item: PlannedVariant): ProbeTarget {
  const app = item.scenario.app;
  return { id: item.id, containerPort: app.port, path: app.path, expect: { status: app.expect.status, bodyIncludes: app.expect.body } };
}

/**
 * Tinybench is not the sampler here: it times each task's iterations back to back, while a fair
 * comparison of images needs rounds that interleave every variant in a fresh random order, with
 * a purge and a pull inside each cold sample and several phases per sample. The statistics
 * (median, MAD, order-statistic intervals) are in measure/stats.ts.
 */
async function measureInRounds(ready: ReadonlyArray<{ planned: PlannedVariant; result: VariantResult }>, results: RunResults, context: RunContext): Promise<void> {
  const byId = new Map(ready.map((entry) => [entry.planned.id, entry]));
  const rounds = scheduleSamples({
    variants: ready.map((entry) => entry.planned.id),
    coldRepeat: context.options.repeat,
    warmRepeat: context.options.warmRepeat,
    warmup: context.options.warmup,
    seed: context.options.seed,
    ...(context.pullPaths.size === 1 && context.pullPaths.has('none') ? {} : { profiles: [...context.pullPaths.keys()] }),
  });
  results.options.order = rounds.map((round) => ({
    round: round[0]!.round,
    kind: round[0]!.kind,
    variants: round.map((slot) => (slot.profile ? `${slot.variant}@${slot.profile}` : slot.variant)),
  }));
  const measure: MeasureContext = { engine: context.engine, log: context.log, runLabel: results.runId, timeoutMs: context.options.timeoutMs };
  const givenUp = new Set<string>();
  let warmImagesPulled = false;
  for (const round of rounds) {
    if (round[0]!.kind === 'warm' && !warmImagesPulled) {
      // Cold rounds purge each other's shared layers; warm samples need every image present.
      for (const { result } of ready) {
        if (!givenUp.has(result.id) && !(await context.engine.images.inspect(result.image!.ref))) await context.engine.images.pull(result.image!.ref);
      }
      warmImagesPulled = true;
    }
    context.log.info(`Round ${round[0]!.round}/${rounds.length} (${round[0]!.kind}${round[0]!.warmup ? ', warm-up' : ''})`);
    for (const slot of round) {
      checkInterrupted(context.signal);
      if (givenUp.has(slot.variant)) continue;
      const { planned, result } = byId.get(slot.variant)!;
      if (slot.kind === 'cold' && context.options.dropCaches) await dropPageCache();
      const taken =
        slot.kind === 'cold'
          ? await coldSample(result.image!, probeTarget(planned), slot.repetition, measure, pullPath(result.image!.ref, slot.profile, context))
          : await warmSample(result.image!, probeTarget(planned), slot.repetition, measure);
      // A sample cut short by Ctrl-C (its container removed under it) is not a measurement.
      checkInterrupted(context.signal);
      const sample: Sample = { ...taken, round: slot.round, ...(slot.warmup ? { warmup: true } : {}) };
      result.samples.push(sample);
      context.log.info(`  ${planned.id} ${slot.kind}${slot.profile ? ` (${slot.profile})` : ''}${slot.warmup ? ' warm-up' : ''}: ${describeSample(sample)}`);
      if (sample.state === 'failed') {
        Object.assign(result, { state: 'failed', reason: result.reason ?? sample.error, logTail: result.logTail ?? sample.logTail });
        // An app that exits will exit again; more samples would only repeat the failure.
        if (sample.exitCode !== undefined) givenUp.add(slot.variant);
      }
    }
    context.save();
  }
}
