/**
 * A container's memory read from its processes, not from its cgroup's charges: on cgroup v1 a
 * page-cache page is charged to whichever cgroup read the file first (the registry, the engine's
 * extraction, an earlier container), so a container's "mapped_file" is 0 for files others read,
 * and Podman's stats give no rss at all. /proc/PID/status (RssAnon, RssFile, RssShmem) and
 * /proc/PID/smaps_rollup (Pss) describe the pages each process maps, whoever was charged.
 */
import { readdir, readFile } from 'node:fs/promises';

export interface ProcessMemory {
  /** Processes read: the container's init and its descendants. */
  processes: number;
  /** Resident pages mapped, summed over the processes (a page two of them map counts twice; pss does not). */
  rssBytes: number;
  /** Proportional share: each shared page divided among the processes that map it. */
  pssBytes: number;
  /** Private anonymous pages: heaps, stacks, and a UPX-packed binary once unpacked. */
  anonBytes: number;
  /** File-backed pages mapped: the binary, libraries, the JVM's libjvm.so. */
  fileBytes: number;
  shmemBytes: number;
}

export type ProcessMemoryReading = { memory: ProcessMemory } | { unknown: string };

const KIB = 1024;

/** "RssAnon:     1234 kB" → bytes, from a /proc text of "Name: value kB" lines. */
export function kilobyteFields(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_]+):\s+(\d+) kB$/.exec(line.trim());
    if (match) fields.set(match[1]!, Number(match[2]) * KIB);
  }
  return fields;
}

/** The process and every descendant, from /proc/PID/task/TID/children. */
async function processTree(pid: number): Promise<number[]> {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0 && found.length < 10_000) {
    const next = queue.shift()!;
    found.push(next);
    const tasks = await readdir(`/proc/${next}/task`).catch(() => [] as string[]);
    for (const task of tasks) {
      const children = await readFile(`/proc/${next}/task/${task}/children`, 'utf8').catch(() => '');
      for (const child of children.split(/\s+/).filter(Boolean)) queue.push(Number(child));
    }
  }
  return found;
}

/**
 * The container's processes' memory, or why it is unknown. `containerId` is checked against the
 * process's cgroup path, so a PID the engine gave in another PID namespace (or one reused since)
 * is never read as this container's.
 */
export async function processMemory(hostPid: number | undefined, containerId: string): Promise<ProcessMemoryReading> {
  if (hostPid === undefined || hostPid <= 0) return { unknown: "the engine gave no process id this host's /proc can see" };
  const cgroup = await readFile(`/proc/${hostPid}/cgroup`, 'utf8').catch(() => undefined);
  if (cgroup === undefined) return { unknown: `process ${hostPid} is not in this host's /proc (the engine runs in another PID namespace)` };
  if (!cgroup.includes(containerId)) return { unknown: `process ${hostPid} is not in the container's cgroup` };
  const total: ProcessMemory = { processes: 0, rssBytes: 0, pssBytes: 0, anonBytes: 0, fileBytes: 0, shmemBytes: 0 };
  for (const pid of await processTree(hostPid)) {
    const [status, rollup] = await Promise.all([
      readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined),
      readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => undefined),
    ]);
    // A process that exited between the listing and the read: nothing of it to count.
    if (status === undefined || rollup === undefined) continue;
    const own = kilobyteFields(status);
    const rolled = kilobyteFields(rollup);
    if (!own.has('RssAnon') || !rolled.has('Pss')) return { unknown: `the kernel gives no RssAnon or Pss for process ${pid}` };
    total.processes += 1;
    total.rssBytes += own.get('VmRSS') ?? 0;
    total.anonBytes += own.get('RssAnon')!;
    total.fileBytes += own.get('RssFile') ?? 0;
    total.shmemBytes += own.get('RssShmem') ?? 0;
    total.pssBytes += rolled.get('Pss')!;
  }
  if (total.processes === 0) return { unknown: `process ${hostPid} exited before its memory was read` };
  return { memory: total };
}
