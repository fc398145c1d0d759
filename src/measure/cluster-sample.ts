/**
 * A sample on a cluster (the cluster engine): the pod started on one node as a deploy starts it,
 * its phases from the kubelet's events, the first correct response from a prober on the same node.
 * The model is the cri engine's (cold: purged through the node's runtime and shown gone; the pull
 * confirmed as a real pull by the kubelet's own Pulled event); the timing is coarser (see README).
 */
import type { ClusterSession } from '../engine/kubernetes/cluster.js';
import type { ImageFacts, Sample } from '../results/types.js';
import type { ProbeTarget } from './sample-context.js';

export async function clusterSample(
  cluster: ClusterSession,
  node: string,
  image: ImageFacts,
  target: ProbeTarget,
  kind: 'cold' | 'warm',
  repetition: number,
  timeoutMs: number,
): Promise<Sample> {
  const base = { kind, repetition, engine: 'kubernetes', compression: 'gzip' as const };
  if (kind === 'cold') {
    const kept = await cluster
      .purge(
        node,
        image.ref,
        (image.layers ?? []).map((layer) => layer.digest),
      )
      .catch((error: Error) => [`purge failed: ${error.message}`]);
    if (kept.length > 0) return { ...base, state: 'failed', error: `cache is not cold on node ${node}: ${kept.join(', ')}` };
  }
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
