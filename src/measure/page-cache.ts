import { accessSync, constants, writeFileSync } from 'node:fs';
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
export async function dropPageCache(): Promise<void> {
  await execa('sync');
  writeFileSync(DROP_CACHES, '3\n');
}
