import { existsSync, statfsSync } from 'node:fs';

export type FreeSpace = (folder: string) => number | undefined;

/** Bytes free to this user in the filesystem holding `folder`; undefined if it doesn't exist. */
export const freeBytes: FreeSpace = (folder) => {
  if (!existsSync(folder)) return undefined;
  const stats = statfsSync(folder);
  return stats.bavail * stats.bsize;
};
