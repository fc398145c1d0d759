import type { Engine, ProgressEvent } from '../engine/clients.js';
import type { Logger } from '../log.js';
import { makeCold } from '../measure/cold-cache.js';
import { freePort } from '../measure/free-port.js';
import { waitForHttp, type HttpExpectation } from '../measure/http-probe.js';
import type { ImageFacts, PullFacts, Sample, SampleKind } from '../results/types.js';

export interface MeasureContext {
  engine: Engine;
  log: Logger;
  runLabel: string;
  timeoutMs: number;
}

export interface ProbeTarget {
  id: string;
  containerPort: number;
  path: string;
  expect: HttpExpectation;
}

const LOG_TAIL_LINES = 20;

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

/** Where a cold sample pulls from: the registry directly, or through a throttling proxy. */
export interface PullPath {
  /** The image reference through this path (same repository and tag, another registry host). */
  ref: string;
  profile?: string;
  /** Bytes the proxy has carried towards the engine so far. */
  bytesCarried?: () => number;
}

/** Purge, verify cold, pull, then start to first response. */
export async function coldSample(
  image: ImageFacts,
  target: ProbeTarget,
  repetition: number,
  context: MeasureContext,
  path: PullPath = { ref: image.ref },
): Promise<Sample> {
  const base = { kind: 'cold' as const, repetition, ...(path.profile ? { profile: path.profile } : {}) };
  try {
    await makeCold(context.engine.images, image.diffIds);
  } catch (error) {
    return { ...base, state: 'failed', error: (error as Error).message };
  }
  const events: TimedProgressEvent[] = [];
  const bytesBefore = path.bytesCarried?.();
  const pullStarted = performance.now();
  try {
    await context.engine.images.pull(path.ref, (event) => events.push({ ...event, at: performance.now() }));
  } catch (error) {
    return { ...base, state: 'failed', error: `pull failed: ${(error as Error).message}` };
  }
  const pullEnded = performance.now();
  const pullMs = pullEnded - pullStarted;
  const pull = summarisePull(events, pullStarted, pullEnded);
  if (bytesBefore !== undefined) pull.bytesTransferred = path.bytesCarried!() - bytesBefore;
  if (pull.layersAlreadyPresent > 0 || pull.layersPulled !== image.layerCount) {
    return {
      ...base,
      state: 'failed',
      pullMs,
      pull,
      error: `pull was not cold: ${pull.layersPulled} of ${image.layerCount} layers transferred, ${pull.layersAlreadyPresent} already present`,
    };
  }
  const started = await startToFirstResponse(path.ref, target, context);
  if (started.state === 'failed') return { ...base, ...started, pullMs, pull };
  return {
    ...base,
    ...started,
    pullMs,
    pull,
    totalMs: pullMs + (started.createMs ?? 0) + (started.startToFirstResponseMs ?? 0),
  };
}

/** The image is already local: create, start, first response. */
export async function warmSample(image: Pick<ImageFacts, 'ref'>, target: ProbeTarget, repetition: number, context: MeasureContext): Promise<Sample> {
  const started = await startToFirstResponse(image.ref, target, context);
  const kind: SampleKind = 'warm';
  if (started.state === 'failed') return { kind, repetition, ...started };
  return { kind, repetition, ...started, totalMs: (started.createMs ?? 0) + (started.startToFirstResponseMs ?? 0) };
}

type StartResult = Omit<Sample, 'kind' | 'repetition'>;

async function startToFirstResponse(ref: string, target: ProbeTarget, context: MeasureContext): Promise<StartResult> {
  const hostPort = await freePort();
  const createStarted = performance.now();
  let container;
  try {
    container = await context.engine.containers.create({
      image: ref,
      containerPort: target.containerPort,
      hostPort,
      labels: { 'basebench.run': context.runLabel, 'basebench.variant': target.id },
    });
  } catch (error) {
    return { state: 'failed', error: `create failed: ${(error as Error).message}` };
  }
  const createMs = performance.now() - createStarted;
  try {
    const { exited } = await container.watchExit();
    const startCalled = performance.now();
    await container.start();
    const startMs = performance.now() - startCalled;
    const outcome = await waitForHttp({
      port: hostPort,
      path: target.path,
      expect: target.expect,
      timeoutMs: context.timeoutMs,
      exited,
      since: startCalled,
    });
    const probe = { attempts: outcome.attempts, cpuMs: outcome.cpuMs };
    switch (outcome.kind) {
      case 'ready': {
        const memory = await container.memory().catch(() => undefined);
        return {
          state: 'completed',
          createMs,
          startMs,
          startToFirstResponseMs: outcome.elapsedMs,
          probe,
          httpStatus: outcome.status,
          ...(memory ? { memory } : {}),
        };
      }
      case 'exited':
        return {
          state: 'failed',
          createMs,
          startMs,
          probe,
          exitCode: outcome.exitCode,
          error: `container exited with code ${outcome.exitCode} before answering`,
          logTail: await container.logTail(LOG_TAIL_LINES),
        };
      case 'timeout':
        return {
          state: 'failed',
          createMs,
          startMs,
          probe,
          error: `timeout: no HTTP ${target.expect.status} containing ${JSON.stringify(target.expect.bodyIncludes)} within ${context.timeoutMs} ms (last: ${outcome.lastObservation})`,
          logTail: await container.logTail(LOG_TAIL_LINES),
        };
    }
  } catch (error) {
    return { state: 'failed', createMs, error: `start failed: ${(error as Error).message}`, logTail: await container.logTail(LOG_TAIL_LINES) };
  } finally {
    await container.remove();
  }
}
