import { readdirSync, readFileSync, rmSync } from 'node:fs';
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

/** Processes whose command line names a folder (an engine's shims and relays name its socket or state there). */
function processesNaming(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * Removes a folder an engine of this run kept its storage in: stops what still runs from it (a dead
 * run's shims and relays), unmounts what the engine left mounted there, then deletes it.
 */
export async function removeEngineFolder(dir: string): Promise<void> {
  for (const pid of processesNaming(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  for (const point of mountsUnder(dir)) await execa('umount', ['-l', point], { reject: false });
  rmSync(dir, { recursive: true, force: true });
}
