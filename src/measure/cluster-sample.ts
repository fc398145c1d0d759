/**
 * A sample on a cluster (the cluster engine): the pod started on one node as a deploy starts it,
 * its phases from the kubelet's events, the first correct response from a prober on the same node.
 * The model is the cri engine's (cold: purged through the node's runtime and shown gone; the pull
 * confirmed as a real pull by the kubelet's own Pulled event); the timing is coarser (see README).
 * A fan-out wave is the same pod on N nodes at once.
 */
import type { ClusterSession } from '../engine/kubernetes/cluster.js';
import type { ImageFacts, Sample } from '../results/types.js';
import type { ProbeTarget } from './sample-context.js';
import type { WaveMeasurement } from './fan-out-wave.js';

type Kind = 'cold' | 'warm';

/** Purges the image from a node through its runtime; why the node is not cold, if it is not. */
async function notColdOn(cluster: ClusterSession, node: string, image: ImageFacts): Promise<string | undefined> {
  const kept = await cluster
    .purge(
      node,
      image.ref,
      (image.layers ?? []).map((layer) => layer.digest),
    )
    .catch((error: Error) => [`purge failed: ${error.message}`]);
  return kept.length > 0 ? `cache is not cold on node ${node}: ${kept.join(', ')}` : undefined;
}

const baseOf = (kind: Kind, repetition: number) => ({ kind, repetition, engine: 'kubernetes', compression: 'gzip' as const });

/** One pod to start: on which node of which cluster, of which image, and what the prober asks it. */
export interface PodRequest {
  cluster: ClusterSession;
  node: string;
  image: ImageFacts;
  target: ProbeTarget;
  kind: Kind;
  repetition: number;
  timeoutMs: number;
}

/** Creates the pod on the node and makes a sample of what its events and the prober said. */
async function podSample({ cluster, node, image, target, kind, repetition, timeoutMs }: PodRequest): Promise<Sample> {
  const base = baseOf(kind, repetition);
  const started = await cluster.startPod(
    node,
    image.ref,
    { port: target.containerPort, path: target.path, status: target.expect.status, body: target.expect.bodyIncludes },
    kind === 'cold',
    timeoutMs,
  );
  const { phases } = started;
  const pod: NonNullable<Sample['pod']> = {
    node,
    ...(phases.pulledMs === undefined ? {} : { pulledMs: phases.pulledMs }),
    ...(phases.createdMs === undefined ? {} : { createdMs: phases.createdMs }),
    ...(phases.startedMs === undefined ? {} : { startedMs: phases.startedMs }),
    ...(phases.pull?.includingWaitingMs === undefined ? {} : { pullIncludingWaitingMs: phases.pull.includingWaitingMs }),
    ...(started.runningMs === undefined ? {} : { runningMs: started.runningMs }),
  };
  if (started.error || started.respondedMs === undefined) return { ...base, state: 'failed', pod, error: started.error ?? 'no response' };
  // The kubelet's word decides what kind of start it was: a cold sample must have pulled, a warm one must not have.
  const pulled = phases.pull !== undefined && !phases.pull.alreadyPresent;
  if (kind === 'cold' && !pulled) return { ...base, state: 'failed', pod, error: 'not cold: the kubelet did not pull the image' };
  if (kind === 'warm' && pulled) return { ...base, state: 'failed', pod, error: 'not warm: the kubelet pulled the image' };
  return {
    ...base,
    state: 'completed',
    pod,
    ...(phases.pull?.pullMs === undefined ? {} : { pullMs: phases.pull.pullMs }),
    startToFirstResponseMs: started.respondedMs - (started.runningMs ?? 0),
    totalMs: started.respondedMs,
  };
}

/** One pod on one node: cold (purged first, shown gone) or warm. */
export async function clusterSample(request: PodRequest): Promise<Sample> {
  const { cluster, node, image, kind, repetition } = request;
  const notCold = kind === 'cold' ? await notColdOn(cluster, node, image) : undefined;
  if (notCold) return { ...baseOf(kind, repetition), state: 'failed', error: notCold };
  return podSample(request);
}

/**
 * A fan-out wave on a cluster: every node purged (shown gone) first, then one pod per node created at
 * the same moment, as a deploy's pods land. Each node's cold start is proven by its kubelet's Pulled
 * event; the registry is the cluster's, so what it sent is not known here.
 */
export async function clusterWave(nodes: readonly string[], request: Omit<PodRequest, 'node' | 'kind'>): Promise<WaveMeasurement> {
  const { cluster, image, repetition } = request;
  for (const node of nodes) {
    const notCold = await notColdOn(cluster, node, image);
    if (notCold) return { samples: nodes.map(() => ({ ...baseOf('cold', repetition), state: 'failed', error: notCold })) };
  }
  const samples = await Promise.all(nodes.map((node) => podSample({ ...request, node, kind: 'cold' })));
  // The wave's pull: the slowest node's, as its kubelet timed it (the pods were created together).
  const pulls = samples.flatMap((sample) => (sample.pullMs === undefined ? [] : [sample.pullMs]));
  return { samples, ...(pulls.length === samples.length && pulls.length > 0 ? { pullWaveMs: Math.max(...pulls) } : {}) };
}
