/**
 * A folder a command will write, checked before anything starts. Node's recursive mkdir never
 * returns under /proc (it spins on the main thread, so even SIGTERM is not handled): nothing here
 * creates more than one level at a time, and the check needs only stat, statfs and access.
 */
import { accessSync, constants, mkdirSync, statfsSync, statSync } from 'node:fs';
import path from 'node:path';

/** Kernel file systems (statfs f_type), where reports cannot live. */
const KERNEL_FILE_SYSTEMS: Record<number, string> = {
  40864: 'proc',
  1650812274: 'sysfs',
  7377: 'devpts',
  2613483: 'cgroup',
  1667723888: 'cgroup2',
  1684170528: 'debugfs',
  1953653091: 'tracefs',
  1935894131: 'securityfs',
  3405662737: 'bpf',
  1650812272: 'configfs',
  1853056627: 'nsfs',
};

/** Less than this free and a run's reports, logs and results.json would not fit. */
const MIN_FREE_BYTES = 64 * 2 ** 20;

/** The folder itself if it exists, else its nearest existing ancestor, and the parts still to make. */
function existingAncestor(folder: string): { existing: string; missing: string[] } {
  const missing: string[] = [];
  let current = path.resolve(folder);
  for (;;) {
    try {
      statSync(current);
      return { existing: current, missing };
    } catch {
      missing.unshift(path.basename(current));
      const parent = path.dirname(current);
      if (parent === current) return { existing: current, missing };
      current = parent;
    }
  }
}

/** Why the folder can't take a run's output, or undefined when it can (or can be made under a folder that can). */
export function outputFolderProblem(folder: string, minFreeBytes = MIN_FREE_BYTES): string | undefined {
  const { existing, missing } = existingAncestor(folder);
  const where = missing.length > 0 ? `${existing} (where ${path.resolve(folder)} would be made)` : existing;
  if (!statSync(existing).isDirectory()) return `${existing} is a file, not a folder`;
  const system = statfsSync(existing);
  const kernel = KERNEL_FILE_SYSTEMS[system.type];
  if (kernel) return `${where} is on ${kernel}, a kernel file system, not a regular one`;
  try {
    accessSync(existing, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EROFS' ? `${where} is on a read-only mount` : `${where} is not writable (${code})`;
  }
  const free = system.bavail * system.bsize;
  if (free < minFreeBytes) return `${where} has ${(free / 1e6).toFixed(1)} MB free; a run needs at least ${minFreeBytes / 2 ** 20} MiB`;
  return undefined;
}

/** Makes the folder one level at a time (never the recursive mkdir, see above). */
export function makeFolder(folder: string): void {
  const { existing, missing } = existingAncestor(folder);
  let current = existing;
  for (const part of missing) {
    current = path.join(current, part);
    try {
      mkdirSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
