import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExitInfo } from '../engine/clients.js';

export interface HttpExpectation {
  status: number;
  bodyIncludes: string;
}

export interface ProbeRequest {
  port: number;
  path: string;
  expect: HttpExpectation;
  timeoutMs: number;
  /** When the container exits, probing stops at once. */
  exited?: Promise<ExitInfo>;
  /** Pause after a failed attempt. 1 ms keeps detection delay near 1 ms without spinning a core. */
  intervalMs?: number;
  /** Where elapsed time counts from (performance.now() clock); defaults to the probe's start. */
  since?: number;
}

interface ProbeCounters {
  elapsedMs: number;
  attempts: number;
  /** CPU time of this process while probing: the probe's own cost. */
  cpuMs: number;
}

export type ProbeOutcome =
  | ({ kind: 'ready'; status: number } & ProbeCounters)
  | ({ kind: 'exited'; exitCode: number } & ProbeCounters)
  | ({ kind: 'timeout'; lastObservation: string } & ProbeCounters);

type Attempt = { ok: true; status: number; body: string } | { ok: false; observation: string };

const MAX_BODY_BYTES = 64 * 1024;

/**
 * One GET with a fresh connection. A TCP connect is not readiness: docker-proxy accepts
 * connections before the app listens, then drops them, so only a full HTTP response counts.
 */
function attemptGet(port: number, path: string, timeoutMs: number): Promise<Attempt> {
  return new Promise((resolve) => {
    const request = http.request(
      { host: '127.0.0.1', port, path, method: 'GET', agent: false, timeout: timeoutMs },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () =>
          resolve({ ok: true, status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', (error) => resolve({ ok: false, observation: error.message }));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no response within ${timeoutMs} ms`)));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, observation: error.code ?? error.message }));
    request.end();
  });
}

export async function waitForHttp(probe: ProbeRequest): Promise<ProbeOutcome> {
  const since = probe.since ?? performance.now();
  const deadline = since + probe.timeoutMs;
  const intervalMs = probe.intervalMs ?? 1;
  const cpuBefore = process.cpuUsage();
  let attempts = 0;
  const seen: { exit?: ExitInfo } = {};
  void probe.exited?.then((info) => (seen.exit = info));
  const exitedSignal = probe.exited?.then(() => 'exited' as const) ?? new Promise<never>(() => {});

  const counters = (): ProbeCounters => {
    const cpu = process.cpuUsage(cpuBefore);
    return { elapsedMs: performance.now() - since, attempts, cpuMs: (cpu.user + cpu.system) / 1000 };
  };

  const exitedOutcome = (): ProbeOutcome => ({ kind: 'exited', exitCode: seen.exit?.exitCode ?? -1, ...counters() });

  let lastObservation = 'no attempt made';
  while (performance.now() < deadline) {
    attempts += 1;
    const remaining = Math.max(1, deadline - performance.now());
    const result = await Promise.race([attemptGet(probe.port, probe.path, remaining), exitedSignal]);
    if (result === 'exited' || seen.exit) return exitedOutcome();
    if (result.ok) {
      if (result.status === probe.expect.status && result.body.includes(probe.expect.bodyIncludes)) {
        return { kind: 'ready', status: result.status, ...counters() };
      }
      lastObservation = `HTTP ${result.status} with body ${JSON.stringify(result.body.slice(0, 200))}`;
    } else if (performance.now() < deadline || attempts === 1) {
      // An attempt cut short by the overall deadline says less than what was seen before it.
      lastObservation = result.observation;
    }
    const pause = await Promise.race([sleep(intervalMs).then(() => 'slept' as const), exitedSignal]);
    if (pause === 'exited') return exitedOutcome();
  }
  return { kind: 'timeout', lastObservation, ...counters() };
}
