import { existsSync, mkdirSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import Docker from 'dockerode';
import type { Logger } from '../common/log.js';
import { aptInstall, canProvision } from './provision.js';
import { pollUntil } from '../common/poll.js';
import { apiAnswers, dockerEngine } from './docker-engine.js';
import type { Leftover, SharedResource, StartedService } from './clients.js';
import { bridgeExists, deleteBridge, firewallListing, removeNewCniChains } from './host-network.js';
import { removeEngineFolder } from './host-mounts.js';

/** Podman's own bridge (CNI backend); left by Podman after it stops, so removed if this run made it. */
const PODMAN_BRIDGE = 'cni-podman0';

/**
 * Every Podman service on the host shares its bridge and the CNI chains, and each run's removes, as
 * it stops, those that appeared while it ran: two at once would take the other's network away.
 */
export const PODMAN_HOST_NETWORK: SharedResource = {
  name: `Podman's host network (the ${PODMAN_BRIDGE} bridge and the CNI-* firewall chains)`,
  why: "a Podman run removes, as it stops, the bridge and firewall chains the other's containers use",
};

/**
 * `podman system service` on a socket of this run's, with storage, configuration and network
 * definitions in a folder of this run's: the user's own Podman images, containers and
 * /etc/containers are never read or touched. Configured through Podman's environment variables:
 * - runtime runc: crun refuses hybrid cgroup hierarchies such as this machine's;
 * - loopback registries over plain HTTP (prefix 127.0.0.1 matches every port);
 * - explicit ulimits are set per container by the harness, on every engine alike.
 */
export async function startPodmanService(
  stateDir: string,
  log: Logger,
  leaves: (leftover: Leftover) => void = () => {},
): Promise<StartedService> {
  if (!existsSync('/usr/bin/podman')) {
    if (!canProvision())
      throw new Error('podman is not installed; install it (Debian/Ubuntu: apt-get install podman runc) or leave it out of --engine');
    await aptInstall(['podman', 'runc'], log);
  }
  leaves({ folder: stateDir });
  mkdirSync(stateDir, { recursive: true });
  const file = (name: string, lines: string[]) => {
    writeFileSync(path.join(stateDir, name), `${lines.join('\n')}\n`);
    return path.join(stateDir, name);
  };
  const env = {
    ...process.env,
    CONTAINERS_REGISTRIES_CONF: file('registries.conf', ['[[registry]]', 'location = "127.0.0.1"', 'insecure = true']),
    CONTAINERS_STORAGE_CONF: file('storage.conf', [
      '[storage]',
      'driver = "overlay"',
      `graphroot = "${path.join(stateDir, 'storage')}"`,
      `runroot = "${path.join(stateDir, 'run')}"`,
    ]),
    CONTAINERS_CONF: file('containers.conf', [
      '[engine]',
      'runtime = "runc"',
      `tmp_dir = "${path.join(stateDir, 'tmp')}"`,
      '[network]',
      `network_config_dir = "${path.join(stateDir, 'networks')}"`,
    ]),
  };
  const socket = path.join(stateDir, 'podman.sock');
  const endpoint = `unix://${socket}`;
  const bridgeBefore = await bridgeExists(PODMAN_BRIDGE);
  // Podman's CNI plugins (firewall, portmap) add chains to the host's firewall and leave them when the last container goes.
  const firewallBefore = await firewallListing();
  leaves({ firewall: firewallBefore });
  const logFile = path.join(stateDir, 'service.log');
  const output = openSync(logFile, 'a');
  const child = spawn('podman', ['system', 'service', '--time=0', endpoint], { env, stdio: ['ignore', output, output] });
  closeSync(output);
  if (child.pid) leaves({ process: { pid: child.pid, command: 'podman' } });
  if (!bridgeBefore) leaves({ bridge: PODMAN_BRIDGE });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const docker = new Docker({ socketPath: socket });
  const up = await pollUntil(() => apiAnswers(docker), { timeoutMs: 30_000, intervalMs: 100 });
  const stop = async () => {
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    if (!bridgeBefore) await deleteBridge(PODMAN_BRIDGE);
    await removeNewCniChains(firewallBefore);
    await removeEngineFolder(stateDir);
  };
  if (!up) {
    await stop();
    throw new Error(`podman system service did not answer on ${endpoint} within 30 s`);
  }
  log.info(`Started podman system service (pid ${child.pid}) on ${endpoint}; storage and configuration in ${stateDir}`);
  return {
    engine: dockerEngine(docker),
    endpoint,
    origin: `podman system service started by this run, storage in a folder of its own, runtime runc`,
    stop,
  };
}
