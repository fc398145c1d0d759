import net from 'node:net';
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
  /**
   * Whether the app listens yet, without traffic (listen-gate.ts): false skips the HTTP attempt,
   * true or undefined (not known, or not yet known) makes it.
   */
  listening?: () => boolean | undefined;
  /**
   * Settles when the engine's start call returns, for a probe set up as the call is sent: no
   * attempt goes out before it, or before `announced`, whichever comes first. An attempt while the
   * container's network is still being set up made the container unreachable for a second here
   * (Docker 20.10: docker-proxy accepted it, its connection to the container was lost, and every
   * connection after it waited about 1 s, as for a failed ARP lookup retried). Should one still be
   * out when the other wake-up comes, a fresh attempt goes out beside it; the first correct
   * response wins.
   */
  started?: Promise<unknown>;
  /**
   * Settles when the app says it listens (its "basebench-timeline listening" line): the pause in
   * progress is cut short (or a fresh attempt goes out beside one still out, as for `started`) and
   * the probe polls every 1 ms from then on. Until then it polls every `intervalMs`, so a slow
   * starter is not hammered while it starts.
   */
  announced?: Promise<unknown>;
  /**
   * Settles when the app says it entered main (its "basebench-timeline entered" line): it speaks
   * the timeline protocol, so its listening line will wake the probe, and until then the probe
   * only polls every ENTERED_INTERVAL_MS, a safety net should that line never come.
   */
  entered?: Promise<unknown>;
}

/** The pause between attempts once the app has said it entered main and not yet that it listens. */
export const ENTERED_INTERVAL_MS = 50;

interface ProbeCounters {
  elapsedMs: number;
  attempts: number;
  /** HTTP attempts the socket watch made unnecessary: checks that found the port not listening yet. */
  skipped: number;
  /** CPU time of this process while probing: the probe's own cost. */
  cpuMs: number;
}

/**
 * The attempt that got the correct response: when it was sent (ms from `since`) and how long it
 * took to its whole response. Splits detection delay into the probe's lag (listening → sent) and
 * the first answer (the forwarder and the app serving their first request).
 */
export interface Answer {
  sentMs: number;
  durationMs: number;
}

export type ProbeOutcome =
  | ({ kind: 'ready'; status: number; answer: Answer } & ProbeCounters)
  | ({ kind: 'exited'; exitCode: number } & ProbeCounters)
  | ({ kind: 'timeout'; lastObservation: string } & ProbeCounters);

type Attempt = { ok: true; status: number; body: string } | { ok: false; observation: string };

const MAX_RESPONSE_BYTES = 64 * 1024;

/** A chunked body decoded, and whether its last chunk (size 0, then trailers and an empty line) is in. */
function decodeChunks(body: Buffer): { body: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16);
    if (size === 0) return { body: Buffer.concat(parts), complete: body.indexOf('\r\n\r\n', lineEnd) >= 0 };
    if (!(size > 0) || lineEnd + 2 + size > body.length) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return { body: Buffer.concat(parts), complete: false };
}

function split(raw: Buffer): { status: number; head: string; body: Buffer } | undefined {
  const headEnd = raw.indexOf('\r\n\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(raw.subarray(0, 16).toString('latin1'));
  if (headEnd < 0 || !statusLine) return undefined;
  return { status: Number(statusLine[1]), head: raw.subarray(0, headEnd).toString('latin1'), body: raw.subarray(headEnd + 4) };
}

const isChunked = (head: string) => /^transfer-encoding:\s*chunked/im.test(head);

/** Status and body of a raw HTTP/1.1 response read to its end; chunked bodies are decoded. */
export function parseResponse(raw: Buffer): { status: number; body: string } | undefined {
  const parts = split(raw);
  if (!parts) return undefined;
  const body = isChunked(parts.head) ? decodeChunks(parts.body).body : parts.body;
  return { status: parts.status, body: body.toString('utf8') };
}

/**
 * The response, once it is whole: all Content-Length bytes, or a chunked body's last chunk, are in
 * (the server may keep the connection open after either); with neither, the body ends where the
 * connection closes, so only a closed connection makes it whole. A body shorter than its
 * Content-Length, or chunks without the last one, is never a response, closed or not.
 */
export function completeResponse(raw: Buffer, closed: boolean): { status: number; body: string } | undefined {
  const parts = split(raw);
  if (!parts) return undefined;
  if (isChunked(parts.head)) {
    const chunks = decodeChunks(parts.body);
    return chunks.complete ? { status: parts.status, body: chunks.body.toString('utf8') } : undefined;
  }
  const length = /^content-length:\s*(\d+)/im.exec(parts.head);
  if (length ? parts.body.length < Number(length[1]) : !closed) return undefined;
  return { status: parts.status, body: parts.body.toString('utf8') };
}

/**
 * One GET on a fresh connection, written by hand over a socket: about three quarters of the CPU
 * of Node's HTTP client per attempt (results/micro.md: 0.77×), which matters at one
 * attempt a millisecond. Exported for `basebench micro`. A TCP connect is not
 * readiness: docker-proxy accepts connections before the app listens, then drops them, so only
 * a whole HTTP response counts.
 */
export function attemptGet(port: number, path: string, timeoutMs: number, signal?: AbortSignal): Promise<Attempt> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const onAbort = () => settle({ ok: false, observation: 'abandoned' });
    const settle = (attempt: Attempt) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(attempt);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: basebench\r\nConnection: close\r\n\r\n`);
    });
    socket.setTimeout(timeoutMs, () => settle({ ok: false, observation: `no response within ${Math.round(timeoutMs)} ms` }));
    socket.on('data', (chunk: Buffer) => {
      if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
      size += chunk.length;
      // A server that keeps the connection open anyway is done once the response is whole.
      const complete = completeResponse(Buffer.concat(chunks), false);
      if (complete) settle({ ok: true, ...complete });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => settle({ ok: false, observation: error.code ?? error.message }));
    socket.on('close', () => {
      const response = completeResponse(Buffer.concat(chunks), true);
      settle(
        response
          ? { ok: true, ...response }
          : { ok: false, observation: size === 0 ? 'connection closed without a response' : 'incomplete HTTP response' },
      );
    });
  });
}

/**
 * Polls until the first correct response, the container's exit or the timeout. One piece on
 * purpose: its wake-ups (the start call's return, the app's lines, the exit) and the attempts in
 * flight share state that only reads right in one place.
 */
export async function waitForHttp(probe: ProbeRequest): Promise<ProbeOutcome> {
  const since = probe.since ?? performance.now();
  const deadline = since + probe.timeoutMs;
  let intervalMs = probe.intervalMs ?? 1;
  // The probe's CPU counts from its first attempt: while held, the harness is busy with the start call, not probing.
  let cpuBefore = process.cpuUsage();
  let attempts = 0;
  let skipped = 0;
  const seen: { exit?: ExitInfo } = {};
  void probe.exited?.then((info) => (seen.exit = info));
  const exitedSignal = probe.exited?.then(() => 'exited' as const) ?? new Promise<never>(() => {});

  // Wake-ups, each once: the start call returning, the app's listening line (which also makes the pause 1 ms).
  const wakes = new Set<Promise<'woken'>>();
  const onWake = (event: Promise<unknown> | undefined, then: () => void = () => {}) => {
    if (!event) return;
    const wake: Promise<'woken'> = event.then(
      () => {
        wakes.delete(wake);
        then();
        return 'woken' as const;
      },
      () => new Promise<never>(() => {}),
    );
    wakes.add(wake);
  };
  onWake(probe.started);
  let listening = false;
  onWake(probe.announced, () => {
    listening = true;
    intervalMs = 1;
  });
  void probe.entered?.then(() => {
    if (!listening) intervalMs = Math.max(intervalMs, ENTERED_INTERVAL_MS);
  });

  const counters = (): ProbeCounters => {
    const cpu = process.cpuUsage(cpuBefore);
    return { elapsedMs: performance.now() - since, attempts, skipped, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
  const exitedOutcome = (): ProbeOutcome => ({ kind: 'exited', exitCode: seen.exit?.exitCode ?? -1, ...counters() });

  type Sent = { attempt: Promise<Sent>; sent: number; result: Attempt };
  const abandon = new AbortController();
  // The attempt the probe waits on, and attempts a wake-up left behind (they may still answer first).
  let current: Promise<Sent> | undefined;
  const behind = new Set<Promise<Sent>>();
  const send = () => {
    if (probe.listening?.() === false) {
      skipped += 1;
      return;
    }
    attempts += 1;
    const sent = performance.now();
    const attempt: Promise<Sent> = attemptGet(probe.port, probe.path, Math.max(1, deadline - sent), abandon.signal).then((result) => ({
      attempt,
      sent,
      result,
    }));
    current = attempt;
  };

  // A wrong answer says more than a refused connection, so the last one seen is what a timeout reports.
  let lastResponse: string | undefined;
  let lastError = 'no attempt made';
  // Held until the first wake-up when the probe is set up as the start call is sent (or the deadline, should the call hang).
  let held = probe.started !== undefined;
  const pause = () =>
    sleep(held ? Math.max(0, deadline - performance.now()) : intervalMs, undefined, { signal: abandon.signal }).then(
      () => 'slept' as const,
      () => new Promise<never>(() => {}),
    );
  try {
    if (!held) send();
    while (performance.now() < deadline) {
      // With no attempt out, the pause between attempts; a wake-up or an exit cuts it short.
      const event = await Promise.race([exitedSignal, ...wakes, ...behind, current ?? pause()]);
      if (event === 'exited' || seen.exit) return exitedOutcome();
      if (event === 'woken' || event === 'slept') {
        if (held) cpuBefore = process.cpuUsage();
        held = false;
        if (event === 'woken' && current) behind.add(current);
        current = undefined;
        send();
        continue;
      }
      const { attempt, sent, result } = event;
      behind.delete(attempt);
      if (current === attempt) current = undefined;
      if (result.ok) {
        if (result.status === probe.expect.status && result.body.includes(probe.expect.bodyIncludes)) {
          const answer = { sentMs: sent - since, durationMs: performance.now() - sent };
          return { kind: 'ready', status: result.status, answer, ...counters() };
        }
        lastResponse = `HTTP ${result.status} with body ${JSON.stringify(result.body.slice(0, 200))}`;
      } else {
        lastError = result.observation;
      }
    }
    const lastObservation = lastResponse ?? lastError;
    return { kind: 'timeout', lastObservation, ...counters() };
  } finally {
    abandon.abort();
  }
}
