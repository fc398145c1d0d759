/**
 * The cluster engine's rounds: each round takes, in a seeded shuffle of the variants, a cold pod
 * start and then (with --warm-repeat) a warm one on the same node, the nodes taken in turn. Cold
 * before warm in each pair is fixed (the warm one needs the image the cold one pulled), and said so.
 */
import type { ClusterSession } from '../engine/kubernetes/cluster.js';
import { clusterSample } from '../measure/cluster-sample.js';
import { seededRandom, shuffled } from '../measure/schedule.js';
import type { RunResults, Sample } from '../results/types.js';
import type { ReadyVariant } from './build-all.js';
import { checkInterrupted } from './interrupt.js';
import { type MeasureRoundsContext, probeTarget, settle } from './measure-rounds.js';

export async function measureOnCluster(
  ready: readonly ReadyVariant[],
  results: RunResults,
  cluster: ClusterSession,
  context: MeasureRoundsContext,
): Promise<void> {
  if (context.untilDecided)
    context.log.warn(`--until-decided does not apply to the cluster engine: taking --repeat (${context.repeats.cold}) rounds`);
  const random = seededRandom(context.seed);
  const rounds = context.warmup + context.repeats.cold;
  const kinds: Array<'cold' | 'warm'> = context.repeats.warm > 0 ? ['cold', 'warm'] : ['cold'];
  context.progress.start(rounds * ready.length * kinds.length, rounds);
  let turn = 0;
  for (let round = 1; round <= rounds; round += 1) {
    const warmup = round <= context.warmup;
    const order = shuffled(ready, random);
    results.options.order.push({ round, variants: order.map((entry) => `pod ${entry.planned.id}`) });
    for (const { planned, result } of order) {
      const node = cluster.nodes[turn % cluster.nodes.length]!;
      turn += 1;
      const target = probeTarget(planned);
      for (const kind of kinds) {
        checkInterrupted(context.signal);
        const repetition = round - context.warmup;
        const taken = await clusterSample({ cluster, node, image: result.image!, target, kind, repetition, timeoutMs: context.timeoutMs });
        const sample: Sample = { ...taken, round, ...(warmup ? { warmup: true } : {}) };
        result.samples.push(sample);
        context.progress.sample(
          round,
          `${planned.id} ${kind} on ${node}${warmup ? ' warm-up' : ''}: ` +
            (sample.state === 'failed' ? `failed: ${sample.error}` : `total ${sample.totalMs!.toFixed(0)} ms`),
          sample.state === 'failed',
        );
      }
    }
    for (const { result } of ready) settle(result);
    context.save();
  }
}
