import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of the engine's port forwarder for one published port (Docker's docker-proxy, which
 * carries every probe attempt through 127.0.0.1 to the container): part of what probing costs the
 * machine that the harness's own CPU time doesn't show. Read from /proc/<pid>/schedstat
 * (nanoseconds on CPU); the forwarder lives as long as the container, so after the first
 * response it holds the whole sample's cost. Undefined where no such process is visible (Podman
 * forwards in the kernel; a remote engine).
 */
export function forwarderCpuMs(hostPort: number, proc = '/proc'): number | undefined {
  let total: number | undefined;
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`${proc}/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!forwardsPort(cmdline, hostPort)) continue;
    try {
      const onCpuNs = Number(readFileSync(`${proc}/${entry}/schedstat`, 'utf8').split(' ')[0]);
      if (Number.isFinite(onCpuNs)) total = (total ?? 0) + onCpuNs / 1e6;
    } catch {
      // gone between the two reads: nothing to count
    }
  }
  return total;
}

/** Pure: a docker-proxy command line (NUL-separated) for this host port. */
export function forwardsPort(cmdline: string, hostPort: number): boolean {
  const args = cmdline.split('\0');
  if (!args[0]?.endsWith('docker-proxy')) return false;
  const at = args.indexOf('-host-port');
  return at >= 0 && args[at + 1] === String(hostPort);
}
