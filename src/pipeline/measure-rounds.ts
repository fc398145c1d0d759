import { readsZstd, splitsPull } from '../engine/capabilities.js';
import type { EngineSession } from '../engine/open-engines.js';
import type { Logger } from '../common/log.js';
import { quietDisk } from '../measure/page-cache.js';
import type { Sample, VariantResult } from '../results/types.js';
import { checkInterrupted } from './interrupt.js';
import { recoverAfterFailure } from './recover.js';
import type { ReadyVariant } from './build-all.js';
import { namesOf, SAMPLERS, type SampleInput } from '../measure/samples.js';
import { DEFAULT_PROBE, type MeasureContext, type ProbeTarget } from '../measure/sample-context.js';
import type { PullPath } from '../measure/cold-pull.js';
import type { PlannedVariant } from './plan.js';
import { everyPair, fixedRounds, type SamplePath, type SampleSlot, type SchedulePlan } from '../measure/schedule.js';
import { SAMPLE_KINDS } from '../results/sample-kinds.js';
import { untilDecidedRounds } from './until-decided.js';
import { refThrough, type BenchSession } from './bench-session.js';
import type { RunResults, SampleKind } from '../results/types.js';
import type { ProgressLine } from './progress.js';

export interface MeasureRoundsContext {
  session: BenchSession;
  log: Logger;
  progress: ProgressLine;
  signal: AbortSignal;
  /** Samples of each kind per variant (a kind a variant can't take, such as base-cached on scratch, is left out there). */
  repeats: Record<SampleKind, number>;
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

/** What the probe asks a variant's container for, from its scenario. */
export function probeTarget(item: PlannedVariant): ProbeTarget {
  const app = item.scenario.app;
  return { id: item.id, containerPort: app.port, path: app.path, expect: { status: app.expect.status, bodyIncludes: app.expect.body } };
}

/** Every (engine, profile, compression) a cold sample goes through; zstd only on engines that read it. */
function pullPaths(session: BenchSession, compressions: readonly string[]): SamplePath[] {
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

/** What a sample on one engine of the run needs: the same settings for every kind of round (samples, waves). */
export function measureContextOn(engine: EngineSession, results: RunResults, context: MeasureRoundsContext): MeasureContext {
  return {
    engine: engine.client,
    engineName: engine.name,
    log: context.log,
    runLabel: results.runId,
    timeoutMs: context.timeoutMs,
    ...(context.session.registry.accessLog ? { accessLog: context.session.registry.accessLog } : {}),
    storedBlobs: engine.storedBlobs,
    imageNames: () => results.variants.flatMap((variant) => (variant.image ? namesOf(variant.image) : [])),
    hostPid: (pid) => engine.hostPid(pid),
    ...(results.provenance.clocks ? { clocks: results.provenance.clocks } : {}),
    splitsPull: splitsPull(engine.facts),
    quietDisk: () => quietDisk({ dropCaches: context.dropCaches }),
    probe: DEFAULT_PROBE,
  };
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
  const engineByName = new Map(session.engines.map((engine) => [engine.name, engine]));
  const many = session.engines.length > 1;
  const onEachEngine: SamplePath[] = many ? session.engines.map((engine) => ({ engine: engine.name })) : [{}];
  const plan: SchedulePlan = {
    variants: ready.map((entry) => entry.planned.id),
    kinds: SAMPLE_KINDS.map((kind) => ({
      kind: kind.name,
      repeat: context.repeats[kind.name],
      pairs: everyPair(
        ready.filter(({ result }) => SAMPLERS[kind.name].appliesTo(result, results)).map((entry) => entry.planned.id),
        kind.pullsThroughPaths ? pullPaths(session, context.compressions) : onEachEngine,
      ),
    })),
    warmup: context.warmup,
    seed: context.seed,
  };
  const rounds = context.untilDecided ? untilDecidedRounds(plan, ready, results, context) : fixedRounds(plan);
  const measureOn = (engine: EngineSession) => measureContextOn(engine, results, context);
  const givenUp = new Set<string>();
  context.progress.start(rounds.samples, rounds.count, rounds.budgetMs);
  for (let round = rounds.next(); round; round = rounds.next()) {
    results.options.order.push({ round: round[0]!.round, variants: round.map((slot) => `${slot.kind} ${slotLabel(slot)}`) });
    context.log.info(`Round ${round[0]!.round}${rounds.fixed ? `/${rounds.count}` : ''}${round[0]!.warmup ? ' (warm-up)' : ''}`);
    for (const slot of round) {
      checkInterrupted(context.signal);
      const engine = slot.engine ? engineByName.get(slot.engine)! : session.engines[0]!;
      const key = `${slot.variant} on ${engine.name}`;
      if (givenUp.has(key)) {
        context.progress.skip();
        continue;
      }
      const { planned, result } = byId.get(slot.variant)!;
      const taken = await SAMPLERS[slot.kind].take({
        variant: result as SampleInput['variant'],
        run: results,
        target: probeTarget(planned),
        repetition: slot.repetition,
        context: measureOn(engine),
        path: pullPathFor(result, slot, session),
      });
      // A sample cut short by Ctrl-C (its container removed under it) is not a measurement.
      checkInterrupted(context.signal);
      const sample: Sample = { ...taken, round: slot.round, ...(slot.warmup ? { warmup: true } : {}) };
      result.samples.push(sample);
      // Was it the engine or the registry? Wait for the one, restart the other, or stop the run (RunStopped), this failed
      // sample kept with why either way.
      if (sample.state === 'failed') {
        const failure = { reason: sample.error ?? '', record: (reason: string) => Object.assign(sample, { error: reason }) };
        await recoverAfterFailure(failure, engine, session.registry, context.log, context.engineWaitMs);
      }
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
