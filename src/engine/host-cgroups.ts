import { existsSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import path from 'node:path';

/** Kills what is left in a cgroup of every controller and removes its folders, deepest first. */
export function removeCgroup(name: string, root = '/sys/fs/cgroup'): void {
  const folders: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) walk(path.join(dir, entry.name));
    folders.push(dir);
  };
  const controllers = existsSync(path.join(root, 'cgroup.controllers'))
    ? [root]
    : readdirSync(root).map((controller) => path.join(root, controller));
  for (const controller of controllers) walk(path.join(controller, name));
  for (const folder of folders) {
    for (const pid of readFileSync(path.join(folder, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
  for (const folder of folders) {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      try {
        rmdirSync(folder);
        break;
      } catch {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      }
    }
  }
}
