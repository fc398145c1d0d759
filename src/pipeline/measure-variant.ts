import type { Engine, ProgressEvent, RunningContainer } from '../engine/clients.js';
import type { Logger } from '../common/log.js';
import { makeCold, WarmCacheError } from '../measure/cold-cache.js';
import { freePort } from '../common/free-port.js';
import { waitForHttp, type HttpExpectation } from '../measure/http-probe.js';
import { forwarderCpuMs } from '../measure/forwarder-cpu.js';
import { socketWatch } from '../measure/listen-gate.js';
import { type Clocks, sampleTimeline } from '../measure/timeline.js';
import { pollUntil } from '../common/poll.js';
import { processMemory, type ProcessMemory } from '../measure/process-memory.js';
import { diagnoseContainer } from '../measure/listen-diagnosis.js';
import { bytesServedPerBlob, type RegistryAccessLog } from '../registry/access-log.js';
import type { ImageFacts, LayerBlob, PullFacts, Sample, SampleKind } from '../results/types.js';

export interface MeasureContext {
  engine: Engine;
  /** The engine's name in this run, recorded on every sample. */
  engineName: string;
  log: Logger;
  runLabel: string;
  timeoutMs: number;
  /** The registry's log of what it served: proves a pull transferred every layer, on any engine. */
  accessLog?: RegistryAccessLog;
  /**
   * How the probe waits: the socket watch (default off) and the pause between attempts (default 1 ms). bench:overhead
   * compares them: reading /proc/<pid>/net/tcp walks every socket on the host, so on a busy host the watch costs the
   * harness more CPU than the HTTP attempts it saves (results/overhead.md).
   */
  probe?: ProbeStrategy;
  /** Offsets that put the engine's and the app's timestamps on the harness's clock; no timeline without them. */
  clocks?: Clocks;
  /** The engine's stream can split a pull into transfer and extraction (engine/describe.ts); default yes. */
  splitsPull?: boolean;
  /** Blobs among these the image store still holds after the images are gone (the containerd store keeps content). */
  storedBlobs?: (digests: readonly string[]) => Promise<string[]>;
  /** The host PID of a container process as the engine reports it (the engine may run in a PID namespace of its own). */
  hostPid?: (pid: number) => Promise<number | undefined>;
  /** After a purge, before the timed pull: write back (or drop) the page cache and let writeback settle; the dirty bytes left. */
  quietDisk?: () => Promise<number | undefined>;
}

/** Same on every engine, and recorded: explicit because Podman's defaults fail here and engines' defaults differ. */
export const MEASURED_CONTAINER = {
  network: 'bridge, one port published on 127.0.0.1',
  ulimits: [
    { name: 'nofile', soft: 1024, hard: 1024 },
    { name: 'nproc', soft: 1000, hard: 1000 },
  ],
  user: "the image's own",
  privileges: 'none added: default capabilities, no host mounts, no host network',
} as const;

/**
 * How the probe waits for the first response. intervalMs: the pause between HTTP attempts;
 * appLine: follow the container's stdout, poll every 50 ms once the app prints its
 * "basebench-timeline entered" line, and cut the pause short (then poll every 1 ms) when it prints
 * its listening line; socketWatch: read the container's listening sockets before each attempt.
 */
export interface ProbeStrategy {
  socketWatch: boolean;
  intervalMs: number;
  appLine?: boolean;
}

/**
 * The default: 10 ms between attempts while the app starts (50 ms once it says it entered main),
 * 1 ms once it prints its listening line; apps that print no line get 10 ms throughout.
 * bench:overhead (results/overhead.md) measures it against 1 ms and 10 ms polling and the socket watch.
 */
export const DEFAULT_PROBE: ProbeStrategy = { socketWatch: false, intervalMs: 10, appLine: true };

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

/** Purge, verify cold, pull, then start to first response. */
export async function coldSample(
  image: ImageFacts,
  target: ProbeTarget,
  repetition: number,
  context: MeasureContext,
  path: PullPath = { ref: image.ref },
): Promise<Sample> {
  const base = {
    kind: 'cold' as const,
    repetition,
    engine: context.engineName,
    compression: path.compression ?? ('gzip' as const),
    ...(path.profile ? { profile: path.profile } : {}),
  };
  const layers = path.layers ?? image.layers;
  try {
    await makeCold(context.engine.images, image.diffIds);
    const kept = layers && context.storedBlobs ? await context.storedBlobs(layers.map((layer) => layer.digest)) : [];
    if (kept.length > 0)
      throw new Error(
        `cache is not cold: the engine's content store still holds ${kept.length} layer blob(s) of the image: ${kept.join(', ')}`,
      );
  } catch (error) {
    const message = (error as Error).message;
    return {
      ...base,
      state: 'failed',
      error: error instanceof WarmCacheError || message.startsWith('cache is not cold') ? message : `cache purge failed: ${message}`,
    };
  }
  return pullAndStart(base, image, target, context, path);
}

/**
 * The timed part of a cold or base-cached sample, once the engine holds what it should: let the
 * purge's writeback settle, pull (proven by the registry's log), then start to the first response.
 */
async function pullAndStart(
  sample: Pick<Sample, 'kind' | 'repetition' | 'engine' | 'compression' | 'profile'>,
  image: ImageFacts,
  target: ProbeTarget,
  context: MeasureContext,
  path: PullPath,
): Promise<Sample> {
  const dirty = await context.quietDisk?.();
  const base = { ...sample, ...(dirty === undefined ? {} : { dirtyBytesAtStart: dirty }) };
  const pulled = await coldPull(image, context, path);
  if (!pulled.ok) return { ...base, state: 'failed', ...pulled.failure };
  const { pullMs, pull } = pulled;
  const started = await startToFirstResponse(path.ref, target, context);
  if (started.state === 'failed') return { ...base, ...started, pullMs, pull };
  return { ...base, ...started, pullMs, pull, totalMs: pullMs + (started.createMs ?? 0) + (started.startToFirstResponseMs ?? 0) };
}

/** The runtime base of a base-cached sample: as pushed to the run's registry, with its layers. */
export interface CachedBase {
  ref: string;
  diffIds: readonly string[];
  /** Its layer blobs in the variant's image (the lowest ones). */
  blobs: readonly LayerBlob[];
}

/**
 * Purge as for a cold sample, pull the runtime base alone, check that its layers are there and
 * the app's are not, then pull the image (only the app layers may come from the registry) and
 * start it: the cold start of a node that already runs something on the same base.
 */
export async function baseCachedSample(
  image: ImageFacts,
  base: CachedBase,
  target: ProbeTarget,
  repetition: number,
  context: MeasureContext,
): Promise<Sample> {
  const common = { kind: 'base-cached' as const, repetition, engine: context.engineName, compression: 'gzip' as const };
  const appDiffIds = image.diffIds.slice(base.diffIds.length);
  try {
    await makeCold(context.engine.images, image.diffIds);
    await context.engine.images.pull(base.ref);
    const local = await context.engine.images.list();
    const held = new Set(local.flatMap((entry) => entry.diffIds));
    const missing = base.diffIds.filter((diffId) => !held.has(diffId));
    if (missing.length > 0) throw new Error(`the base's layers are not all present after pulling ${base.ref}: ${missing.length} missing`);
    const early = appDiffIds.filter((diffId) => held.has(diffId));
    if (early.length > 0) throw new Error(`not base-cached: ${early.length} of the app's layers are already present`);
    const appBlobs = (image.layers ?? []).slice(base.blobs.length).map((layer) => layer.digest);
    const kept = context.storedBlobs ? await context.storedBlobs(appBlobs) : [];
    if (kept.length > 0) throw new Error(`not base-cached: the content store still holds ${kept.length} of the app's layer blob(s)`);
  } catch (error) {
    return { ...common, state: 'failed', error: `base-cached setup failed: ${(error as Error).message}` };
  }
  return pullAndStart(common, image, target, context, { ref: image.ref, present: base.blobs });
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

/** The image is already local: create, start, first response. */
export async function warmSample(
  image: Pick<ImageFacts, 'ref'>,
  target: ProbeTarget,
  repetition: number,
  context: MeasureContext,
): Promise<Sample> {
  const started = await startToFirstResponse(image.ref, target, context);
  const kind: SampleKind = 'warm';
  const engine = context.engineName;
  const compression = 'gzip';
  if (started.state === 'failed') return { kind, repetition, engine, compression, ...started };
  return { kind, repetition, engine, compression, ...started, totalMs: (started.createMs ?? 0) + (started.startToFirstResponseMs ?? 0) };
}

type StartResult = Omit<Sample, 'kind' | 'repetition' | 'engine' | 'compression'>;

/**
 * The sample's timeline, read after the response (outside the timed phases): the engine's
 * StartedAt and the app's timeline lines. The engine's log can trail the app by a moment, so a
 * listening line not there yet is waited for briefly.
 */
async function readTimeline(
  container: RunningContainer,
  moments: { startCalled: number; createStarted: number; responded: number; clocks: Clocks },
): Promise<Sample['timeline']> {
  const startedAt = await container.startedAt().catch(() => undefined);
  let output = await container.logTail(50);
  for (
    let attempt = 0;
    attempt < 10 && output.includes('basebench-timeline entered') && !output.includes('basebench-timeline listening');
    attempt += 1
  ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    output = await container.logTail(50);
  }
  return sampleTimeline({ ...moments, ...(startedAt ? { startedAt } : {}), output });
}

/**
 * The container's memory after its first response: from its processes (what reports show), and the
 * engine's own cgroup figures beside them (to check the two against each other where the engine has them).
 */
async function memoryOf(container: RunningContainer, context: MeasureContext): Promise<NonNullable<Sample['memory']>> {
  const [engineFigures, pid] = await Promise.all([container.memory().catch(() => undefined), container.pid().catch(() => undefined)]);
  const hostPid = pid === undefined ? undefined : context.hostPid ? await context.hostPid(pid).catch(() => undefined) : pid;
  const reading = await processMemory(hostPid, container.id);
  return {
    ...('memory' in reading
      ? { processes: { count: reading.memory.processes, ...withoutCount(reading.memory) } }
      : { unknown: reading.unknown }),
    ...(engineFigures?.anonBytes === undefined ? {} : { rssBytes: engineFigures.anonBytes }),
    ...(engineFigures?.fileMappedBytes === undefined ? {} : { fileMappedBytes: engineFigures.fileMappedBytes }),
    ...(engineFigures ? { usageBytes: engineFigures.usageBytes } : {}),
  };
}

const withoutCount = ({ processes: _count, ...figures }: ProcessMemory) => figures;

/**
 * A running container that never answered: what its socket tables say is wrong (loopback only,
 * another port, IPv6 only, nothing listening), and whether it printed anything at all.
 */
async function whyNoAnswer(
  container: RunningContainer,
  context: MeasureContext,
  port: number,
  lastObservation: string,
  logTail: string,
): Promise<string | undefined> {
  const pid = await container.pid().catch(() => undefined);
  const hostPid = pid === undefined ? undefined : context.hostPid ? await context.hostPid(pid).catch(() => undefined) : pid;
  const refused = /ECONNRESET|ECONNREFUSED|socket hang up|closed/i.test(lastObservation);
  const sockets = hostPid === undefined ? undefined : await diagnoseContainer(hostPid, port, refused);
  const silent = logTail.trim() === '' ? 'the app printed nothing' : undefined;
  return [sockets, silent].filter(Boolean).join('; ') || undefined;
}

/** A one-shot event as a promise. */
function signal(): { fired: Promise<void>; fire: () => void } {
  let fire: () => void = () => {};
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { fired, fire };
}

async function startToFirstResponse(ref: string, target: ProbeTarget, context: MeasureContext): Promise<StartResult> {
  const hostPort = await freePort();
  const createStarted = performance.now();
  let container: RunningContainer;
  try {
    container = await context.engine.containers.create({
      image: ref,
      containerPort: target.containerPort,
      hostPort,
      labels: { 'basebench.run': context.runLabel, 'basebench.pid': String(process.pid), 'basebench.variant': target.id },
      ulimits: MEASURED_CONTAINER.ulimits,
    });
  } catch (error) {
    return { state: 'failed', error: `create failed: ${(error as Error).message}` };
  }
  const createMs = performance.now() - createStarted;
  // What to detach from once the sample is over (the output stream, when the probe follows it).
  const detach: Array<() => void> = [];
  try {
    const { exited } = await container.watchExit();
    const announced = signal();
    const entered = signal();
    if (context.probe?.appLine) {
      const onLine = (line: string) => {
        if (line.startsWith('basebench-timeline listening')) announced.fire();
        if (line.startsWith('basebench-timeline entered')) entered.fire();
      };
      detach.push(await container.followOutput(onLine));
    }
    // The probe is set up as the start call is sent: a static binary listens before the call
    // returns, and its listening line wakes the probe then. No attempt goes out before that line
    // or the call's return (see ProbeRequest.started for why).
    const startCalled = performance.now();
    let startMs: number | undefined;
    const starting = container.start().then(() => {
      startMs = performance.now() - startCalled;
    });
    // A failed start call ends the probe at once; the failure itself is reported from `starting`.
    const startFailed = starting.then(
      () => new Promise<never>(() => {}),
      () => ({ exitCode: -1 }),
    );
    // The socket watch comes once the engine says the pid; until then (and where it can't be read), HTTP polling as before.
    let watch: (() => boolean) | undefined;
    const watching = starting
      .then(() => (context.probe?.socketWatch === true ? container.pid() : undefined))
      .then((pid) => {
        watch = pid ? socketWatch(pid, container.id, target.containerPort) : undefined;
      })
      .catch(() => {});
    const outcome = await waitForHttp({
      port: hostPort,
      path: target.path,
      expect: target.expect,
      timeoutMs: context.timeoutMs,
      exited: Promise.race([exited, startFailed]),
      since: startCalled,
      started: starting,
      listening: () => watch?.(),
      ...(context.probe ? { intervalMs: context.probe.intervalMs } : {}),
      ...(context.probe?.appLine ? { announced: announced.fired, entered: entered.fired } : {}),
    });
    await starting;
    await watching;
    const probe: NonNullable<Sample['probe']> = {
      attempts: outcome.attempts,
      cpuMs: outcome.cpuMs,
      skipped: outcome.skipped,
      socketWatch: watch !== undefined,
      ...(outcome.kind === 'ready' ? { answer: outcome.answer } : {}),
    };
    switch (outcome.kind) {
      case 'ready': {
        const forwarder = forwarderCpuMs(hostPort);
        if (forwarder !== undefined) probe.forwarderCpuMs = forwarder;
        const memory = await memoryOf(container, context);
        const timeline = context.clocks
          ? await readTimeline(container, {
              startCalled,
              createStarted,
              responded: startCalled + outcome.elapsedMs,
              clocks: context.clocks,
            })
          : undefined;
        return {
          state: 'completed',
          createMs,
          startMs,
          startToFirstResponseMs: outcome.elapsedMs,
          probe,
          httpStatus: outcome.status,
          ...(timeline ? { timeline } : {}),
          memory,
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
      case 'timeout': {
        const logTail = await container.logTail(LOG_TAIL_LINES);
        const why = await whyNoAnswer(container, context, target.containerPort, outcome.lastObservation, logTail);
        return {
          state: 'failed',
          createMs,
          startMs,
          probe,
          error:
            `timeout: no HTTP ${target.expect.status} containing ${JSON.stringify(target.expect.bodyIncludes)} within ` +
            `${context.timeoutMs} ms (last: ${outcome.lastObservation})${why ? `; ${why}` : ''}`,
          logTail,
        };
      }
    }
  } catch (error) {
    return {
      state: 'failed',
      createMs,
      error: `start failed: ${(error as Error).message}`,
      logTail: await container.logTail(LOG_TAIL_LINES),
    };
  } finally {
    detach.forEach((stop) => {
      stop();
    });
    // An engine that went away mid-sample must not turn the failed sample into a failed run: recovery deals with it.
    await container.remove().catch(() => {});
  }
}
