import { describe, expect, it } from 'vitest';
import type { ClusterSession, PodStart } from '../../src/engine/kubernetes/cluster.js';
import { clusterSample } from '../../src/measure/cluster-sample.js';
import type { ImageFacts } from '../../src/results/types.js';

/**
 * The cluster engine's sample logic on scripted answers (no cluster can run here: README, "A real
 * cluster"): what a purge left and what the kubelet's events said decide the sample's state.
 */
function scripted(answers: { kept?: string[]; start: PodStart }): ClusterSession {
  return {
    name: 'scripted',
    nodes: ['node-a'],
    prepare: async () => {},
    facts: async () => {
      throw new Error('not asked');
    },
    purge: async () => answers.kept ?? [],
    startPod: async () => answers.start,
    close: async () => {},
  };
}

const image = { ref: 'localhost:5001/basebench/go-hello:scratch', layers: [{ digest: 'sha256:a', size: 1 }] } as ImageFacts;
const target = { id: 'go-hello/scratch', containerPort: 8080, path: '/', expect: { status: 200, bodyIncludes: 'hello' } };
const pulled = { image: image.ref, pullMs: 1500, includingWaitingMs: 2100, alreadyPresent: false };
const present = { image: image.ref, alreadyPresent: true };
const started = (pull: typeof pulled | typeof present): PodStart => ({
  runningMs: 1900,
  respondedMs: 2300,
  phases: { pulledMs: 1600, createdMs: 1700, startedMs: 1800, pull, node: 'node-a' },
});

describe('a sample on a cluster', () => {
  it("takes the pull from the kubelet's Pulled event and the total from the create call to the prober's answer", async () => {
    const sample = await clusterSample(scripted({ start: started(pulled) }), 'node-a', image, target, 'cold', 1, 30_000);
    expect(sample).toMatchObject({
      kind: 'cold',
      state: 'completed',
      engine: 'kubernetes',
      pullMs: 1500,
      totalMs: 2300,
      startToFirstResponseMs: 400,
      pod: { node: 'node-a', pulledMs: 1600, createdMs: 1700, startedMs: 1800, pullIncludingWaitingMs: 2100, runningMs: 1900 },
    });
  });

  it('fails a cold sample whose node still holds the image after the purge, before creating anything', async () => {
    let created = false;
    const cluster = scripted({ kept: ['sha256:a'], start: started(pulled) });
    cluster.startPod = async () => {
      created = true;
      return started(pulled);
    };
    const sample = await clusterSample(cluster, 'node-a', image, target, 'cold', 1, 30_000);
    expect(sample).toMatchObject({ state: 'failed', error: 'cache is not cold on node node-a: sha256:a' });
    expect(created).toBe(false);
  });

  it('lets the kubelet decide the kind: a cold sample it did not pull, and a warm one it did, are failures', async () => {
    const cold = await clusterSample(scripted({ start: started(present) }), 'node-a', image, target, 'cold', 1, 30_000);
    expect(cold).toMatchObject({ state: 'failed', error: 'not cold: the kubelet did not pull the image' });
    const warm = await clusterSample(scripted({ start: started(pulled) }), 'node-a', image, target, 'warm', 1, 30_000);
    expect(warm).toMatchObject({ state: 'failed', error: 'not warm: the kubelet pulled the image' });
    const fine = await clusterSample(scripted({ start: started(present) }), 'node-a', image, target, 'warm', 1, 30_000);
    expect(fine).toMatchObject({ state: 'completed', totalMs: 2300 });
    expect(fine.pullMs).toBeUndefined();
  });

  it('keeps what the events said when the pod never answered', async () => {
    const start: PodStart = {
      ...started(pulled),
      respondedMs: undefined,
      error: 'no HTTP 200 containing "hello" from the pod within 30000 ms',
    };
    const sample = await clusterSample(scripted({ start }), 'node-a', image, target, 'cold', 1, 30_000);
    expect(sample).toMatchObject({ state: 'failed', error: start.error, pod: { pulledMs: 1600 } });
  });
});
