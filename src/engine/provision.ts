import { existsSync, mkdirSync, openSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import type { Logger } from '../common/log.js';

/**
 * Getting the real parts running on a fresh Debian/Ubuntu machine: install a Debian package
 * when its program is missing, but only as root with apt, and say so on screen.
 */
export function canProvision(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
}

let aptUpdated = false;

export async function aptInstall(packages: string[], log: Logger): Promise<void> {
  log.info(`Installing ${packages.join(', ')} with apt-get (Debian packages)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    await execa('apt-get', ['update'], { env });
    aptUpdated = true;
  }
  await execa('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env });
  log.info(`Installed ${packages.join(', ')}`);
}

export const DOCKERD_LOG = '/var/log/basebench/dockerd.log';

/** Starts dockerd in the background, as a service would run it; it outlives the harness. */
export function startDockerDaemon(log: Logger): void {
  mkdirSync('/var/log/basebench', { recursive: true });
  const output = openSync(DOCKERD_LOG, 'a');
  const daemon = spawn('dockerd', [], { detached: true, stdio: ['ignore', output, output] });
  daemon.unref();
  log.info(`Started dockerd (pid ${daemon.pid}); its log is ${DOCKERD_LOG}`);
}
