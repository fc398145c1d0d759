/**
 * A cold pull, timed and proven: every layer blob sent in full by the registry during the pull (its
 * own log), or, with an external registry, every layer reported pulled by the engine.
 */
import type { ProgressEvent } from '../engine/clients.js';
import { pollUntil } from '../common/poll.js';
import { bytesServedPerBlob, type RegistryAccessLog } from '../registry/access-log.js';
import type { ImageFacts, LayerBlob, PullFacts, Sample } from '../results/types.js';
import type { MeasureContext } from './sample-context.js';

export type TimedProgressEvent = ProgressEvent & { at?: number };

/**
 * Counts each layer's final pull status, to prove a cold pull really transferred every layer,
 * and, when events carry arrival times, splits the pull at the last "Download complete".
 */
export function summarisePull(events: readonly TimedProgressEvent[], startedAt?: number, endedAt?: number): PullFacts {
  const finalStatus = new Map<string, string>();
  let lastDownload: number | undefined;
  for (const event of events) {
    if (event.id && (event.status === 'Pull complete' || event.status === 'Already exists')) finalStatus.set(event.id, event.status);
    if (event.status === 'Download complete' && event.at !== undefined) lastDownload = Math.max(lastDownload ?? 0, event.at);
  }
  const statuses = [...finalStatus.values()];
  const facts: PullFacts = {
    layersPulled: statuses.filter((status) => status === 'Pull complete').length,
    layersAlreadyPresent: statuses.filter((status) => status === 'Already exists').length,
  };
  if (lastDownload !== undefined && startedAt !== undefined && endedAt !== undefined) {
    facts.transferMs = lastDownload - startedAt;
    facts.extractTailMs = endedAt - lastDownload;
  }
  return facts;
}

/** What a cold sample pulls, and through which path: the registry directly, or a throttling proxy. */
export interface PullPath {
  /** The image reference through this path (same repository and tag, another registry host). */
  ref: string;
  profile?: string;
  /** Layer compression of the image pulled; absent means gzip. */
  compression?: 'zstd';
  /** The blobs a cold pull must fetch in full: the layers of the image in this compression. */
  layers?: readonly LayerBlob[];
  config?: LayerBlob;
  /** Bytes the proxy has carried towards the engine so far. */
  bytesCarried?: () => number;
  /** Blobs the engine already has (a base-cached sample's base layers): the pull must fetch the others only. */
  present?: readonly LayerBlob[];
}

/**
 * Blobs the registry sent in full during a pull. Its log line for a response is written once the
 * response is done, which can be just after the engine's pull stream ends: wait for it, briefly.
 */
async function servedDuringPull(log: RegistryAccessLog, mark: number, wanted: readonly LayerBlob[]): Promise<Map<string, number>> {
  let served = bytesServedPerBlob(log.blobsServedSince(mark));
  const complete = () => wanted.every((blob) => (served.get(blob.digest) ?? 0) >= blob.size);
  await pollUntil(
    async () => {
      served = bytesServedPerBlob(log.blobsServedSince(mark));
      return complete();
    },
    { timeoutMs: 1000, intervalMs: 20 },
  );
  return served;
}

export type ColdPull = { ok: true; pullMs: number; pull: PullFacts } | { ok: false; failure: Pick<Sample, 'error' | 'pullMs' | 'pull'> };

/**
 * Pulls an image that should be absent, timed, and proves that every layer came from the
 * registry: by the registry's own log where the run has one (any engine), else by the engine's
 * "Pull complete" events. A layer the engine still had fails the pull as "not cold".
 */
export async function coldPull(image: ImageFacts, context: MeasureContext, path: PullPath = { ref: image.ref }): Promise<ColdPull> {
  const layers = path.layers ?? image.layers;
  const events: TimedProgressEvent[] = [];
  const bytesBefore = path.bytesCarried?.();
  const logMark = context.accessLog && layers ? context.accessLog.mark() : undefined;
  const pullStarted = performance.now();
  try {
    await context.engine.images.pull(path.ref, (event) => events.push({ ...event, at: performance.now() }));
  } catch (error) {
    return { ok: false, failure: { error: `pull failed: ${(error as Error).message}` } };
  }
  const pullEnded = performance.now();
  const pullMs = pullEnded - pullStarted;
  const pull = context.splitsPull === false ? summarisePull(events) : summarisePull(events, pullStarted, pullEnded);
  if (bytesBefore !== undefined) pull.bytesTransferred = path.bytesCarried!() - bytesBefore;
  const present = path.present ?? [];
  const wanted = layers?.filter((layer) => !present.some((blob) => blob.digest === layer.digest));
  let refetched = 0;
  if (logMark !== undefined && wanted) {
    // Every engine: the registry's word that each layer blob went out in full during this pull.
    const blobs = [...wanted, ...((path.config ?? image.config) ? [(path.config ?? image.config)!] : [])];
    const served = await servedDuringPull(context.accessLog!, logMark, wanted);
    pull.proof = 'registry-log';
    pull.layersPulled = wanted.filter((layer) => (served.get(layer.digest) ?? 0) >= layer.size).length;
    pull.bytesServed = blobs.reduce((sum, blob) => sum + Math.min(served.get(blob.digest) ?? 0, blob.size), 0);
    refetched = present.filter((blob) => (served.get(blob.digest) ?? 0) > 0).length;
  } else {
    pull.proof = 'engine-stream';
  }
  const expected = image.layerCount - present.length;
  if (pull.layersAlreadyPresent > present.length || pull.layersPulled !== expected || refetched > 0) {
    const how = pull.proof === 'registry-log' ? 'the registry sent' : 'the engine reported pulled';
    const what = present.length > 0 ? `the ${expected} app layers` : 'cold';
    return {
      ok: false,
      failure: {
        pullMs,
        pull,
        error:
          `pull was not ${what}: ${how} ${pull.layersPulled} of ${expected} layers in full, ${pull.layersAlreadyPresent} ` +
          `reported already present${refetched > 0 ? `, ${refetched} base layer(s) fetched again` : ''}`,
      },
    };
  }
  return { ok: true, pullMs, pull };
}
