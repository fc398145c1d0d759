import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { renderReports } from '../export/write-reports.js';
import { readRun } from '../results/read-run.js';
import type { RunResults } from '../results/types.js';
import type { Logger } from '../common/log.js';
import { removeEngineFolder } from '../engine/host-mounts.js';
import {
  bridgeExists,
  cniChainsSince,
  deleteBridge,
  namespaceExists,
  removeNamespace,
  removeNewCniChains,
} from '../engine/host-network.js';
import { engineAt } from '../engine/connect.js';
import { removeCgroup } from '../engine/host-cgroups.js';
import { deleteClusterNamespace } from '../engine/kubernetes/cluster.js';
import { tagsOf } from './helper-registry.js';
import { forgetRunState, type RunState, readRunStates, releaseDeadLocks, stateRoot } from './run-state.js';
import { isAlive } from '../common/alive.js';

/** A process is still the one a run started only if its command line says so (pids are reused). */
function runningAs(pid: number, command: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(command);
  } catch {
    return false;
  }
}

/** What a dead run left, one line each; removed unless `dryRun`. */
async function cleanRun(state: RunState, dryRun: boolean): Promise<string[]> {
  const done: string[] = [];
  const act = async (what: string, action: () => Promise<unknown>) => {
    if (!dryRun) await action().catch(() => {});
    done.push(what);
  };
  for (const target of state.engines) {
    const engine = engineAt(target.endpoint);
    if (!(await engine.answers())) {
      done.push(`engine ${target.name} (${target.endpoint}) does not answer: its containers and images are left as they are`);
      continue;
    }
    for (const label of ['basebench.run', 'basebench.engine-of']) {
      const names = await engine.containers.listLabelled(label, state.runId);
      if (!dryRun && names.length > 0) await engine.containers.removeLabelled(label, state.runId).catch(() => 0);
      done.push(...names.map((name) => `container ${name} on ${target.name}`));
    }
    for (const tag of await tagsOf(engine, state.imageHosts)) await act(`image ${tag} on ${target.name}`, () => engine.images.remove(tag));
    // Images the run built carry its label: untagged ones (a build cut short) are found this way only.
    for (const id of await engine.images.listLabelled('basebench.run', state.runId)) {
      await act(`image ${id.slice(7, 19)} on ${target.name}`, () => engine.images.remove(id));
    }
  }
  for (const child of [...state.processes, ...(state.registry?.pid ? [{ pid: state.registry.pid, command: 'docker-registry' }] : [])]) {
    if (runningAs(child.pid, child.command))
      await act(`process ${child.pid} (${child.command})`, async () => process.kill(child.pid, 'SIGTERM'));
  }
  for (const folder of [...state.folders, ...(state.registry?.storage ? [state.registry.storage] : [])]) {
    if (existsSync(folder)) await act(`folder ${folder}`, () => removeEngineFolder(folder));
  }
  for (const bridge of state.bridges) {
    if (await bridgeExists(bridge)) await act(`bridge ${bridge}`, () => deleteBridge(bridge));
  }
  for (const cluster of state.clusters ?? [])
    await act(`namespace ${cluster.namespace} in cluster ${cluster.context || '(current context)'}`, () =>
      deleteClusterNamespace(cluster.context, cluster.namespace),
    );
  for (const cgroup of state.cgroups ?? []) await act(`cgroup ${cgroup}`, async () => removeCgroup(cgroup));
  for (const before of state.firewalls ?? []) {
    const chains = await cniChainsSince(before);
    if (chains.length > 0) await act(`firewall chains ${chains.join(', ')}`, () => removeNewCniChains(before));
  }
  for (const namespace of state.namespaces ?? []) {
    if (await namespaceExists(namespace)) await act(`network namespace ${namespace}`, () => removeNamespace(namespace));
  }
  return done;
}

/**
 * A dead run's results.json still says "running": it becomes "killed", with when it was found, and
 * its reports are rendered again from it (nothing measured is lost); a report it was half-way
 * through writing (NAME.partial) goes. A file that is gone, belongs to another run by now
 * (latest/ moves on) or already ended is left as it is.
 */
export function markKilled(file: string, runId: string, now = new Date()): string | undefined {
  if (!existsSync(file)) return undefined;
  let results: RunResults;
  try {
    results = readRun(file);
  } catch {
    return undefined;
  }
  if (results.runId !== runId || results.state !== 'running') return undefined;
  results.state = 'killed';
  results.foundDeadAt = now.toISOString();
  const folder = path.dirname(file);
  renderReports(results, folder);
  for (const name of readdirSync(folder).filter((entry) => entry.endsWith('.partial'))) rmSync(path.join(folder, name), { force: true });
  return `marked ${file} killed`;
}

/**
 * Finds the runs whose process is gone and removes what they left: containers and images on
 * the engines they used (by their labels and registry hosts), engines and processes they
 * started, folders, bridges, and the locks they held. A live run's things are never touched.
 * Returns what was (or, with `dryRun`, would be) removed, per run.
 */
export async function cleanDeadRuns(log: Logger, dryRun = false, root = stateRoot()): Promise<Array<{ runId: string; removed: string[] }>> {
  const cleaned: Array<{ runId: string; removed: string[] }> = [];
  const verb = dryRun ? 'would remove' : 'removed';
  const locks = releaseDeadLocks(dryRun, root);
  const locksOf = (runId: string) => locks.filter((lock) => lock.runId === runId).map((lock) => `lock on ${lock.endpoint}`);
  for (const state of readRunStates(root)) {
    if (state.pid === process.pid || isAlive(state.pid)) continue;
    const removed = [...(await cleanRun(state, dryRun)), ...locksOf(state.runId)];
    if (!dryRun) {
      for (const file of state.resultsFiles ?? []) {
        const marked = markKilled(file, state.runId);
        if (marked) removed.push(marked);
      }
      forgetRunState(state.runId, root);
    }
    log.info(
      `Run ${state.runId} (pid ${state.pid}, started ${state.startedAt}) is gone; ` +
        `${verb}: ${removed.length > 0 ? removed.join('; ') : 'nothing left'}`,
    );
    cleaned.push({ runId: state.runId, removed });
  }
  // Locks of runs whose state is already gone (cleaned before locks were): nothing else to remove.
  for (const lock of locks.filter((item) => !cleaned.some((run) => run.runId === item.runId))) {
    log.info(`Run ${lock.runId} (pid ${lock.pid}) is gone; ${verb}: its lock on ${lock.endpoint}`);
    cleaned.push({ runId: lock.runId, removed: [`lock on ${lock.endpoint}`] });
  }
  return cleaned;
}
