/**
 * --fan-out: rounds of waves instead of rounds of samples. Each round takes, in a seeded shuffle,
 * one wave per (variant, fan-out level); a wave of N has the first N nodes pull and start the
 * variant's image at once. Levels interleave in every round, so drift lands on each alike, and the
 * N = 1 wave of a round is the single-node sample the others are compared with. The nodes are the
 * cri engine and the cri nodes started beside it, or a cluster's nodes (the cluster engine).
 */
import type { ImageFacts, RunResults, Sample } from '../results/types.js';
import { fanOutWave, type WaveMeasurement } from '../measure/fan-out-wave.js';
import { clusterWave } from '../measure/cluster-sample.js';
import type { ProbeTarget } from '../measure/sample-context.js';
import { seededRandom, shuffled } from '../measure/schedule.js';
import type { EngineSession } from '../engine/open-engines.js';
import type { ReadyVariant } from './build-all.js';
import { checkInterrupted } from './interrupt.js';
import { type MeasureRoundsContext, measureContextOn, probeTarget, settle } from './measure-rounds.js';
import { pairsNeeded } from '../common/stats.js';
import { decisionLevel } from '../report/verdicts.js';

interface FanOutNodes {
  names: string[];
  /** The cluster's name, when the nodes are a cluster's. */
  cluster?: string;
  /** The first `level` nodes pull and start the image at once. */
  wave(level: number, image: ImageFacts, target: ProbeTarget, repetition: number): Promise<WaveMeasurement>;
}

/** The nodes a run's waves go to: a cluster's, or the cri engine and the cri nodes started beside it. */
function fanOutNodes(results: RunResults, context: MeasureRoundsContext): FanOutNodes {
  const { session } = context;
  const cluster = session.engines.find((engine) => engine.cluster)?.cluster;
  if (cluster)
    return {
      names: cluster.nodes,
      cluster: cluster.name,
      wave: (level, image, target, repetition) =>
        clusterWave(cluster.nodes.slice(0, level), { cluster, image, target, repetition, timeoutMs: context.timeoutMs }),
    };
  const nodes: EngineSession[] = [...session.engines, ...session.fanOutNodes];
  const accessLog = session.registry.accessLog;
  if (!accessLog) throw new Error("--fan-out needs the run's own registry, whose log proves each wave cold: leave out --registry");
  return {
    names: nodes.map((node) => node.name),
    wave: (level, image, target, repetition) =>
      fanOutWave(
        image,
        target,
        repetition,
        nodes.slice(0, level).map((node) => measureContextOn(node, results, context)),
        accessLog,
      ),
  };
}

export async function measureFanOut(
  ready: readonly ReadyVariant[],
  results: RunResults,
  levels: readonly number[],
  context: MeasureRoundsContext,
): Promise<void> {
  const nodes = fanOutNodes(results, context);
  results.fanOut = { levels: [...levels], nodes: nodes.names, ...(nodes.cluster ? { cluster: nodes.cluster } : {}), waves: [] };
  if (context.untilDecided)
    context.log.warn(`--until-decided does not apply to fan-out waves: taking --repeat (${context.repeats.cold}) rounds`);
  const needed = pairsNeeded(decisionLevel(results));
  if (context.repeats.cold < needed)
    context.log.warn(
      `--repeat ${context.repeats.cold}: too few rounds for a paired interval at ${Math.round(decisionLevel(results) * 100)}% ` +
        `(it needs ${needed}); every level will be "not decided" against one node. Use --repeat ${needed} or more.`,
    );
  const random = seededRandom(context.seed);
  const rounds = context.warmup + context.repeats.cold;
  const waves = ready.flatMap((entry) => levels.map((level) => ({ entry, level })));
  context.progress.start(rounds * waves.length, rounds);
  for (let round = 1; round <= rounds; round += 1) {
    const warmup = round <= context.warmup;
    const order = shuffled(waves, random);
    results.options.order.push({ round, variants: order.map(({ entry, level }) => `fan-out ${level} ${entry.planned.id}`) });
    for (const { entry, level } of order) {
      checkInterrupted(context.signal);
      const { planned, result } = entry;
      const target = probeTarget(planned);
      const wave = await nodes.wave(level, result.image!, target, round - context.warmup);
      const samples: Sample[] = wave.samples.map((sample) => ({ ...sample, round, ...(warmup ? { warmup: true } : {}) }));
      results.fanOut.waves.push({
        round,
        ...(warmup ? { warmup: true } : {}),
        variant: planned.id,
        nodes: level,
        ...(wave.pullWaveMs === undefined ? {} : { pullWaveMs: wave.pullWaveMs }),
        ...(wave.bytesServed === undefined ? {} : { bytesServed: wave.bytesServed }),
        samples,
      });
      // The single-node wave is an ordinary cold sample on the first node: the regular tables read it.
      if (level === 1) result.samples.push(samples[0]!);
      const failed = samples.filter((sample) => sample.state === 'failed');
      const totals = samples.map((sample) => sample.totalMs).filter((value): value is number => value !== undefined);
      context.progress.sample(
        round,
        `${planned.id} fan-out ${level}${warmup ? ' warm-up' : ''}: ` +
          (totals.length > 0 ? `cold total ${Math.min(...totals).toFixed(0)}–${Math.max(...totals).toFixed(0)} ms` : 'no total') +
          (failed.length > 0 ? `; ${failed.length} failed: ${failed[0]!.error}` : ''),
        failed.length > 0,
      );
    }
    for (const { result } of ready) settle(result);
    context.save();
  }
}
