import { describe, expect, it } from 'vitest';
import type { ClusterSession, PodStart } from '../../src/engine/kubernetes/cluster.js';
import { clusterSample, clusterWave } from '../../src/measure/cluster-sample.js';
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
/** What the run asks of node-a: its image's pod, cold unless said. */
const onNodeA = (cluster: ClusterSession, kind: 'cold' | 'warm' = 'cold') => ({
  cluster,
  node: 'node-a',
  image,
  target,
  kind,
  repetition: 1,
  timeoutMs: 30_000,
});
const started = (pull: typeof pulled | typeof present): PodStart => ({
  runningMs: 1900,
  respondedMs: 2300,
  phases: { pulledMs: 1600, createdMs: 1700, startedMs: 1800, pull, node: 'node-a' },
});

describe('a sample on a cluster', () => {
  it("takes the pull from the kubelet's Pulled event and the total from the create call to the prober's answer", async () => {
    const sample = await clusterSample(onNodeA(scripted({ start: started(pulled) })));
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
    const sample = await clusterSample(onNodeA(cluster));
    expect(sample).toMatchObject({ state: 'failed', error: 'cache is not cold on node node-a: sha256:a' });
    expect(created).toBe(false);
  });

  it('lets the kubelet decide the kind: a cold sample it did not pull, and a warm one it did, are failures', async () => {
    const cold = await clusterSample(onNodeA(scripted({ start: started(present) })));
    expect(cold).toMatchObject({ state: 'failed', error: 'not cold: the kubelet did not pull the image' });
    const warm = await clusterSample(onNodeA(scripted({ start: started(pulled) }), 'warm'));
    expect(warm).toMatchObject({ state: 'failed', error: 'not warm: the kubelet pulled the image' });
    const fine = await clusterSample(onNodeA(scripted({ start: started(present) }), 'warm'));
    expect(fine).toMatchObject({ state: 'completed', totalMs: 2300 });
    expect(fine.pullMs).toBeUndefined();
  });

  it('keeps what the events said when the pod never answered', async () => {
    const start: PodStart = {
      ...started(pulled),
      respondedMs: undefined,
      error: 'no HTTP 200 containing "hello" from the pod within 30000 ms',
    };
    const sample = await clusterSample(onNodeA(scripted({ start })));
    expect(sample).toMatchObject({ state: 'failed', error: start.error, pod: { pulledMs: 1600 } });
  });
});

describe('a fan-out wave on a cluster', () => {
  const nodes = ['node-a', 'node-b', 'node-c'];

  it('purges every node before any pod, then creates one pod per node at the same moment', async () => {
    const events: string[] = [];
    let inFlight = 0;
    let most = 0;
    const cluster = scripted({ start: started(pulled) });
    cluster.purge = async (node) => {
      events.push(`purge ${node}`);
      return [];
    };
    cluster.startPod = async (node) => {
      events.push(`pod ${node}`);
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight -= 1;
      const pullMs = { 'node-a': 1500, 'node-b': 2600, 'node-c': 2100 }[node]!;
      return { ...started({ ...pulled, pullMs }), phases: { ...started(pulled).phases, node, pull: { ...pulled, pullMs } } };
    };
    const wave = await clusterWave(nodes, { cluster, image, target, repetition: 1, timeoutMs: 30_000 });
    expect(events).toEqual(['purge node-a', 'purge node-b', 'purge node-c', 'pod node-a', 'pod node-b', 'pod node-c']);
    expect(most).toBe(3);
    expect(wave.samples.map((sample) => [sample.state, sample.pod?.node, sample.pullMs])).toEqual([
      ['completed', 'node-a', 1500],
      ['completed', 'node-b', 2600],
      ['completed', 'node-c', 2100],
    ]);
    expect(wave.pullWaveMs).toBe(2600);
    expect(wave.bytesServed).toBeUndefined();
  });

  it('fails the whole wave, creating nothing, when one node still holds the image', async () => {
    let created = 0;
    const cluster = scripted({ start: started(pulled) });
    cluster.purge = async (node) => (node === 'node-b' ? ['sha256:a'] : []);
    cluster.startPod = async () => {
      created += 1;
      return started(pulled);
    };
    const wave = await clusterWave(nodes, { cluster, image, target, repetition: 1, timeoutMs: 30_000 });
    expect(created).toBe(0);
    expect(wave.samples).toHaveLength(3);
    expect(wave.samples.every((sample) => sample.state === 'failed' && sample.error === 'cache is not cold on node node-b: sha256:a')).toBe(
      true,
    );
  });

  it("fails a node's sample when its kubelet did not pull, and gives the wave no pull time then", async () => {
    const cluster = scripted({ start: started(pulled) });
    cluster.startPod = async (node) => started(node === 'node-c' ? present : pulled);
    const wave = await clusterWave(nodes, { cluster, image, target, repetition: 1, timeoutMs: 30_000 });
    expect(wave.samples.map((sample) => sample.state)).toEqual(['completed', 'completed', 'failed']);
    expect(wave.samples[2]!.error).toBe('not cold: the kubelet did not pull the image');
    expect(wave.pullWaveMs).toBeUndefined();
  });
});
