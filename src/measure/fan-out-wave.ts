/**
 * A fan-out wave: N nodes, each cold, pull and start the same image at the same moment from the one
 * registry, as nodes do when a deploy lands. Each node's sample is timed as a cold sample is; the
 * proof that every node pulled cold is the registry's log for the wave (each layer blob sent in
 * full once per node), since the nodes' pulls overlap in it.
 */
import { pollUntil } from '../common/poll.js';
import { bytesServedPerBlob, type RegistryAccessLog } from '../registry/access-log.js';
import type { ImageFacts, LayerBlob, Sample } from '../results/types.js';
import { makeCold } from './cold-cache.js';
import { contentGone, purgeNames } from './samples.js';
import type { MeasureContext, ProbeTarget } from './sample-context.js';
import { startToFirstResponse } from './start-to-response.js';

export interface WaveMeasurement {
  /** One sample per node, in the nodes' order. */
  samples: Sample[];
  /** From the moment every pull was sent to the end of the slowest node's pull. */
  pullWaveMs?: number;
  /** Layer and config bytes the registry sent during the wave, from its log. */
  bytesServed?: number;
}

/** Bytes each blob was sent, summed over the wave; waits briefly for the log lines of the last responses. */
async function servedInWave(
  log: RegistryAccessLog,
  mark: number,
  blobs: readonly LayerBlob[],
  nodes: number,
): Promise<Map<string, number>> {
  let served = bytesServedPerBlob(log.blobsServedSince(mark));
  await pollUntil(
    async () => {
      served = bytesServedPerBlob(log.blobsServedSince(mark));
      return blobs.every((blob) => (served.get(blob.digest) ?? 0) >= nodes * blob.size);
    },
    { timeoutMs: 1000, intervalMs: 20 },
  );
  return served;
}

async function pullAndStartOn(image: ImageFacts, target: ProbeTarget, repetition: number, node: MeasureContext): Promise<Sample> {
  const base = { kind: 'cold' as const, repetition, engine: node.engineName, compression: 'gzip' as const };
  const pullStarted = performance.now();
  try {
    await node.engine.images.pull(image.ref);
  } catch (error) {
    return { ...base, state: 'failed', error: `pull failed: ${(error as Error).message}` };
  }
  const pullMs = performance.now() - pullStarted;
  const started = await startToFirstResponse(image.ref, target, node);
  const pull = { layersPulled: image.layerCount, layersAlreadyPresent: 0, proof: 'registry-log' as const };
  if (started.state === 'failed') return { ...base, ...started, pullMs, pull };
  return { ...base, ...started, pullMs, pull, totalMs: pullMs + (started.createMs ?? 0) + (started.startToFirstResponseMs ?? 0) };
}

/** Purges every node (proven), then has them all pull and start the image at once. */
export async function fanOutWave(
  image: ImageFacts,
  target: ProbeTarget,
  repetition: number,
  nodes: readonly MeasureContext[],
  accessLog: RegistryAccessLog,
): Promise<WaveMeasurement> {
  const layers = image.layers ?? [];
  const failAll = (error: string): WaveMeasurement => ({
    samples: nodes.map((node) => ({ kind: 'cold', repetition, engine: node.engineName, compression: 'gzip', state: 'failed', error })),
  });
  for (const node of nodes) {
    try {
      await makeCold(node.engine.images, image.diffIds, purgeNames(image, node));
      const kept = node.storedBlobs
        ? await contentGone(
            node.storedBlobs,
            layers.map((layer) => layer.digest),
          )
        : [];
      if (kept.length > 0) return failAll(`cache is not cold on ${node.engineName}: it still holds ${kept.join(', ')}`);
    } catch (error) {
      return failAll(`cache purge failed on ${node.engineName}: ${(error as Error).message}`);
    }
  }
  const mark = accessLog.mark();
  const samples = await Promise.all(nodes.map((node) => pullAndStartOn(image, target, repetition, node)));
  const pulls = samples.map((sample) => sample.pullMs).filter((value): value is number => value !== undefined);
  const blobs = [...layers, ...(image.config ? [image.config] : [])];
  const served = await servedInWave(accessLog, mark, layers, nodes.length);
  const bytesServed = blobs.reduce((sum, blob) => sum + (served.get(blob.digest) ?? 0), 0);
  const short = layers.filter((layer) => (served.get(layer.digest) ?? 0) < nodes.length * layer.size);
  const proven: Sample[] =
    short.length === 0
      ? samples
      : samples.map((sample) => ({
          ...sample,
          state: 'failed',
          error:
            `the wave was not cold on every node: the registry sent ${short.length} of ${layers.length} layer blob(s) fewer ` +
            `than ${nodes.length} times in full`,
        }));
  return { samples: proven, bytesServed, ...(pulls.length > 0 ? { pullWaveMs: Math.max(...pulls) } : {}) };
}
