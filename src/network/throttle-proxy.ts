import net from 'node:net';
import type { NetworkProfile } from './profiles.js';

/**
 * A TCP proxy on 127.0.0.1 that makes the path to the registry behave like a slower link.
 *
 * Why a proxy and not tc/netem: the engine only pulls over plain HTTP from loopback registries
 * without a daemon config change, and tc on loopback would shape every local connection,
 * including the engine's own API. A proxy on 127.0.0.1 shapes exactly the registry traffic,
 * needs no root, counts the bytes it carries, and works wherever the harness runs.
 *
 * Each direction is one link: a shared token bucket (every connection of a pull competes for
 * the same rate, as concurrent layer downloads do on a real link) followed by a one-way delay
 * of half the RTT. Chunks keep their order; a connection is paused while too much of its data
 * waits, so a fast registry is held back instead of buffered whole.
 */
export interface ThrottleProxy {
  port: number;
  /** Bytes carried so far, registry → engine and engine → registry. */
  bytes(): { down: number; up: number };
  stop(): Promise<void>;
}

const HIGH_WATER_BYTES = 512 * 1024;

class Link {
  private freeAt = 0;
  carried = 0;

  constructor(private readonly profile: NetworkProfile) {}

  /** When a chunk that arrives now would come out of the far end. */
  schedule(bytes: number): number {
    const now = performance.now();
    const start = Math.max(now, this.freeAt);
    this.freeAt = start + (bytes * 8 * 1000) / this.profile.bitsPerSecond;
    this.carried += bytes;
    return this.freeAt + this.profile.rttMs / 2;
  }
}

/**
 * Carries one direction of one connection through a link. Chunks wait in a FIFO and one timer
 * releases the head when its time comes: separate timers per chunk could fire out of order.
 */
function shapedPipe(from: net.Socket, to: net.Socket, link: Link): void {
  const queue: Array<{ chunk: Buffer; deliverAt: number }> = [];
  let waiting = 0;
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  const pump = () => {
    timer = undefined;
    while (queue.length > 0 && queue[0]!.deliverAt <= performance.now()) {
      const { chunk } = queue.shift()!;
      waiting -= chunk.length;
      if (!to.destroyed) to.write(chunk);
    }
    if (waiting <= HIGH_WATER_BYTES && from.isPaused()) from.resume();
    if (queue.length > 0) timer = setTimeout(pump, Math.max(0, queue[0]!.deliverAt - performance.now()));
    else if (ended) to.end();
  };
  from.on('data', (chunk: Buffer) => {
    queue.push({ chunk, deliverAt: link.schedule(chunk.length) });
    waiting += chunk.length;
    if (waiting > HIGH_WATER_BYTES) from.pause();
    if (!timer) timer = setTimeout(pump, Math.max(0, queue[0]!.deliverAt - performance.now()));
  });
  from.on('end', () => {
    ended = true;
    if (!timer && queue.length === 0) to.end();
  });
  from.on('close', () => {
    if (timer && to.destroyed) clearTimeout(timer);
  });
}

export function startThrottleProxy(target: { host: string; port: number }, profile: NetworkProfile): Promise<ThrottleProxy> {
  const down = new Link(profile);
  const up = new Link(profile);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    shapedPipe(client, upstream, up);
    shapedPipe(upstream, client, down);
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      resolve({
        port: address.port,
        bytes: () => ({ down: down.carried, up: up.carried }),
        stop: () =>
          new Promise((closed) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => closed());
          }),
      });
    });
  });
}
