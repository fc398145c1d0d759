import { readFileSync, rmSync } from 'node:fs';
import { execa } from 'execa';

/** Mount points at or under `dir`, deepest first (as /proc/self/mountinfo lists them, octal escapes decoded). */
export function mountsUnder(dir: string, mountInfo = readFileSync('/proc/self/mountinfo', 'utf8')): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return mountInfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => point !== undefined)
    .map((point) => point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .filter((point) => point === dir || point.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

/** Removes a folder an engine of this run kept its storage in, unmounting what the engine left mounted there. */
export async function removeEngineFolder(dir: string): Promise<void> {
  for (const point of mountsUnder(dir)) await execa('umount', ['-l', point], { reject: false });
  rmSync(dir, { recursive: true, force: true });
}
