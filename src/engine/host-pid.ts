/** Putting a PID an engine in a container reports back into the host's PID namespace, where /proc can read it. */
import { readdir, readFile } from 'node:fs/promises';

/**
 * The host PID of a process an engine in a container reports in its own PID namespace: the
 * process whose NSpid line has that PID second (host first, the engine's namespace next) and
 * whose ancestors include the engine container's init.
 */
export async function hostPidThrough(engineInitPid: number, innerPid: number): Promise<number | undefined> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const status = await readFile(`/proc/${entry}/status`, 'utf8').catch(() => '');
    const nspid = /^NSpid:\s+(.+)$/m.exec(status)?.[1]?.split(/\s+/).map(Number);
    if (!nspid || nspid.length < 2 || nspid[1] !== innerPid) continue;
    if (await descendsFrom(Number(entry), engineInitPid)) return Number(entry);
  }
  return undefined;
}

async function descendsFrom(pid: number, ancestor: number): Promise<boolean> {
  let current = pid;
  for (let depth = 0; depth < 64 && current > 1; depth += 1) {
    if (current === ancestor) return true;
    const status = await readFile(`/proc/${current}/status`, 'utf8').catch(() => '');
    current = Number(/^PPid:\s+(\d+)$/m.exec(status)?.[1] ?? 0);
  }
  return current === ancestor;
}
