/**
 * Why a running container never answered: read from its network namespace's socket tables
 * (/proc/PID/net/tcp and tcp6), the three common mistakes get a sentence instead of a bare
 * timeout: listening on the container's loopback, on another port, or on IPv6 only.
 */
import { readFile } from 'node:fs/promises';

export interface ListeningSocket {
  /** "127.0.0.1", "0.0.0.0", "::", "::1", … */
  address: string;
  port: number;
  ipv6: boolean;
}

/** A /proc/net/tcp address ("0100007F") as text: four bytes in the host's (little-endian) order. */
function ipv4(hex: string): string {
  return [6, 4, 2, 0].map((at) => Number.parseInt(hex.slice(at, at + 2), 16)).join('.');
}

/** A /proc/net/tcp6 address: four 32-bit words, each little-endian; "::" and "::1" kept short, v4-mapped as such. */
function ipv6(hex: string): string {
  const bytes = [0, 8, 16, 24].flatMap((word) => [6, 4, 2, 0].map((at) => hex.slice(word + at, word + at + 2)));
  const groups = Array.from({ length: 8 }, (_, index) => Number.parseInt(bytes[index * 2]! + bytes[index * 2 + 1]!, 16));
  if (groups.every((group) => group === 0)) return '::';
  if (groups.slice(0, 7).every((group) => group === 0) && groups[7] === 1) return '::1';
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff)
    return `::ffff:${[groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.')}`;
  return groups.map((group) => group.toString(16)).join(':');
}

/** Pure: the LISTEN sockets of a /proc/net/tcp (or tcp6) table. */
export function listeningSockets(table: string, isIpv6: boolean): ListeningSocket[] {
  return table
    .split('\n')
    .slice(1)
    .flatMap((line) => {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local) return [];
      const [address, port] = local.split(':');
      return [{ address: isIpv6 ? ipv6(address!) : ipv4(address!), port: Number.parseInt(port!, 16), ipv6: isIpv6 }];
    });
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const ANY = new Set(['0.0.0.0', '::']);

/**
 * Pure: what is wrong, given what the container listens on while the published port refuses or
 * resets; undefined when the sockets look right (the app listens on the port, on every address).
 */
export function diagnoseListening(sockets: readonly ListeningSocket[], port: number, refused = true): string | undefined {
  const shown = (socket: ListeningSocket) => (socket.ipv6 ? `[${socket.address}]:${socket.port}` : `${socket.address}:${socket.port}`);
  if (sockets.length === 0) return 'nothing listens inside the container: the app never opened a TCP port';
  const onPort = sockets.filter((socket) => socket.port === port);
  if (onPort.length === 0) {
    const ports = [...new Set(sockets.map((socket) => socket.port))].join(', ');
    return `listens on ${ports} inside the container, the scenario says ${port} (app.port)`;
  }
  if (onPort.every((socket) => LOOPBACK.has(socket.address)))
    return (
      `listens on ${onPort.map(shown).join(' and ')} inside the container, its loopback only: ` +
      'bind 0.0.0.0 (or ::) so the published port reaches it'
    );
  const ipv6Only = onPort.every((socket) => socket.ipv6 && !socket.address.startsWith('::ffff:'));
  if (refused && ipv6Only && onPort.some((socket) => ANY.has(socket.address)))
    return (
      `listens on ${onPort.map(shown).join(' and ')} only, and IPv4 connections are refused: an IPv6-only socket ` +
      '(IPV6_V6ONLY); bind 0.0.0.0 or a dual-stack socket'
    );
  if (!onPort.some((socket) => ANY.has(socket.address) || socket.address.startsWith('::ffff:0.0.0.0')))
    return `listens on ${onPort.map(shown).join(' and ')} only: bind 0.0.0.0 (or ::) so the published port reaches it`;
  return undefined;
}

/** The diagnosis for a running container whose host PID is known, or undefined when its tables can't be read. */
export async function diagnoseContainer(hostPid: number, port: number, refused: boolean): Promise<string | undefined> {
  const [tcp, tcp6] = await Promise.all([
    readFile(`/proc/${hostPid}/net/tcp`, 'utf8').catch(() => undefined),
    readFile(`/proc/${hostPid}/net/tcp6`, 'utf8').catch(() => ''),
  ]);
  if (tcp === undefined) return undefined;
  return diagnoseListening([...listeningSockets(tcp, false), ...listeningSockets(tcp6, true)], port, refused);
}
