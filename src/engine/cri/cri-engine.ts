/**
 * The engine interfaces over a CRI runtime, driven as a kubelet drives it: PullImage, then per
 * container a pod (RunPodSandbox: the pause container and CNI), CreateContainer, StartContainer.
 * The CRI builds nothing: images come from the run's registry, built by another engine.
 */
import { randomUUID, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { pollUntil } from '../../common/poll.js';
import type {
  ContainerClient,
  CriImageSettings,
  ContainerSpec,
  Engine,
  EngineFacts,
  ExitWatch,
  ImageClient,
  ImageDetails,
  LocalImage,
  RunningContainer,
} from '../clients.js';
import type { ContainerdNode } from './containerd-node.js';
import type { CriImage } from './cri-client.js';
import { criLogTail, followCriLog } from './cri-log.js';

/** The pod namespace every sandbox of basebench's is created in (a Kubernetes namespace name, not a kernel one). */
const POD_NAMESPACE = 'basebench';

const cannot = (what: string) => async (): Promise<never> => {
  throw new Error(`the cri engine does not ${what}: the run's first Docker-API engine builds and pushes`);
};

/** The OCI image config the CRI's verbose ImageStatus carries (containerd: info.info → imageSpec). */
interface ImageSpecInfo {
  imageSpec?: { os?: string; architecture?: string; variant?: string; rootfs?: { diff_ids?: string[] } };
}

function imageSpecOf(info: Record<string, string>): ImageSpecInfo['imageSpec'] {
  try {
    return (JSON.parse(info.info ?? '{}') as ImageSpecInfo).imageSpec;
  } catch {
    return undefined;
  }
}

/** The 127.0.0.1 port a reference's registry listens on, if it is on this machine. */
export function loopbackPort(ref: string): number | undefined {
  const match = /^(?:127\.0\.0\.1|localhost):(\d+)\//.exec(ref);
  return match ? Number(match[1]) : undefined;
}

/** Layer chain IDs (OCI image spec): the names containerd gives the committed snapshots of an image's layers. */
export function chainIds(diffIds: readonly string[]): string[] {
  const chain: string[] = [];
  for (const diffId of diffIds) {
    const previous = chain.at(-1);
    chain.push(previous ? `sha256:${createHash('sha256').update(`${previous} ${diffId}`).digest('hex')}` : diffId);
  }
  return chain;
}

/** Nanoseconds since the epoch (a decimal string) as RFC 3339 with nanoseconds, as the Docker API gives StartedAt. */
export function nanosToRfc3339(nanos: string): string | undefined {
  if (!/^\d+$/.test(nanos) || nanos === '0') return undefined;
  const padded = nanos.padStart(10, '0');
  const seconds = Number(padded.slice(0, -9));
  const fraction = padded.slice(-9);
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

function criImages(node: ContainerdNode): ImageClient {
  const { cri } = node;
  const details = async (ref: string): Promise<ImageDetails | undefined> => {
    const status = await cri.imageStatus(ref);
    if (!status) return undefined;
    const spec = imageSpecOf(status.info);
    return {
      id: status.image.id,
      tags: status.image.repoTags,
      diffIds: spec?.rootfs?.diff_ids ?? [],
      sizeBytes: Number(status.image.size),
      repoDigests: status.image.repoDigests,
      platform: [spec?.os, spec?.architecture, spec?.variant].filter(Boolean).join('/'),
    };
  };
  return {
    pull: async (ref) => {
      // The first pull from a registry (or proxy) on this machine opens the node's way to it.
      const port = loopbackPort(ref);
      if (port !== undefined) await node.reach(port);
      await cri.pullImage(ref);
    },
    inspect: details,
    list: async () => {
      const listed: CriImage[] = await cri.listImages();
      const local: LocalImage[] = [];
      for (const image of listed) {
        const found = await details(image.id);
        if (found) local.push({ id: found.id, tags: found.tags, diffIds: found.diffIds });
      }
      return local;
    },
    // Images the CRI holds are pulled, never built: none carries a run's label.
    listLabelled: async () => [],
    remove: async (idOrRef) => {
      await cri.removeImage(idOrRef);
    },
    layers: cannot('list image history'),
    build: cannot('build images'),
    push: cannot('push images'),
    tag: cannot('tag images'),
    importRootfs: cannot('import images'),
    save: cannot('save images'),
    load: cannot('load images'),
    remoteDigest: cannot('resolve remote digests'),
    statPath: cannot('read files in images'),
    readTree: cannot('read files in images'),
  };
}

/** Spawns a socat relay and waits until `ready` says it listens; killed with the pod. */
async function relay(command: string, args: readonly string[], ready: () => Promise<boolean>, relays: ChildProcess[]): Promise<void> {
  const child = spawn(command, args, { stdio: 'ignore' });
  relays.push(child);
  if (!(await pollUntil(ready, { timeoutMs: 5000, intervalMs: 5 }))) throw new Error(`${args.join(' ')} did not listen`);
}

/** Whether something on this host listens on 127.0.0.1's TCP port (`ss`, no connection made). */
const tcpListening = async (port: number) => (await execa('ss', ['-Hltn', `sport = :${port}`], { reject: false })).stdout.trim() !== '';

/**
 * The probe's way in, set up between the sandbox and the container (outside both timed phases):
 * 127.0.0.1:hostPort here → socat → a unix socket in the node's folder → socat in the pod's own
 * network namespace (joined through the pause process) → the pod's 127.0.0.1:containerPort.
 */
async function probeWayIn(
  node: ContainerdNode,
  sandboxId: string,
  uid: string,
  spec: ContainerSpec,
  relays: ChildProcess[],
): Promise<void> {
  const pausePid = Number((JSON.parse((await node.cri.podSandboxStatus(sandboxId)).info.info ?? '{}') as { pid?: number }).pid);
  if (!pausePid) throw new Error("the runtime did not say the sandbox's pid");
  const probeSocket = path.join(node.dir, 'probe', `${uid.slice(0, 12)}.sock`);
  const socketExists = async () => {
    try {
      readFileSync(probeSocket);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code !== 'ENOENT';
    }
  };
  await relay(
    'nsenter',
    [
      `--net=/proc/${pausePid}/ns/net`,
      '--',
      'socat',
      `UNIX-LISTEN:${probeSocket},fork,unlink-early`,
      `TCP:127.0.0.1:${spec.containerPort}`,
    ],
    socketExists,
    relays,
  );
  await relay(
    'socat',
    [`TCP-LISTEN:${spec.hostPort},bind=127.0.0.1,fork,reuseaddr`, `UNIX-CONNECT:${probeSocket}`],
    () => tcpListening(spec.hostPort),
    relays,
  );
}

function criContainers(node: ContainerdNode): ContainerClient {
  const { cri } = node;
  const create = async (spec: ContainerSpec): Promise<RunningContainer> => {
    const uid = randomUUID();
    const name = `bb-${uid.slice(0, 8)}`;
    const logDirectory = path.join(node.dir, 'pods', uid);
    const sandboxConfig = {
      metadata: { name, uid, namespace: POD_NAMESPACE, attempt: 0 },
      hostname: name,
      logDirectory,
      labels: spec.labels,
      linux: {
        cgroupParent: `/${node.cgroupParent}`,
        securityContext: { namespaceOptions: { network: 'POD' as const, pid: 'CONTAINER' as const } },
      },
    };
    const sandboxStarted = performance.now();
    const sandboxId = await cri.runPodSandbox(sandboxConfig);
    const sandboxMs = performance.now() - sandboxStarted;
    const relays: ChildProcess[] = [];
    let stopWatching = () => {};
    const remove = async () => {
      stopWatching();
      for (const child of relays) child.kill('SIGKILL');
      await cri.stopPodSandbox(sandboxId).catch(() => {});
      await cri.removePodSandbox(sandboxId);
    };
    try {
      await probeWayIn(node, sandboxId, uid, spec, relays);
      const createStarted = performance.now();
      const containerId = await cri.createContainer(
        sandboxId,
        { metadata: { name: 'app', attempt: 0 }, image: { image: spec.image }, labels: spec.labels, logPath: 'app.log' },
        sandboxConfig,
      );
      const createMs = performance.now() - createStarted;
      const logFile = path.join(logDirectory, 'app.log');
      const verbose = async () => JSON.parse((await cri.containerStatus(containerId, true)).info.info ?? '{}') as { pid?: number };
      return {
        id: containerId,
        phases: { sandboxMs, createMs },
        watchExit: async (): Promise<ExitWatch> => {
          let timer: NodeJS.Timeout | undefined;
          const exited = new Promise<{ exitCode: number }>((resolve) => {
            const check = async () => {
              const status = await cri.containerStatus(containerId).catch(() => undefined);
              if (status?.status.state === 'CONTAINER_EXITED') resolve({ exitCode: status.status.exitCode });
              else timer = setTimeout(check, 100);
            };
            timer = setTimeout(check, 100);
          });
          stopWatching = () => clearTimeout(timer);
          return { exited };
        },
        followOutput: async (onLine) => followCriLog(logFile, onLine),
        start: () => cri.startContainer(containerId),
        logTail: async (lines) => criLogTail(logFile, lines),
        pid: async () => (await verbose()).pid || undefined,
        startedAt: async () => nanosToRfc3339((await cri.containerStatus(containerId)).status.startedAt),
        memory: async () => {
          const figures = await cri.containerMemory(containerId);
          if (figures?.usageBytes === undefined) return undefined;
          return { usageBytes: figures.usageBytes, ...(figures.rssBytes === undefined ? {} : { anonBytes: figures.rssBytes }) };
        },
        remove,
      };
    } catch (error) {
      await remove().catch(() => {});
      throw error;
    }
  };
  const labelled = async (label: string, value: string) => cri.listPodSandboxes({ [label]: value });
  return {
    create,
    listLabelled: async (label, value) => (await labelled(label, value)).map((sandbox) => sandbox.id.slice(0, 12)),
    removeLabelled: async (label, value) => {
      const sandboxes = await labelled(label, value);
      for (const sandbox of sandboxes) {
        await cri.stopPodSandbox(sandbox.id).catch(() => {});
        await cri.removePodSandbox(sandbox.id).catch(() => {});
      }
      return sandboxes.length;
    },
  };
}

function cgroupVersion(): string {
  try {
    readFileSync('/sys/fs/cgroup/cgroup.controllers');
    return '2';
  } catch {
    return '1';
  }
}

function operatingSystem(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The CRI's own settings that shape a pull, as containerd reports its CRI configuration (Status, verbose). */
export function criImageSettings(info: Record<string, string>): CriImageSettings | undefined {
  try {
    const config = JSON.parse(info.config ?? '') as {
      containerd?: { snapshotter?: string; discardUnpackedLayers?: boolean };
      maxConcurrentDownloads?: number;
    };
    return {
      snapshotter: config.containerd?.snapshotter ?? 'unknown',
      maxConcurrentDownloads: config.maxConcurrentDownloads ?? 0,
      discardUnpackedLayers: config.containerd?.discardUnpackedLayers ?? false,
    };
  } catch {
    return undefined;
  }
}

/** The node as an Engine. */
export function criEngine(node: ContainerdNode): Engine {
  return {
    images: criImages(node),
    containers: criContainers(node),
    answers: () =>
      node.cri.version().then(
        () => true,
        () => false,
      ),
    facts: async (): Promise<EngineFacts> => {
      const [version, status, runc] = await Promise.all([
        node.cri.version(),
        node.cri.status(),
        execa('runc', ['--version'], { reject: false }),
      ]);
      const settings = criImageSettings(status.info);
      return {
        product: 'containerd',
        version: version.runtimeVersion.replace(/^v/, ''),
        apiVersion: `CRI ${version.runtimeApiVersion}`,
        storageDriver: settings?.snapshotter ?? 'unknown',
        cgroupVersion: cgroupVersion(),
        operatingSystem: operatingSystem(),
        kernel: os.release(),
        imageStore: 'containerd',
        runtime: `runc ${/runc version (\S+)/.exec(runc.stdout)?.[1] ?? 'unknown'}`,
        dataRoot: path.join(node.dir, 'root'),
        ...(settings ? { cri: settings } : {}),
      };
    },
  };
}

/**
 * What the node still holds of an image once it is removed, through containerd itself (`ctr` in the
 * CRI's namespace k8s.io): the layer blobs among `digests` in its content store, and every
 * committed snapshot (an unpacked layer) that no image it still lists accounts for.
 */
export function criStoredContent(node: ContainerdNode): (digests: readonly string[]) => Promise<string[]> {
  const images = criImages(node);
  return async (digests) => {
    const content = new Set((await node.ctr(['content', 'ls', '-q'])).split('\n').map((line) => line.trim()));
    const blobs = digests.filter((digest) => content.has(digest));
    const accounted = new Set((await images.list()).flatMap((image) => chainIds(image.diffIds)));
    const snapshots = (await node.ctr(['snapshots', 'ls']))
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((columns) => columns.at(-1) === 'Committed' && !accounted.has(columns[0]!))
      .map((columns) => `snapshot ${columns[0]}`);
    return [...blobs, ...snapshots];
  };
}
