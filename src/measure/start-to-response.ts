/**
 * From the engine's start call to the first correct HTTP response, with the timeline, the probe's
 * cost, the container's memory and, when it never answers, why.
 */
import type { RunningContainer } from '../engine/clients.js';
import { freePort } from '../common/free-port.js';
import { waitForHttp } from './http-probe.js';
import { forwarderCpuMs } from './forwarder-cpu.js';
import { socketWatch } from './listen-gate.js';
import { type Clocks, sampleTimeline } from './timeline.js';
import { processMemory, type ProcessMemory } from './process-memory.js';
import { diagnoseContainer } from './listen-diagnosis.js';
import type { Sample } from '../results/types.js';
import { MEASURED_CONTAINER, type MeasureContext, type ProbeTarget } from './sample-context.js';

const LOG_TAIL_LINES = 20;

export type StartResult = Omit<Sample, 'kind' | 'repetition' | 'engine' | 'compression'>;

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

/** The container's init process as this host's /proc numbers it (an engine in a container numbers it in its own namespace). */
async function hostPidOf(container: RunningContainer, context: MeasureContext): Promise<number | undefined> {
  const pid = await container.pid().catch(() => undefined);
  if (pid === undefined || !context.hostPid) return pid;
  return context.hostPid(pid).catch(() => undefined);
}

/**
 * The container's memory after its first response: from its processes (what reports show), and the
 * engine's own cgroup figures beside them (to check the two against each other where the engine has them).
 */
async function memoryOf(container: RunningContainer, context: MeasureContext): Promise<NonNullable<Sample['memory']>> {
  const [engineFigures, hostPid] = await Promise.all([container.memory().catch(() => undefined), hostPidOf(container, context)]);
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
  const hostPid = await hostPidOf(container, context);
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

/**
 * Create, start and probe until the first correct response. One piece on purpose: the exit watch,
 * the output follower and the probe must all be armed before the start call is sent, and the
 * start call, its return and the app's lines race each other; split up, the order that makes the
 * figure valid would be spread over functions that each look safe to reorder.
 */
export async function startToFirstResponse(ref: string, target: ProbeTarget, context: MeasureContext): Promise<StartResult> {
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
  // An engine that makes a pod first (the CRI) times its two calls itself, without the probe's way in it sets up between them.
  const createMs = container.phases ? container.phases.sandboxMs + container.phases.createMs : performance.now() - createStarted;
  const sandboxMs = container.phases?.sandboxMs;
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
          ...(sandboxMs === undefined ? {} : { sandboxMs }),
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
