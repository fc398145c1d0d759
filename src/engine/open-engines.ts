import path from 'node:path';
import Docker from 'dockerode';
import type { Logger } from '../common/log.js';
import type { Engine, EngineFacts, Leftover, SharedResource, StartedService } from './clients.js';
import { connectDocker } from './connect.js';
import { dockerEngine } from './docker-engine.js';
import { startDockerInContainer } from './docker-in-container.js';
import { PODMAN_HOST_NETWORK, startPodmanService } from './podman-service.js';
import { startCriService } from './cri/cri-service.js';
import { type ClusterSession, clusterStandIn, openCluster } from './kubernetes/cluster.js';
import { runNamespace } from './kubernetes/manifests.js';
import { endpointOptions, type EngineTarget } from './targets.js';

/** One engine under test, connected for this run; close() stops what the run started. */
export interface EngineSession {
  name: string;
  /** The engine's API, one client per resource (images, containers). */
  client: Engine;
  facts: EngineFacts;
  endpoint: string;
  /** How the run got the engine: found answering, or started by the run and how. */
  origin: string;
  /** Whether it builds and pushes images (the Docker API engines); the CRI only pulls and runs. */
  builds: boolean;
  /** The cluster engine: samples go through pods (measure/cluster-sample.ts), not through `engine`. */
  cluster?: ClusterSession;
  /**
   * Blobs among `digests` that the image store still holds once the images are removed. The
   * containerd store can keep content after `docker rmi`; the layer stores delete with the image.
   */
  storedBlobs(digests: readonly string[]): Promise<string[]>;
  /** The host PID of a container's process as the engine reports it (the same PID, unless the engine runs in a container). */
  hostPid(pid: number): Promise<number | undefined>;
  close(): Promise<void>;
}

export interface OpenEnginesContext {
  runId: string;
  log: Logger;
  /** Debian trixie on the host engine, for the docker-current engine image (resolved only if needed). */
  trixieRef: (host: Engine) => Promise<string>;
  /** The floor's builder on the host engine, for the cri engine's pause image (resolved only if needed). */
  builderRef: (host: Engine) => Promise<string>;
  /** Where engines this run starts keep their storage: not /tmp, as they hold gigabytes. */
  stateRoot?: string;
  /** Told of each process, folder and bridge an engine start makes, before it is made (for a dead run's cleanup). */
  leaves?: (leftover: Leftover) => void;
  /** Told of each engine the run connects to but did not start (the run takes its lock; its containers carry the run's labels). */
  connects?: (name: string, endpoint: string) => void;
  /** Told of a host-wide thing an engine start shares with any other run's, before it starts (the run takes its lock). */
  shares?: (resource: SharedResource) => void;
}

export const ENGINE_STATE_ROOT = '/var/lib/basebench/engines';

const nothingStored = async (_digests: readonly string[]): Promise<string[]> => [];

/** The engines a run measures on, and the one that builds and pushes (one of them, or the host's engine alone). */
export interface OpenedEngines {
  engines: EngineSession[];
  builder: EngineSession;
}

/**
 * Connects or starts every engine the run measures on, in the order given. The first that builds
 * (speaks the Docker API) builds and pushes the images; with none (`--engine cri`), the host's
 * engine does, unmeasured. If one fails to start, those already started are stopped.
 */
export async function openEngines(targets: readonly EngineTarget[], context: OpenEnginesContext): Promise<OpenedEngines> {
  const sessions: EngineSession[] = [];
  let hostDocker: Docker | undefined;
  const hostEndpoint = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  const host = async () => {
    if (!hostDocker) {
      context.connects?.('docker', hostEndpoint);
      hostDocker = await connectDocker(context.log);
    }
    return hostDocker;
  };
  const stateDir = (name: string) => path.join(context.stateRoot ?? ENGINE_STATE_ROOT, `${context.runId}-${name}`);
  const session = async (name: string, service: StartedService, builds = true): Promise<EngineSession> => {
    const { engine } = service;
    try {
      return {
        name,
        client: engine,
        facts: await engine.facts(),
        endpoint: service.endpoint,
        origin: service.origin,
        builds,
        storedBlobs: service.storedBlobs ?? nothingStored,
        hostPid: service.hostPid ?? (async (pid) => pid),
        close: service.stop,
      };
    } catch (error) {
      await service.stop();
      throw error;
    }
  };
  try {
    for (const target of targets) {
      switch (target.kind) {
        case 'docker':
          sessions.push(await session(target.name, foundAt(await host(), hostEndpoint)));
          break;
        case 'endpoint':
          context.connects?.(target.name, target.endpoint);
          sessions.push(await session(target.name, foundAt(new Docker(endpointOptions(target.endpoint)), target.endpoint)));
          break;
        case 'podman':
          context.shares?.(PODMAN_HOST_NETWORK);
          sessions.push(await session(target.name, await startPodmanService(stateDir(target.name), context.log, context.leaves)));
          break;
        case 'docker-current': {
          const docker = await host();
          const hostEngine = dockerEngine(docker);
          const started = await startDockerInContainer({
            name: target.name,
            runId: context.runId,
            containerdStore: target.containerdStore,
            host: docker,
            hostImages: hostEngine.images,
            baseRef: () => context.trixieRef(hostEngine),
            stateDir: stateDir(target.name),
            log: context.log,
            ...(context.leaves ? { leaves: context.leaves } : {}),
          });
          const inner = await session(target.name, started);
          // Its data root as this machine sees it: the folder bind-mounted as the container's /var/lib/docker.
          inner.facts.dataRoot = path.join(stateDir(target.name), 'data');
          sessions.push(inner);
          break;
        }
        case 'kubernetes':
          sessions.push(await openClusterSession(target, context));
          break;
        case 'cri': {
          const hostEngine = dockerEngine(await host());
          const started = await startCriService({
            name: target.name,
            runId: context.runId,
            dir: stateDir(target.name),
            hostImages: hostEngine.images,
            builderRef: () => context.builderRef(hostEngine),
            log: context.log,
            ...(context.leaves ? { leaves: context.leaves } : {}),
          });
          sessions.push(await session(target.name, started, false));
          break;
        }
      }
    }
    const builder =
      sessions.find((opened) => opened.builds) ??
      (await session('docker', foundAt(await host(), hostEndpoint, ', building and pushing only (not measured)')));
    return { engines: sessions, builder };
  } catch (error) {
    await closeEngines(sessions, context.log);
    throw error;
  }
}

/** An engine found answering: the run connects to it and never starts or stops it. */
function foundAt(docker: Docker, endpoint: string, role = ''): StartedService {
  return { engine: dockerEngine(docker), endpoint, origin: `the engine at ${endpoint}${role}`, stop: async () => {} };
}

/** A cluster as the run's engine list holds it: its samples go through pods, its namespace is the run's leftover. */
async function openClusterSession(
  target: Extract<EngineTarget, { kind: 'kubernetes' }>,
  context: OpenEnginesContext,
): Promise<EngineSession> {
  const cluster = await openCluster({ runId: context.runId, log: context.log, ...(target.context ? { context: target.context } : {}) });
  context.leaves?.({ cluster: { context: target.context ?? '', namespace: runNamespace(context.runId).metadata.name } });
  return {
    name: target.name,
    client: clusterStandIn(cluster),
    facts: await cluster.facts(),
    endpoint: `kubeconfig context ${target.context ?? '(current)'}`,
    origin: `${cluster.name}: ${cluster.nodes.length} node(s); pods in a namespace of the run's, deleted at the end`,
    builds: false,
    cluster,
    storedBlobs: nothingStored,
    hostPid: async () => undefined,
    close: cluster.close,
  };
}

/** Stops what the run started, last first; an engine that fails to stop is reported, never thrown. */
export async function closeEngines(sessions: readonly EngineSession[], log: Logger): Promise<void> {
  for (const session of [...sessions].reverse()) {
    await session.close().catch((error: Error) => log.warn(`stopping engine ${session.name}: ${error.message}`));
  }
}
