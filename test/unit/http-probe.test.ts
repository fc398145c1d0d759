import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../src/common/free-port.js';
import { completeResponse, ENTERED_INTERVAL_MS, parseResponse, waitForHttp } from '../../src/measure/http-probe.js';
import { forwardsPort } from '../../src/measure/forwarder-cpu.js';
import { listensOn } from '../../src/measure/listen-gate.js';

const expect200 = { status: 200, bodyIncludes: 'hello from basebench' };
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

function listen(server: net.Server, port: number): Promise<void> {
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
}

/** A server that answers raw bytes; its connections are cut when the test ends, kept open or not. */
function listenRaw(port: number, answer: (socket: net.Socket) => void): Promise<void> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    answer(socket);
  });
  const listening = listen(server, port);
  // After listen's own closer, so it runs first: server.close waits for open connections.
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
  });
  return listening;
}

function httpServer(respond: (count: number) => { status: number; body: string }): http.Server {
  let count = 0;
  return http.createServer((_request, response) => {
    const { status, body } = respond(++count);
    response.writeHead(status, { Connection: 'close' });
    response.end(body);
  });
}

describe('the first-response probe', () => {
  it('waits for a server that starts late and reports the moment it answered', async () => {
    const port = await freePort();
    const since = performance.now();
    let listeningAt = 0;
    setTimeout(() => {
      void listen(
        httpServer(() => ({ status: 200, body: 'hello from basebench\n' })),
        port,
      ).then(() => (listeningAt = performance.now()));
    }, 150);
    const outcome = await waitForHttp({ port, path: '/', expect: expect200, timeoutMs: 5000, since });
    expect(outcome.kind).toBe('ready');
    expect(outcome.attempts).toBeGreaterThan(1);
    expect(since + outcome.elapsedMs).toBeGreaterThanOrEqual(listeningAt);
    expect(outcome.cpuMs).toBeGreaterThan(0);
  });

  it('does not take an accepted-then-dropped connection for readiness, as docker-proxy does before the app listens', async () => {
    const port = await freePort();
    const dropper = net.createServer((socket) => socket.destroy());
    await listen(dropper, port);
    const outcome = await waitForHttp({ port, path: '/', expect: expect200, timeoutMs: 200 });
    expect(outcome.kind).toBe('timeout');
    expect(outcome.attempts).toBeGreaterThan(1);
  });

  it('keeps polling through a wrong status or body and says what it last saw', async () => {
    const port = await freePort();
    await listen(
      httpServer((count) => (count < 3 ? { status: 503, body: 'starting' } : { status: 200, body: 'hello from basebench' })),
      port,
    );
    const ready = await waitForHttp({ port, path: '/', expect: expect200, timeoutMs: 5000 });
    expect(ready).toMatchObject({ kind: 'ready', status: 200 });
    expect(ready.attempts).toBeGreaterThanOrEqual(3);
  });

  it('times out on the wrong body, reporting the last response', async () => {
    const port = await freePort();
    await listen(
      httpServer(() => ({ status: 200, body: 'goodbye' })),
      port,
    );
    const outcome = await waitForHttp({ port, path: '/', expect: expect200, timeoutMs: 100 });
    expect(outcome.kind).toBe('timeout');
    if (outcome.kind === 'timeout') expect(outcome.lastObservation).toBe('HTTP 200 with body "goodbye"');
  });

  it('takes a complete response from a server that keeps the connection open', async () => {
    const port = await freePort();
    const keepsOpen = net.createServer((socket) =>
      socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 21\r\n\r\nhello from basebench\n')),
    );
    await listen(keepsOpen, port);
    const outcome = await waitForHttp({ port, path: '/', expect: expect200, timeoutMs: 5000 });
    expect(outcome).toMatchObject({ kind: 'ready', status: 200, attempts: 1 });
  });

  it('stops at once when the container exits, with its exit code', async () => {
    const port = await freePort();
    const exited = new Promise<{ exitCode: number }>((resolve) => setTimeout(() => resolve({ exitCode: 3 }), 50));
    const outcome = await waitForHttp({ port, path: '/', expect: expect200, timeoutMs: 60_000, exited });
    expect(outcome).toMatchObject({ kind: 'exited', exitCode: 3 });
  });
});

/** An app that starts listening after `ms` and says so (its listening line) once it does. */
async function appListeningAfter(ms: number): Promise<{ port: number; announced: Promise<void> }> {
  const port = await freePort();
  const announced = new Promise<void>((resolve) => {
    setTimeout(() => {
      void listen(
        httpServer(() => ({ status: 200, body: 'hello from basebench\n' })),
        port,
      ).then(() => resolve());
    }, ms);
  });
  return { port, announced };
}

describe("the app's listening line in front of the probe", () => {
  it('polls slowly while the app starts, and at once when it says it listens', async () => {
    const { port, announced } = await appListeningAfter(300);
    // A 5 s pause between attempts and a 3 s timeout: without the line's wake-up the second attempt never goes out.
    const outcome = await waitForHttp({ port, path: '/', expect: expect200, timeoutMs: 3000, intervalMs: 5000, announced });
    expect(outcome.kind).toBe('ready');
    expect(outcome.attempts).toBeLessThanOrEqual(3);
  });
});

describe('a probe set up as the start call is sent', () => {
  /** A promise and the function that settles it. */
  function later(): { settled: Promise<void>; settle: () => void } {
    let settle: () => void = () => {};
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    return { settled, settle };
  }

  it('sends nothing until the start call returns', async () => {
    const port = await freePort();
    let connections = 0;
    await listenRaw(port, (socket) => {
      connections += 1;
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nhello from basebench');
    });
    const started = later();
    const since = performance.now();
    const probing = waitForHttp({ port, path: '/', expect: expect200, timeoutMs: 5000, intervalMs: 1, since, started: started.settled });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(connections).toBe(0);
    const returnedAt = performance.now();
    started.settle();
    const outcome = await probing;
    expect(outcome).toMatchObject({ kind: 'ready', attempts: 1 });
    if (outcome.kind === 'ready') expect(since + outcome.answer.sentMs).toBeGreaterThanOrEqual(returnedAt);
  });

  it('sends beside an attempt that is stuck when the app says it listens, and takes the first answer', async () => {
    const port = await freePort();
    let connections = 0;
    // The first connection gets no answer at all (as one docker-proxy can't pass on); later ones are answered.
    await listenRaw(port, (socket) => {
      connections += 1;
      if (connections > 1) socket.end('HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nhello from basebench');
    });
    const started = later();
    const announced = later();
    const since = performance.now();
    const probing = waitForHttp({
      port,
      path: '/',
      expect: expect200,
      timeoutMs: 10_000,
      intervalMs: 1,
      since,
      started: started.settled,
      announced: announced.settled,
    });
    started.settle();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(connections).toBe(1);
    const announcedAt = performance.now();
    announced.settle();
    const outcome = await probing;
    expect(outcome).toMatchObject({ kind: 'ready', attempts: 2 });
    if (outcome.kind === 'ready') expect(since + outcome.answer.sentMs).toBeGreaterThanOrEqual(announcedAt);
  });
});

describe("the app's entered line", () => {
  it('slows polling to ENTERED_INTERVAL_MS until the listening line wakes the probe', async () => {
    const { port, announced } = await appListeningAfter(300);
    const outcome = await waitForHttp({
      port,
      path: '/',
      expect: expect200,
      timeoutMs: 10_000,
      intervalMs: 1,
      announced,
      entered: Promise.resolve(),
    });
    expect(outcome.kind).toBe('ready');
    // 1 ms polling would have made some 150 attempts in 300 ms; at most one per 50 ms, plus the one the line sends.
    expect(outcome.attempts).toBeLessThanOrEqual(Math.ceil(300 / ENTERED_INTERVAL_MS) + 3);
  });
});

describe('reading a raw HTTP response', () => {
  it('takes the status and the body, decoding a chunked body', () => {
    expect(parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'))).toEqual({ status: 200, body: 'hello' });
    expect(
      parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n4\r\nfrom\r\n0\r\n\r\n')),
    ).toEqual({ status: 200, body: 'hello from' });
    expect(parseResponse(Buffer.from('HTTP/1.0 503 Service Unavailable\r\n\r\n'))).toEqual({ status: 503, body: '' });
  });

  it('is whole at its Content-Length, or at a chunked body’s last chunk, even on a connection left open', () => {
    const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n4\r\nfrom\r\n';
    expect(completeResponse(Buffer.from(`${chunked}0\r\n\r\n`), false)).toEqual({ status: 200, body: 'hello from' });
    expect(completeResponse(Buffer.from(`${chunked}0\r\nX-Trailer: 1\r\n\r\n`), false)).toEqual({ status: 200, body: 'hello from' });
    // Chunks without the last one: not whole, open or closed.
    expect(completeResponse(Buffer.from(chunked), false)).toBeUndefined();
    expect(completeResponse(Buffer.from(chunked), true)).toBeUndefined();
    expect(completeResponse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'), false)).toEqual({
      status: 200,
      body: 'hello',
    });
  });

  it('is not ready when the body is shorter than its Content-Length, even when the server closes', () => {
    const short = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 25\r\n\r\nhello from basebench');
    expect(completeResponse(short, false)).toBeUndefined();
    expect(completeResponse(short, true)).toBeUndefined();
    // No length and not chunked: the body ends where the connection does.
    const untilClose = Buffer.from('HTTP/1.0 200 OK\r\n\r\nhello');
    expect(completeResponse(untilClose, false)).toBeUndefined();
    expect(completeResponse(untilClose, true)).toEqual({ status: 200, body: 'hello' });
  });

  it('waits for a truncated answer no longer than the truth: a cut-off body is an incomplete response, not ready', async () => {
    const port = await freePort();
    await listenRaw(port, (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\nhello from basebench'));
    const outcome = await waitForHttp({ port, path: '/', expect: expect200, timeoutMs: 200 });
    expect(outcome.kind).toBe('timeout');
    expect(outcome.attempts).toBeGreaterThan(1);
  });

  it('takes a chunked answer on a kept-open connection at its last chunk, without waiting for the close', async () => {
    const port = await freePort();
    await listenRaw(port, (socket) =>
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n14\r\nhello from basebench\r\n0\r\n\r\n'),
    );
    const outcome = await waitForHttp({ port, path: '/', expect: expect200, timeoutMs: 5000 });
    expect(outcome).toMatchObject({ kind: 'ready', status: 200, attempts: 1 });
  });

  it('is not a response when the head is cut off', () => {
    expect(parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Le'))).toBeUndefined();
    expect(parseResponse(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('the socket watch in front of the probe', () => {
  it('sends no HTTP while the app is not listening, and one attempt once it is', async () => {
    const port = await freePort();
    let listening = false;
    setTimeout(() => {
      void listen(
        httpServer(() => ({ status: 200, body: 'hello from basebench\n' })),
        port,
      ).then(() => (listening = true));
    }, 100);
    const outcome = await waitForHttp({ port, path: '/', expect: expect200, timeoutMs: 5000, listening: () => listening });
    expect(outcome.kind).toBe('ready');
    expect(outcome.attempts).toBe(1);
    expect(outcome.skipped).toBeGreaterThan(0);
  });

  it('reads a LISTEN socket on the port from a /proc/net/tcp6 or tcp table, and nothing else', () => {
    const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
    const any = '00000000000000000000000000000000';
    const tcp6 = `${header}\n   0: ${any}:1F90 ${any}:0000 0A 00000000:00000000 00:00000000 00000000 65532 0 1 1`;
    const established = `${header}\n   0: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000 0 0 2 1`;
    expect(listensOn(tcp6, 8080)).toBe(true);
    expect(listensOn(tcp6, 8081)).toBe(false);
    expect(listensOn(established, 8080)).toBe(false);
    expect(listensOn(header, 8080)).toBe(false);
  });
});

describe("the engine's port forwarder", () => {
  it('is the docker-proxy whose command line forwards this host port, and no other', () => {
    const line = (...args: string[]) => `${args.join('\0')}\0`;
    expect(forwardsPort(line('/usr/sbin/docker-proxy', '-proto', 'tcp', '-host-ip', '127.0.0.1', '-host-port', '36939'), 36939)).toBe(true);
    expect(forwardsPort(line('/usr/sbin/docker-proxy', '-proto', 'tcp', '-host-port', '36940'), 36939)).toBe(false);
    expect(forwardsPort(line('/usr/bin/node', 'docker-proxy', '-host-port', '36939'), 36939)).toBe(false);
  });
});
