import { readFileSync } from 'node:fs';

/**
 * Whether a container's app listens yet, read from its network namespace's socket tables
 * (/proc/<pid>/net/tcp and tcp6 of its init process): a file read, no traffic through the
 * engine's port forwarding. The probe sends HTTP only once the port listens, so a slow starter
 * (an interpreter, the JVM) is not hit with an HTTP attempt every millisecond while it starts.
 */

const LISTEN = '0A';

/** Pure: a LISTEN socket on the port in a /proc/net/tcp or tcp6 table. */
export function listensOn(table: string, port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return table
    .split('\n')
    .slice(1)
    .some((line) => {
      const [, local, , state] = line.trim().split(/\s+/);
      return state === LISTEN && local?.endsWith(`:${hexPort}`) === true;
    });
}

/**
 * A check that reads the container's socket tables, or undefined where they can't be read as
 * this container's: the pid is in another PID namespace (an engine in a container) or belongs
 * to some other process (its cgroup doesn't name the container). Once a read fails (the
 * container exited), the check says "listening", so the probe falls back to HTTP and sees why.
 */
export function socketWatch(pid: number, containerId: string, port: number): (() => boolean) | undefined {
  try {
    if (!readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(containerId)) return undefined;
  } catch {
    return undefined;
  }
  let failed = false;
  return () => {
    if (failed) return true;
    try {
      return (
        listensOn(readFileSync(`/proc/${pid}/net/tcp6`, 'utf8'), port) || listensOn(readFileSync(`/proc/${pid}/net/tcp`, 'utf8'), port)
      );
    } catch {
      failed = true;
      return true;
    }
  };
}
