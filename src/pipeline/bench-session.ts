import { runDir } from '../export/write-reports.js';
import path from 'node:path';
import { execa } from 'execa';
import { aptInstall, canProvision } from '../engine/provision.js';
import { BaseResolver } from '../bases/resolve.js';
import type { BaseCatalog } from '../bases/catalog.js';
import { defaultBaseCacheDir } from '../bases/local-bases.js';
import { closeEngines, type EngineSession, openEngines } from '../engine/open-engines.js';
import { cleanDeadRuns } from './leftovers.js';
import { removeTagsOf } from './helper-registry.js';
import { type EngineLock, lockEngine, recordLeftover, RunStateFile } from './run-state.js';
import type { Logger } from '../common/log.js';
import { startThrottleProxy, type ThrottleProxy } from '../network/throttle-proxy.js';
import type { NetworkProfile } from '../network/profiles.js';
import { externalRegistry, startLocalRegistry, type Registry } from '../registry/registry.js';
import type { BenchOptions } from './options.js';
import { FLOOR_BUILDER } from './plan.js';
import { pushNodeTools } from '../engine/kubernetes/node-tools.js';
import { stateRoot } from '../common/state-root.js';
import type { Engine } from '../engine/clients.js';

/** The registry as the engines reach it under one network profile. */
export interface ProfilePath {
  /** Registry host in image references: the registry itself, or the proxy in front of it. */
  host: string;
  proxy?: ThrottleProxy;
}

/** Everything a run starts before it builds: engines, registry, proxies; one close() stops them all. */
export interface BenchSession {
  engines: EngineSession[];
  /** With --fan-out: the cri nodes beyond the first (cri-2, cri-3, …), identical to it, for the waves. */
  fanOutNodes: EngineSession[];
  /** The engine that builds and pushes: the first named that can (the CRI cannot), else the host's, unmeasured. */
  builder: EngineSession;
  registry: Registry;
  pullPaths: ReadonlyMap<string, ProfilePath>;
  close(): Promise<void>;
}

/** The registry's host in a reference, swapped for the host of a profile's proxy. */
export function refThrough(ref: string, registry: Registry, path: ProfilePath | undefined): string {
  return path?.proxy ? `${path.host}${ref.slice(registry.host.length)}` : ref;
}

async function startPullPaths(
  registry: Registry,
  profiles: ReadonlyArray<NetworkProfile | null>,
  log: Logger,
): Promise<Map<string, ProfilePath>> {
  const paths = new Map<string, ProfilePath>();
  for (const profile of profiles) {
    if (!profile) {
      paths.set('none', { host: registry.host });
      continue;
    }
    const url = new URL(registry.url);
    const proxy = await startThrottleProxy(
      { host: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) },
      profile,
    );
    paths.set(profile.name, { host: `127.0.0.1:${proxy.port}`, proxy });
    log.info(
      `Network profile ${profile.name}: ${(profile.bitsPerSecond / 1e6).toFixed(1)} Mbit/s, ${profile.rttMs} ms RTT, through ` +
        `127.0.0.1:${proxy.port}`,
    );
  }
  return paths;
}

/** The zstd CLI recompresses layers for --compression zstd (Node 20's zlib has no zstd). */
async function ensureZstd(log: Logger): Promise<void> {
  if ((await execa('zstd', ['--version'], { reject: false })).exitCode === 0) return;
  if (!canProvision())
    throw new Error('--compression zstd needs the zstd command (Debian/Ubuntu: apt-get install zstd; macOS: brew install zstd)');
  await aptInstall(['zstd'], log);
}

/**
 * Opens the engines a run names, plus the fan-out's extra cri nodes beside the first, each locked and recorded in the run
 * state as it connects. `release` drops the locks and the run state; on a failure they are already dropped.
 */
async function openLockedEngines(
  options: BenchOptions,
  state: RunStateFile,
  holder: Pick<EngineLock, 'runId' | 'startedAt' | 'command'>,
  log: Logger,
  resolveOn: (host: Engine, base: string) => Promise<string>,
): Promise<{ engines: EngineSession[]; fanOutNodes: EngineSession[]; builder: EngineSession; release: () => void }> {
  const unlocks: Array<() => void> = [];
  const release = () => {
    for (const unlock of unlocks) unlock();
    state.remove();
  };
  const lock = (endpoint: string, why?: string) =>
    unlocks.push(
      lockEngine({ endpoint, ...(why ? { why } : {}), pid: process.pid, ...holder }, (stale) =>
        log.warn(`Taking over the lock on ${endpoint} from run ${stale.runId} (pid ${stale.pid}, gone)`),
      ),
    );
  // With --fan-out on the cri engine, the first node is the measured engine; the others are more of the same, opened
  // beside it. A cluster brings its own nodes.
  const mostNodes = Math.max(1, ...(options.fanOut ?? []));
  const extraNodes =
    options.engines[0]?.kind === 'cri'
      ? [...Array(mostNodes - 1).keys()].map((index) => ({ name: `cri-${index + 2}`, kind: 'cri' as const }))
      : [];
  try {
    const { engines: opened, builder } = await openEngines([...options.engines, ...extraNodes], {
      runId: holder.runId,
      log,
      connects: (name, endpoint) => {
        lock(endpoint);
        state.record((record) => record.engines.push({ name, endpoint }));
      },
      shares: ({ name, why }) => lock(name, why),
      leaves: (leftover) => state.record((record) => recordLeftover(record, leftover)),
      // Debian trixie for the docker-current engine image, the floor's builder for the cri engine's pause image: the
      // upstream images or their stand-ins, as the bases mode says.
      trixieRef: (host) => resolveOn(host, 'debian-trixie'),
      builderRef: (host) => resolveOn(host, FLOOR_BUILDER),
    });
    const engines = opened.slice(0, options.engines.length);
    const cluster = engines.find((engine) => engine.cluster)?.cluster;
    if (cluster && cluster.nodes.length < mostNodes) {
      await closeEngines(opened, log);
      throw new Error(
        `--fan-out ${mostNodes} needs ${mostNodes} ready, schedulable nodes; the cluster ${cluster.name} has ${cluster.nodes.length} ` +
          `(${cluster.nodes.join(', ')})`,
      );
    }
    return { engines, fanOutNodes: opened.slice(options.engines.length), builder, release };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Opens everything a run needs. First removes what dead runs left behind; then takes a lock on
 * each engine it connects to (a second run on the same engine refuses, naming the holder), and
 * records everything it starts in its run state, so that a run killed at any moment can be
 * cleaned up by the next one or by `basebench clean`.
 */
export async function openSession(options: BenchOptions, catalog: BaseCatalog, runId: string, log: Logger): Promise<BenchSession> {
  if (options.compressions.includes('zstd')) await ensureZstd(log);
  await cleanDeadRuns(log);
  const startedAt = new Date().toISOString();
  const command = `basebench ${process.argv.slice(2).join(' ')}`.trim();
  const state = new RunStateFile({
    runId,
    pid: process.pid,
    startedAt,
    command,
    resultsFiles: [path.join(runDir(options.outDir, runId), 'results.json'), path.join(options.outDir, 'latest', 'results.json')],
  });
  const resolveOn = async (host: Engine, base: string) => {
    const resolver = new BaseResolver(
      catalog,
      options.bases,
      { images: host.images, log, catalog, cacheDir: defaultBaseCacheDir(), logDir: path.join(options.outDir, runId, 'logs') },
      host.images,
      options.mirrors,
    );
    return (await resolver.resolve(base)).ref;
  };
  const { engines, fanOutNodes, builder, release } = await openLockedEngines(options, state, { runId, startedAt, command }, log, resolveOn);
  let registry: Registry | undefined;
  let pullPaths = new Map<string, ProfilePath>();
  const close = async () => {
    const all = [...engines, ...fanOutNodes, ...(engines.includes(builder) ? [] : [builder])];
    for (const { client } of all) await client.containers.removeLabelled('basebench.run', runId).catch(() => 0);
    for (const item of pullPaths.values()) await item.proxy?.stop();
    await registry?.stop().catch((error: Error) => log.warn(`stopping the registry: ${error.message}`));
    // Images tagged for a registry (or a proxy to it) that no longer exists are only clutter.
    for (const { client } of all) for (const host of state.state.imageHosts) await removeTagsOf(client, host).catch(() => {});
    await closeEngines([...engines, ...fanOutNodes], log);
    release();
  };
  try {
    registry = options.registry ? externalRegistry(options.registry) : await startLocalRegistry(builder.client, log, runId);
    const started = registry;
    state.record((record) => {
      record.registry = {
        host: started.host,
        ...(started.pid ? { pid: started.pid } : {}),
        ...(started.storage ? { storage: started.storage } : {}),
      };
      if (started.kind !== 'external') record.imageHosts.push(started.host);
    });
    pullPaths = await startPullPaths(registry, options.profiles, log);
    // The cluster engine's purger and prober, from an image the nodes pull from the run's registry.
    const cluster = engines.find((engine) => engine.cluster)?.cluster;
    if (cluster) {
      const baseRef = await resolveOn(builder.client, 'debian-trixie');
      const workDir = path.join(stateRoot(), 'work', runId);
      await cluster.prepare(await pushNodeTools({ images: builder.client.images, baseRef, registryHost: registry.host, workDir, log }));
    }
    state.record((record) => record.imageHosts.push(...[...pullPaths.values()].flatMap((item) => (item.proxy ? [item.host] : []))));
  } catch (error) {
    await close();
    throw error;
  }
  return { engines, fanOutNodes, builder, registry, pullPaths, close };
}
