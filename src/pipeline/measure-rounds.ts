import { readsZstd, splitsPull } from '../engine/describe.js';
import type { EngineSession } from '../engine/sessions.js';
import type { Logger } from '../common/log.js';
import { quietDisk } from '../measure/page-cache.js';
import type { Sample, SampleKind, VariantResult } from '../results/types.js';
import { checkInterrupted } from './interrupt.js';
import { recoverAfterFailure } from './recover.js';
import { baseLayerCount } from '../measure/anatomy.js';
import type { ReadyVariant } from './build-all.js';
import {
  baseCachedSample,
  type CachedBase,
  DEFAULT_PROBE,
  coldSample,
  warmSample,
  type MeasureContext,
  type ProbeTarget,
  type PullPath,
} from './measure-variant.js';
import type { PlannedVariant } from './plan.js';
import { roundSlots, type SchedulePlan, scheduleSamples, seededRandom, type ColdPath, type SampleSlot } from './schedule.js';
import { sequentialDesign } from '../common/stats.js';
import { stillOpen, stopSampling } from './until-decided.js';
import { refThrough, type BenchSession } from './session.js';
import type { RunResults } from '../results/types.js';
import type { ProgressLine } from './progress.js';

export interface MeasureRoundsContext {
  session: BenchSession;
  log: Logger;
  progress: ProgressLine;
  signal: AbortSignal;
  repeat: number;
  /** Base-cached samples per variant (on a base with layers). */
  baseCachedRepeat: number;
  warmRepeat: number;
  warmup: number;
  seed: number;
  timeoutMs: number;
  dropCaches: boolean;
  compressions: readonly string[];
  engineWaitMs?: number;
  /** Sample until the picks are decided, up to a cap on measured rounds and a time budget (--until-decided). */
  untilDecided?: { maxRounds: number; budgetMs: number };
  save: () => void;
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

function probeTarget(item: PlannedVariant): ProbeTarget {
  const app = item.scenario.app;
  return { id: item.id, containerPort: app.port, path: app.path, expect: { status: app.expect.status, bodyIncludes: app.expect.body } };
}

/** Every (engine, profile, compression) a cold sample goes through; zstd only on engines that read it. */
function coldPaths(session: BenchSession, compressions: readonly string[]): ColdPath[] {
  const many = session.engines.length > 1;
  return session.engines.flatMap((engine) =>
    [...session.pullPaths.keys()].flatMap((profile) =>
      compressions
        .filter((compression) => compression === 'gzip' || readsZstd(engine.facts).reads)
        .map((compression) => ({
          ...(many ? { engine: engine.name } : {}),
          ...(profile === 'none' && session.pullPaths.size === 1 ? {} : { profile }),
          ...(compression === 'zstd' ? { compression: 'zstd' as const } : {}),
        })),
    ),
  );
}

/** "go-hello/scratch@cloud+zstd on podman": how a slot is recorded in the order and on screen. */
function slotLabel(slot: SampleSlot): string {
  const profile = slot.profile ? `@${slot.profile}` : '';
  const compression = slot.compression ? `+${slot.compression}` : '';
  return `${slot.variant}${profile}${compression}${slot.engine ? ` on ${slot.engine}` : ''}`;
}

function pullPathFor(result: VariantResult, slot: SampleSlot, session: BenchSession): PullPath {
  const image = result.image!;
  const recompressed = slot.compression ? image.recompressed?.find((copy) => copy.compression === slot.compression) : undefined;
  const path = slot.profile === undefined ? undefined : session.pullPaths.get(slot.profile);
  const ref = refThrough(recompressed?.ref ?? image.ref, session.registry, path);
  return {
    ref,
    // The direct path is recorded as no profile, as in runs with profiles none.
    ...(slot.profile && slot.profile !== 'none' ? { profile: slot.profile } : {}),
    ...(recompressed ? { compression: recompressed.compression, layers: recompressed.layers } : {}),
    ...(path?.proxy ? { bytesCarried: () => path.proxy!.bytes().down } : {}),
  };
}

/**
 * The image present on an engine before a warm sample, outside its timed part (another variant's
 * cold sample in the same round may have purged it). An engine or registry that went away
 * meanwhile is waited for or restarted (or the run stops, RunStopped); an image that still can't
 * be had is left to fail its warm sample, recorded with why.
 */
async function ensurePresent(engine: EngineSession, ref: string, context: MeasureRoundsContext): Promise<void> {
  const attempt = async () => {
    if (!(await engine.engine.images.inspect(ref))) await engine.engine.images.pull(ref);
  };
  try {
    await attempt();
  } catch (error) {
    context.log.warn(`Could not pull ${ref} on ${engine.name} for a warm sample: ${(error as Error).message.split('\n')[0]}`);
    await recoverAfterFailure(engine, context.session.registry, context.log, context.engineWaitMs);
    await attempt().catch(() => {});
  }
}

/** The variant's runtime base as a base-cached sample needs it; none for scratch, or where the image doesn't sit on the base. */
function cachedBaseOf(result: VariantResult, results: RunResults): CachedBase | undefined {
  const runtime = result.bases.find((base) => base.role === 'runtime');
  const facts = results.bases.find((base) => base.name === runtime?.name)?.facts;
  const image = result.image;
  if (!facts?.registryRef || !facts.diffIds?.length || !image?.layers) return undefined;
  if (baseLayerCount(image.diffIds, facts.diffIds) !== facts.diffIds.length) return undefined;
  return { ref: facts.registryRef, diffIds: facts.diffIds, blobs: image.layers.slice(0, facts.diffIds.length) };
}

/**
 * The variant's state once its samples are in: partial when some measured samples failed and some
 * completed. A failed warm-up is recorded but decides nothing, unless the app exited (then no more
 * samples are taken, and with none completed the variant failed).
 */
export function settle(result: VariantResult): void {
  if (result.state !== 'pending' && result.state !== 'failed') return;
  const measured = result.samples.filter((sample) => !sample.warmup);
  const failed = measured.filter((sample) => sample.state === 'failed');
  const completed = measured.length - failed.length;
  const exited = result.samples.some((sample) => sample.exitCode !== undefined);
  if (completed === 0 && (failed.length > 0 || exited)) result.state = 'failed';
  else result.state = failed.length === 0 ? 'completed' : 'partial';
}

/**
 * Tinybench is not the sampler here: it times each task's iterations back to back, while a fair
 * comparison of images needs rounds that interleave every variant (and engine) in a fresh random
 * order, with a purge and a pull inside each cold sample and several phases per sample. The
 * statistics (median, MAD, order-statistic intervals) are in measure/stats.ts.
 */
export async function measureInRounds(ready: readonly ReadyVariant[], results: RunResults, context: MeasureRoundsContext): Promise<void> {
  const { session } = context;
  // Nothing was built (every variant failed or was skipped): no round to take.
  if (ready.length === 0) return;
  const byId = new Map(ready.map((entry) => [entry.planned.id, entry]));
  const cachedBases = new Map(
    ready.flatMap(({ planned, result }) => {
      const base = cachedBaseOf(result, results);
      return base ? [[planned.id, base] as const] : [];
    }),
  );
  const engineByName = new Map(session.engines.map((engine) => [engine.name, engine]));
  const many = session.engines.length > 1;
  const plan: SchedulePlan = {
    variants: ready.map((entry) => entry.planned.id),
    coldRepeat: context.repeat,
    warmRepeat: context.warmRepeat,
    warmup: context.warmup,
    seed: context.seed,
    coldPaths: coldPaths(session, context.compressions),
    baseCachedRepeat: context.baseCachedRepeat,
    baseCachedVariants: [...cachedBases.keys()],
    ...(many ? { engines: session.engines.map((engine) => engine.name) } : {}),
  };
  const rounds = context.untilDecided ? untilDecidedRounds(plan, ready, results, context) : fixedRounds(plan);
  const measureOn = (engine: EngineSession): MeasureContext => ({
    engine: engine.engine,
    engineName: engine.name,
    log: context.log,
    runLabel: results.runId,
    timeoutMs: context.timeoutMs,
    ...(session.registry.accessLog ? { accessLog: session.registry.accessLog } : {}),
    storedBlobs: engine.storedBlobs,
    hostPid: (pid) => engine.hostPid(pid),
    ...(results.provenance.clocks ? { clocks: results.provenance.clocks } : {}),
    splitsPull: splitsPull(engine.facts.imageStore),
    quietDisk: () => quietDisk({ dropCaches: context.dropCaches }),
    probe: DEFAULT_PROBE,
  });
  const givenUp = new Set<string>();
  context.progress.start(rounds.samples, rounds.count);
  for (let round = rounds.next(); round; round = rounds.next()) {
    results.options.order.push({ round: round[0]!.round, variants: round.map((slot) => `${slot.kind} ${slotLabel(slot)}`) });
    context.log.info(`Round ${round[0]!.round}${rounds.fixed ? `/${rounds.count}` : ''}${round[0]!.warmup ? ' (warm-up)' : ''}`);
    for (const slot of round) {
      checkInterrupted(context.signal);
      const engine = slot.engine ? engineByName.get(slot.engine)! : session.builder;
      const key = `${slot.variant} on ${engine.name}`;
      if (givenUp.has(key)) {
        context.progress.skip();
        continue;
      }
      const { planned, result } = byId.get(slot.variant)!;
      if (slot.kind === 'warm') await ensurePresent(engine, result.image!.ref, context);
      const measure = measureOn(engine);
      const target = probeTarget(planned);
      const taken =
        slot.kind === 'cold'
          ? await coldSample(result.image!, target, slot.repetition, measure, pullPathFor(result, slot, session))
          : slot.kind === 'base-cached'
            ? await baseCachedSample(result.image!, cachedBases.get(slot.variant)!, target, slot.repetition, measure)
            : await warmSample(result.image!, target, slot.repetition, measure);
      // A sample cut short by Ctrl-C (its container removed under it) is not a measurement.
      checkInterrupted(context.signal);
      // Was it the engine or the registry? Wait for the one, restart the other, or stop the run (RunStopped).
      const recovered =
        taken.state === 'failed' ? await recoverAfterFailure(engine, session.registry, context.log, context.engineWaitMs) : undefined;
      const sample: Sample = {
        ...taken,
        ...(recovered ? { error: `${taken.error} (${recovered})` } : {}),
        round: slot.round,
        ...(slot.warmup ? { warmup: true } : {}),
      };
      result.samples.push(sample);
      context.progress.sample(
        slot.round,
        `${slotLabel(slot)} ${slot.kind}${slot.warmup ? ' warm-up' : ''}: ${describeSample(sample)}`,
        sample.state === 'failed',
      );
      // A failed warm-up is data, not the variant's failure (settle); an app that exits is, warm-up or not.
      if (sample.state === 'failed' && (!slot.warmup || sample.exitCode !== undefined)) {
        const where = many ? ` (on ${engine.name})` : '';
        Object.assign(result, {
          state: 'failed',
          reason: result.reason ?? `${sample.error}${where}`,
          logTail: result.logTail ?? sample.logTail,
        });
        // An app that exits will exit again; more samples would only repeat the failure.
        if (sample.exitCode !== undefined) givenUp.add(key);
      }
    }
    for (const { result } of ready) settle(result);
    rounds.after(round[0]!.round);
    context.save();
  }
}

/** The rounds of a run, one at a time: a fixed schedule, or one that narrows as picks are decided. */
interface Rounds {
  next(): SampleSlot[] | undefined;
  /** After a round is taken: sampling until decided looks at the data here. */
  after(round: number): void;
  fixed: boolean;
  /** Samples and rounds planned (under sampling until decided: at most). */
  samples: number;
  count: number;
}

function fixedRounds(plan: SchedulePlan): Rounds {
  const rounds = scheduleSamples(plan);
  let index = 0;
  return {
    next: () => rounds[index++],
    after: () => {},
    fixed: true,
    samples: rounds.reduce((sum, round) => sum + round.length, 0),
    count: rounds.length,
  };
}

/**
 * Every kind in every round, for the variants whose picks are still open; at each planned look
 * the open ones are found again (until-decided.ts). Stops at the cap, when nothing is open, or
 * before a round the time budget would not cover (the time a round took so far, on average).
 */
function untilDecidedRounds(
  plan: SchedulePlan,
  ready: readonly ReadyVariant[],
  results: RunResults,
  context: MeasureRoundsContext,
): Rounds {
  const { maxRounds, budgetMs } = context.untilDecided!;
  const design = sequentialDesign(maxRounds, results.options.level ?? 0.95);
  results.options.sequential = { looks: design.looks, lookLevel: design.lookLevel, maxRounds, budgetMs };
  const random = seededRandom(plan.seed);
  const kinds: SampleKind[] = ['cold', 'base-cached', 'warm'];
  const taken = kinds.filter(
    (kind) => (kind === 'cold' ? plan.coldRepeat : kind === 'warm' ? plan.warmRepeat : (plan.baseCachedRepeat ?? 0)) > 0,
  );
  let active = new Set(plan.variants);
  let round = 0;
  let started: number | undefined;
  const all = scheduleSamples({
    ...plan,
    coldRepeat: maxRounds,
    baseCachedRepeat: plan.baseCachedRepeat ? maxRounds : 0,
    warmRepeat: plan.warmRepeat ? maxRounds : 0,
  });
  const stop = (ids: Iterable<string>, reason: 'decided' | 'cap' | 'budget') => {
    for (const id of ids) {
      const variant = results.variants.find((item) => item.id === id);
      if (variant) stopSampling(variant, Math.max(0, round - plan.warmup), reason);
    }
  };
  return {
    fixed: false,
    samples: all.reduce((sum, slots) => sum + slots.length, 0),
    count: all.length,
    next() {
      started ??= performance.now();
      const measured = round - plan.warmup;
      if (active.size === 0) return undefined;
      if (measured >= maxRounds) {
        stop(active, 'cap');
        return undefined;
      }
      const perRound = round > 0 ? (performance.now() - started) / round : 0;
      if (round > 0 && performance.now() - started + perRound > budgetMs) {
        context.log.warn(`The time budget (${Math.round(budgetMs / 60000)} min) is spent: sampling stops after round ${round}`);
        stop(active, 'budget');
        return undefined;
      }
      round += 1;
      const warmup = round <= plan.warmup;
      return roundSlots(
        plan,
        round,
        taken.map((kind) => ({ kind, warmup, repetition: round })),
        random,
        active,
      );
    },
    after(done) {
      const measured = done - plan.warmup;
      if (!design.looks.includes(measured)) return;
      const open = stillOpen(
        results,
        ready.map((entry) => entry.result).filter((variant) => active.has(variant.id)),
      );
      stop(
        [...active].filter((id) => !open.has(id)),
        'decided',
      );
      context.log.info(
        `Look after round ${measured} (each decides at ${(design.lookLevel * 100).toFixed(1)}%): ` +
          `${open.size === 0 ? 'every pick decided' : `${open.size} variant(s) still in an open tie: ${[...open].join(', ')}`}`,
      );
      active = open;
      const perRound = all[all.length - 1]!.length;
      const left = Math.max(0, maxRounds - measured);
      const sampledPerVariant = perRound / Math.max(1, plan.variants.length);
      context.progress.resize(
        all.slice(0, done).reduce((sum, slots) => sum + slots.length, 0) + Math.round(left * sampledPerVariant * active.size),
        done + (active.size > 0 ? left : 0),
      );
    },
  };
}
