import { accessSync, constants, readFileSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';

const DROP_CACHES = '/proc/sys/vm/drop_caches';

/** Dropping the kernel's page cache needs Linux and root; say why not when it can't be done. */
export function whyCannotDropCaches(): string | undefined {
  if (process.platform !== 'linux') return '--drop-caches needs Linux';
  if (process.getuid?.() !== 0) return '--drop-caches needs root';
  try {
    accessSync(DROP_CACHES, constants.W_OK);
    return undefined;
  } catch {
    return `--drop-caches: ${DROP_CACHES} is not writable here (a container without privileges?)`;
  }
}

/** Writes dirty pages back, then drops the page cache, dentries and inodes, so file reads start cold. */
async function dropPageCache(): Promise<void> {
  await execa('sync');
  writeFileSync(DROP_CACHES, '3\n');
}

/** Dirty and under-writeback page bytes, from /proc/meminfo; undefined where it can't be read. */
export function dirtyBytes(meminfo = '/proc/meminfo'): number | undefined {
  try {
    const text = readFileSync(meminfo, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
    const total = kb('Dirty') + kb('Writeback');
    return Number.isNaN(total) ? undefined : total * 1024;
  } catch {
    return undefined;
  }
}

const SETTLED_BYTES = 1 << 20;

/**
 * Between a cold sample's purge and its pull: write dirty pages back (and, when asked, drop the
 * page cache), then wait, bounded, until dirty and writeback pages are under 1 MiB, so one
 * sample's deletions are not flushed during the next one's timing. Returns the dirty bytes left
 * at the sample's start, recorded with it.
 */
export async function quietDisk(options: { dropCaches: boolean; timeoutMs?: number }): Promise<number | undefined> {
  if (options.dropCaches) await dropPageCache();
  else await execa('sync');
  const deadline = performance.now() + (options.timeoutMs ?? 2000);
  let dirty = dirtyBytes();
  while (dirty !== undefined && dirty > SETTLED_BYTES && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    dirty = dirtyBytes();
  }
  return dirty;
}
