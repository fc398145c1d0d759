import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { idealTransferMs, parseProfile, type NetworkProfile } from '../../src/network/profiles.js';
import { startThrottleProxy, type ThrottleProxy } from '../../src/network/throttle-proxy.js';

// Random bytes, so a reordered or lost chunk shows in the digest.
const PAYLOAD = randomBytes(2 * 1024 * 1024);
const digest = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A server that sends the payload to whoever connects, then closes. */
async function source(): Promise<number> {
  const server = net.createServer((socket) => socket.end(PAYLOAD));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

/** Milliseconds from connect to the last byte, bytes received and their digest. */
function download(port: number): Promise<{ ms: number; bytes: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1');
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      const data = Buffer.concat(chunks);
      resolve({ ms: performance.now() - started, bytes: data.length, sha256: digest(data) });
    });
    socket.on('error', reject);
  });
}

async function throttled(port: number, profile: NetworkProfile): Promise<ThrottleProxy> {
  const proxy = await startThrottleProxy({ host: '127.0.0.1', port }, profile);
  cleanups.push(() => proxy.stop());
  return proxy;
}

describe('network profiles', () => {
  it('are named, or given as "RATE,RTT"; none means the direct path', () => {
    expect(parseProfile('none')).toBeNull();
    expect(parseProfile('cloud')).toEqual({ name: 'cloud', bitsPerSecond: 100_000_000, rttMs: 20 });
    expect(parseProfile('50mbit,30ms')).toEqual({ name: '50mbit,30ms', bitsPerSecond: 50_000_000, rttMs: 30 });
    expect(parseProfile('500kbit,200')).toMatchObject({ bitsPerSecond: 500_000, rttMs: 200 });
    expect(() => parseProfile('fast')).toThrow('network profile "fast": use one of none, lan, cloud, edge, slow');
  });
});

describe('the throttling proxy', () => {
  it('holds a transfer of a few MB to the link rate, counting every byte, and the direct path is not held', async () => {
    const port = await source();
    const profile = { name: 'test', bitsPerSecond: 40_000_000, rttMs: 10 };
    const proxy = await throttled(port, profile);
    const direct = await download(port);
    const shaped = await download(proxy.port);
    expect(shaped.bytes).toBe(PAYLOAD.length);
    expect(shaped.sha256).toBe(digest(PAYLOAD));
    expect(proxy.bytes().down).toBe(PAYLOAD.length);
    // Never faster than the link allows (a rate limiter's bound, not a timing threshold).
    expect(shaped.ms).toBeGreaterThanOrEqual(idealTransferMs(profile, PAYLOAD.length, 0.5) * 0.97);
    // Side by side in one run: the direct path is much faster than the shaped one.
    expect(direct.ms * 3).toBeLessThan(shaped.ms);
  });

  it('keeps every byte in order on a fast link, where chunks are due within the same millisecond', async () => {
    const port = await source();
    const proxy = await throttled(port, { name: 'lan', bitsPerSecond: 1_000_000_000, rttMs: 1 });
    const copies = await Promise.all([download(proxy.port), download(proxy.port), download(proxy.port)]);
    for (const copy of copies) expect(copy.sha256).toBe(digest(PAYLOAD));
  });

  it('shares the rate between concurrent connections, as layers downloading together do', async () => {
    const port = await source();
    const profile = { name: 'test', bitsPerSecond: 40_000_000, rttMs: 0 };
    const proxy = await throttled(port, profile);
    const started = performance.now();
    const both = await Promise.all([download(proxy.port), download(proxy.port)]);
    for (const copy of both) expect(copy.sha256).toBe(digest(PAYLOAD));
    expect(performance.now() - started).toBeGreaterThanOrEqual(idealTransferMs(profile, 2 * PAYLOAD.length, 0) * 0.97);
  });

  it('adds the round-trip time to an exchange', async () => {
    const echo = net.createServer((socket) => socket.on('data', (chunk) => socket.end(chunk)));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => echo.close(() => resolve())));
    const proxy = await throttled((echo.address() as net.AddressInfo).port, { name: 'test', bitsPerSecond: 1e9, rttMs: 80 });
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const socket = net.connect(proxy.port, '127.0.0.1', () => socket.write('ping'));
      socket.on('data', () => resolve());
    });
    // Timers may fire a fraction of a millisecond early against performance.now().
    expect(performance.now() - started).toBeGreaterThanOrEqual(78);
  });
});
