import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { diagnoseContainer, diagnoseListening, listeningSockets } from '../../src/measure/listen-diagnosis.js';

/** A real listening socket in this process's network namespace: the kernel's own tables are what is parsed. */
async function listen(options: { host: string; port?: number; ipv6Only?: boolean }): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port ?? 0, ipv6Only: options.ipv6Only ?? false }, resolve);
  });
  return { server, port: (server.address() as { port: number }).port };
}

const close = (server: Server) => new Promise((resolve) => server.close(resolve));

describe('why a running container never answered, from its socket tables', () => {
  it('reads /proc/net/tcp and tcp6 addresses as the kernel writes them', () => {
    const tcp = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1',
      '   1: 00000000:2382 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1',
      '   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 3 1',
    ].join('\n');
    expect(listeningSockets(tcp, false)).toEqual([
      { address: '127.0.0.1', port: 8080, ipv6: false },
      { address: '0.0.0.0', port: 9090, ipv6: false },
    ]);
    const tcp6 = [
      '  sl  local_address                         remote_address                        st',
      '   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000',
      '   1: 00000000000000000000000000000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000',
    ].join('\n');
    expect(listeningSockets(tcp6, true)).toEqual([
      { address: '::1', port: 8080, ipv6: true },
      { address: '::', port: 8081, ipv6: true },
    ]);
  });

  it('names each mistake, and nothing when the app listens on every address on its port', () => {
    const at = (address: string, port: number, ipv6 = false) => ({ address, port, ipv6 });
    expect(diagnoseListening([at('127.0.0.1', 8080)], 8080)).toMatch(
      /^listens on 127\.0\.0\.1:8080 inside the container, its loopback only: bind 0\.0\.0\.0/,
    );
    expect(diagnoseListening([at('0.0.0.0', 9090)], 8080)).toBe('listens on 9090 inside the container, the scenario says 8080 (app.port)');
    expect(diagnoseListening([at('::', 8080, true)], 8080)).toMatch(
      /^listens on \[::\]:8080 only, and IPv4 connections are refused: an IPv6-only socket/,
    );
    // A dual-stack socket that did not refuse (the app took the connection and said nothing) is not an IPv6 mistake.
    expect(diagnoseListening([at('::', 8080, true)], 8080, false)).toBeUndefined();
    expect(diagnoseListening([], 8080)).toBe('nothing listens inside the container: the app never opened a TCP port');
    expect(diagnoseListening([at('0.0.0.0', 8080)], 8080)).toBeUndefined();
  });

  it('reads a live namespace: loopback only, another port, IPv6 only, each on a real socket', async () => {
    const loopback = await listen({ host: '127.0.0.1' });
    expect(await diagnoseContainer(process.pid, loopback.port, true)).toMatch(
      new RegExp(`^listens on 127\\.0\\.0\\.1:${loopback.port} inside`),
    );
    await close(loopback.server);

    const v6 = await listen({ host: '::', ipv6Only: true });
    expect(await diagnoseContainer(process.pid, v6.port, true)).toMatch(new RegExp(`^listens on \\[::\\]:${v6.port} only, and IPv4`));
    const other = await listen({ host: '0.0.0.0' });
    // Port 1: nothing here listens on it.
    expect(await diagnoseContainer(process.pid, 1, true)).toMatch(new RegExp(`listens on .*\\b${other.port}\\b.* the scenario says 1 `));
    expect(await diagnoseContainer(process.pid, other.port, true)).toBeUndefined();
    await Promise.all([close(v6.server), close(other.server)]);
  });
});
