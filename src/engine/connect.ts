import Docker from 'dockerode';
import type { Engine } from './clients.js';
import { apiAnswers, dockerEngine } from './docker-engine.js';
import { aptInstall, canProvision, DOCKERD_LOG, startDockerDaemon } from './provision.js';
import { existsSync } from 'node:fs';
import type { Logger } from '../common/log.js';
import { pollUntil } from '../common/poll.js';
import { endpointOptions } from './targets.js';

/**
 * Connects to the engine on DOCKER_HOST or the default socket. If none answers and this is
 * Linux as root with apt, installs Debian's docker.io and starts dockerd; otherwise explains.
 */
export async function connectEngine(log: Logger): Promise<Engine> {
  return dockerEngine(await connectDocker(log));
}

/** The engine at an endpoint (unix:///PATH or tcp://HOST:PORT), as it is: nothing is started. */
export function engineAt(endpoint: string): Engine {
  return dockerEngine(new Docker(endpointOptions(endpoint)));
}

/** The same, as the Docker API client itself (for what the engine interfaces don't cover: running another engine). */
export async function connectDocker(log: Logger): Promise<Docker> {
  const docker = new Docker();
  if (await apiAnswers(docker)) return docker;
  const where = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  if (process.env.DOCKER_HOST || !canProvision()) {
    throw new Error(
      `No Docker Engine answers at ${where}. Start Docker (e.g. "sudo systemctl start docker", or Docker Desktop), ` +
        'or run as root on Debian/Ubuntu so basebench can install and start it.',
    );
  }
  log.info(`No Docker Engine answers at ${where}; starting one.`);
  if (!existsSync('/usr/sbin/dockerd') && !existsSync('/usr/bin/dockerd')) await aptInstall(['docker.io'], log);
  startDockerDaemon(log);
  const up = await pollUntil(() => apiAnswers(docker), { timeoutMs: 60_000, intervalMs: 250 });
  if (!up) throw new Error(`dockerd did not answer within 60 s; see ${DOCKERD_LOG}`);
  return docker;
}
