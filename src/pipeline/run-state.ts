import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stateRoot } from '../common/state-root.js';
import { isAlive } from '../common/alive.js';
import type { Leftover } from '../engine/clients.js';

/**
 * What a run has started that would outlive it if it died (SIGKILL, a crash, a lost machine):
 * written as the run goes, removed when it ends cleanly. A later run, or `basebench clean`,
 * removes what a run whose process is gone left behind, and never touches a live run's.
 */
export interface RunState {
  runId: string;
  pid: number;
  startedAt: string;
  command: string;
  /** Engines the run connected to (not started): its containers and images there carry its labels and registry host. */
  engines: Array<{ name: string; endpoint: string }>;
  registry?: { host: string; pid?: number; storage?: string };
  /** Registry hosts images were tagged with (the registry and its proxies). */
  imageHosts: string[];
  /** Processes the run started (the Podman service), folders (engine storage), bridges and other links. */
  processes: Array<{ pid: number; command: string }>;
  folders: string[];
  bridges: string[];
  /** Network namespaces it created (bench:network's kernel yardstick); absent in older state files. */
  namespaces?: string[];
  /** cgroups its engines put containers under (the cri engine's pods); absent in older state files. */
  cgroups?: string[];
  /** The host firewall before each engine whose plugins add CNI chains (Podman); absent in older state files. */
  firewalls?: Array<Record<string, string[]>>;
  /** Namespaces it made in clusters (the cluster engine), by kubeconfig context; absent in older state files. */
  clusters?: Array<{ context: string; namespace: string }>;
  /** The run's results.json files (its folder's and latest/'s): marked killed when the run is found dead. */
  resultsFiles?: string[];
}

export { stateRoot } from '../common/state-root.js';

const runsDir = (root: string) => path.join(root, 'runs');
const locksDir = (root: string) => path.join(root, 'locks');

function writeAtomically(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.partial`, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(`${file}.partial`, file);
}

export class RunStateFile {
  readonly state: RunState;

  constructor(
    state: Omit<
      RunState,
      'engines' | 'imageHosts' | 'processes' | 'folders' | 'bridges' | 'namespaces' | 'cgroups' | 'firewalls' | 'clusters'
    > & {
      resultsFiles?: string[];
    },
    private readonly root = stateRoot(),
  ) {
    this.state = {
      ...state,
      engines: [],
      imageHosts: [],
      processes: [],
      folders: [],
      bridges: [],
      namespaces: [],
      cgroups: [],
      firewalls: [],
      clusters: [],
    };
    this.save();
  }

  get file(): string {
    return path.join(runsDir(this.root), `${this.state.runId}.json`);
  }

  /** Records something more the run started, at once. */
  record(change: (state: RunState) => void): void {
    change(this.state);
    this.save();
  }

  save(): void {
    writeAtomically(this.file, this.state);
  }

  /** The run ended and cleaned up after itself. */
  remove(): void {
    forgetRunState(this.state.runId, this.root);
  }
}

/** Something an engine start is about to make, written where a dead run's cleanup looks for it. */
export function recordLeftover(record: RunState, leftover: Leftover): void {
  if ('process' in leftover) record.processes.push(leftover.process);
  else if ('folder' in leftover) record.folders.push(leftover.folder);
  else if ('bridge' in leftover) record.bridges.push(leftover.bridge);
  else if ('namespace' in leftover) record.namespaces?.push(leftover.namespace);
  else if ('cgroup' in leftover) record.cgroups?.push(leftover.cgroup);
  else if ('firewall' in leftover) record.firewalls?.push(leftover.firewall);
  else record.clusters?.push(leftover.cluster);
}

export function readRunStates(root = stateRoot()): RunState[] {
  const dir = runsDir(root);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => {
      try {
        return [JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as RunState];
      } catch {
        return [];
      }
    });
}

export function forgetRunState(runId: string, root = stateRoot()): void {
  // With what a kill mid-save left (see writeAtomically).
  for (const file of [`${runId}.json`, `${runId}.json.partial`]) rmSync(path.join(runsDir(root), file), { force: true });
}

/** Who holds an engine (or a host-wide thing engines share): written when a run takes it, removed when it lets go. */
export interface EngineLock {
  endpoint: string;
  /** For a shared thing rather than an engine: why two runs can't hold it at once. */
  why?: string;
  pid: number;
  runId: string;
  startedAt: string;
  command: string;
}

export class EngineBusy extends Error {
  constructor(readonly holder: EngineLock) {
    super(
      `another basebench run is using ${holder.why ? holder.endpoint : `the engine at ${holder.endpoint}`}: run ${holder.runId}, ` +
        `pid ${holder.pid}, started ${holder.startedAt} (${holder.command}). ` +
        `${holder.why ? `Two runs can't share it: ${holder.why}` : "Two runs on one engine purge each other's layers mid-pull"}; ` +
        'wait for it to finish, or stop it.',
    );
    this.name = 'EngineBusy';
  }
}

const lockFile = (root: string, endpoint: string) =>
  path.join(locksDir(root), `${createHash('sha256').update(endpoint).digest('hex').slice(0, 16)}.json`);

/**
 * Takes the engine at `endpoint` for this run. A lock held by a live process refuses with who
 * holds it; one whose process is gone is taken over, and `onTakeOver` says so.
 */
export function lockEngine(lock: EngineLock, onTakeOver: (stale: EngineLock) => void, root = stateRoot()): () => void {
  const file = lockFile(root, lock.endpoint);
  mkdirSync(locksDir(root), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`, { flag: 'wx' });
      return () => {
        const holder = readLock(file);
        if (holder?.pid === lock.pid && holder.runId === lock.runId) rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(file);
      if (holder && isAlive(holder.pid) && holder.pid !== lock.pid) throw new EngineBusy(holder);
      if (holder) onTakeOver(holder);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}

function readLock(file: string): EngineLock | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as EngineLock;
  } catch {
    return undefined;
  }
}

/**
 * The locks whose holder is gone (a run killed before it could let go; the next run would take
 * them over anyway), removed unless `dryRun`. A live holder's lock, or one that can't be read, stays.
 */
export function releaseDeadLocks(dryRun = false, root = stateRoot()): EngineLock[] {
  const dir = locksDir(root);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    const holder = readLock(file);
    if (!holder || isAlive(holder.pid)) return [];
    if (!dryRun) rmSync(file, { force: true });
    return [holder];
  });
}
