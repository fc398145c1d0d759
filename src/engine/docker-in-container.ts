import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import type { Logger } from '../common/log.js';
import { pollUntil } from '../common/poll.js';
import { apiAnswers, dockerEngine } from './docker-engine.js';
import type { ImageClient, Leftover, StartedService } from './clients.js';
import { createBridge, deleteBridge } from './host-network.js';
import { removeEngineFolder } from './host-mounts.js';
import { demultiplexLogs } from './log-frames.js';
import { hostPidThrough } from './host-pid.js';

const CONTEXT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'docker-current');
const INNER_CONTAINERD = '/run/docker/containerd/containerd.sock';

export interface DockerInContainerOptions {
  /** The engine's name in this run, e.g. docker-current-containerd. */
  name: string;
  runId: string;
  containerdStore: boolean;
  /** The host engine, which runs the engine container (and builds its image once). */
  host: Docker;
  hostImages: ImageClient;
  /** Debian trixie: the image the engine image is built on. */
  baseRef: () => Promise<string>;
  stateDir: string;
  log: Logger;
  leaves?: (leftover: Leftover) => void;
}

/** The engine image, built on the host engine once per Dockerfile and base. */
async function engineImage(options: DockerInContainerOptions): Promise<string> {
  const baseRef = await options.baseRef();
  const hash = createHash('sha256')
    .update(readFileSync(path.join(CONTEXT_DIR, 'Dockerfile')))
    .update(baseRef)
    .digest('hex')
    .slice(0, 12);
  const tag = `basebench-engine/docker-current:${hash}`;
  if (await options.hostImages.inspect(tag)) return tag;
  options.log.info(`Building the docker-current engine image on the host engine (Debian trixie's docker.io, from ${baseRef})…`);
  const lines: string[] = [];
  try {
    await options.hostImages.build({
      contextDir: CONTEXT_DIR,
      dockerfile: 'Dockerfile',
      tag,
      buildArgs: { BASE_IMAGE: baseRef },
      onOutput: (line) => lines.push(line),
    });
  } catch (error) {
    throw new Error(`building the docker-current engine image failed: ${(error as Error).message}\n${lines.slice(-15).join('\n')}`);
  }
  return tag;
}

/**
 * A current Docker Engine in a container on the host engine. The design keeps it from touching
 * the host engine's network, the hazard seen when an inner engine managed docker0:
 * - it shares the host's network namespace (so it pulls from the registry on 127.0.0.1 and
 *   publishes ports on 127.0.0.1, as the host engine does), but on a bridge of its own that this
 *   run creates and deletes (`bridge` in daemon.json), with iptables off: published ports go
 *   through docker-proxy, and nothing is written to the host's firewall;
 * - its containers' cgroups sit under a parent of its own; its data is in a folder of this run's;
 * - `--privileged` fails without CAP_SYS_RESOURCE, so it gets every capability but that one,
 *   unconfined seccomp and AppArmor, and the host's cgroup tree.
 */
export async function startDockerInContainer(options: DockerInContainerOptions): Promise<StartedService> {
  const image = await engineImage(options);
  const suffix = createHash('sha256').update(`${options.runId}/${options.name}`).digest('hex').slice(0, 8);
  const bridge = `bb-${suffix}`;
  const dataDir = path.join(options.stateDir, 'data');
  const socketDir = path.join(options.stateDir, 'socket');
  options.leaves?.({ folder: options.stateDir });
  options.leaves?.({ bridge });
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(socketDir, { recursive: true });
  const daemonJson = path.join(options.stateDir, 'daemon.json');
  writeFileSync(
    daemonJson,
    JSON.stringify({
      hosts: ['unix:///run/basebench/docker.sock'],
      bridge,
      iptables: false,
      ip6tables: false,
      'cgroup-parent': `basebench-${suffix}`,
      features: { 'containerd-snapshotter': options.containerdStore },
    }),
  );
  const subnet = await createBridge(bridge);
  let container: Docker.Container | undefined;
  const stop = async () => {
    if (container) {
      await container.stop({ t: 30 }).catch(() => {});
      await container.remove({ force: true }).catch(() => {});
    }
    await deleteBridge(bridge);
    await removeEngineFolder(options.stateDir);
  };
  try {
    container = await options.host.createContainer({
      Image: image,
      Cmd: ['dockerd', '--config-file', '/etc/basebench/daemon.json'],
      // /proc/sys is read-only in an unprivileged container, so dockerd can't turn IPv6 off on its
      // containers' eth0 (Docker ≥ 26 tries); this lets it go on, as Docker 20.10 does anyway.
      Env: ['DOCKER_ALLOW_IPV6_ON_IPV4_INTERFACE=1'],
      Labels: { 'basebench.engine-of': options.runId, 'basebench.engine': options.name },
      HostConfig: {
        NetworkMode: 'host',
        CapAdd: ['ALL'],
        CapDrop: ['SYS_RESOURCE'],
        SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
        Binds: [
          '/sys/fs/cgroup:/sys/fs/cgroup',
          `${dataDir}:/var/lib/docker`,
          `${socketDir}:/run/basebench`,
          `${daemonJson}:/etc/basebench/daemon.json:ro`,
        ],
      },
    });
    await container.start();
    const docker = new Docker({ socketPath: path.join(socketDir, 'docker.sock') });
    const up = await pollUntil(() => apiAnswers(docker), { timeoutMs: 60_000, intervalMs: 250 });
    if (!up) {
      const logs = demultiplexLogs((await container.logs({ stdout: true, stderr: true, tail: 20, follow: false })) as Buffer);
      throw new Error(`${options.name}: dockerd in its container did not answer within 60 s:\n${logs}`);
    }
    const engineContainer = container;
    let engineInitPid: number | undefined;
    options.log.info(
      `Started ${options.name}: dockerd in container ${container.id.slice(0, 12)} (${image}), bridge ${bridge} ${subnet}, data in ` +
        `${dataDir}`,
    );
    return {
      engine: dockerEngine(docker),
      endpoint: `unix://${path.join(socketDir, 'docker.sock')}`,
      origin:
        `Debian trixie's docker.io in a container started by this run (${options.containerdStore ? 'containerd' : 'classic'} ` +
        `image store, host network namespace, bridge ${bridge} of its own, iptables off)`,
      stop,
      hostPid: async (pid) => {
        engineInitPid ??= (await engineContainer.inspect()).State.Pid;
        return hostPidThrough(engineInitPid, pid);
      },
      storedBlobs: async (digests) => {
        if (!options.containerdStore) return [];
        const listed = await execIn(engineContainer, ['ctr', '-a', INNER_CONTAINERD, '-n', 'moby', 'content', 'ls', '-q']);
        const present = new Set(listed.split('\n').map((line) => line.trim()));
        return digests.filter((digest) => present.has(digest));
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function execIn(container: Docker.Container, command: string[]): Promise<string> {
  const exec = await container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const inspected = await exec.inspect();
  const output = demultiplexLogs(Buffer.concat(chunks));
  if (inspected.ExitCode !== 0) throw new Error(`${command.join(' ')} exited with ${inspected.ExitCode}: ${output.trim()}`);
  return output;
}
