import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineBusy, lockEngine, readRunStates, recordLeftover, releaseDeadLocks, RunStateFile } from '../../src/pipeline/run-state.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';
import { openEngines } from '../../src/engine/open-engines.js';
import { PODMAN_HOST_NETWORK } from '../../src/engine/podman-service.js';
import { silentLogger } from '../../src/common/log.js';
import { markKilled } from '../../src/pipeline/leftovers.js';
import { readRun } from '../../src/results/read-run.js';
import { goldenRun } from '../fixtures/runs.js';

const tempRoot = suiteTempDir();

/** The pid of a process that has exited: no one answers to it (until the system reuses it). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

const lock = (pid: number, runId: string) => ({
  endpoint: 'unix:///var/run/docker.sock',
  pid,
  runId,
  startedAt: '2026-11-27T00:00:00Z',
  command: 'basebench bench',
});

describe('one run per engine', () => {
  it('refuses a second run while the first holds the engine, naming who holds it', () => {
    const root = path.join(tempRoot(), 'busy');
    // The test runner's parent process is alive and is not this process.
    const release = lockEngine(lock(process.ppid, 'first'), () => {}, root);
    expect(() => lockEngine(lock(process.pid, 'second'), () => {}, root)).toThrow(EngineBusy);
    expect(() => lockEngine(lock(process.pid, 'second'), () => {}, root)).toThrow(
      /run first, pid \d+, started 2026-11-27T00:00:00Z \(basebench bench\)/,
    );
    release();
  });

  it("holds Podman's host network for one run at a time, taken before any Podman service starts", async () => {
    const root = path.join(tempRoot(), 'podman');
    const holder = { ...lock(process.ppid, 'first'), endpoint: PODMAN_HOST_NETWORK.name, why: PODMAN_HOST_NETWORK.why };
    const release = lockEngine(holder, () => {}, root);
    const refused = openEngines([{ name: 'podman', kind: 'podman' }], {
      runId: 'second',
      log: silentLogger,
      trixieRef: async () => 'unused',
      builderRef: async () => 'unused',
      shares: ({ name, why }) => lockEngine({ ...lock(process.pid, 'second'), endpoint: name, why }, () => {}, root),
      // Reached only if the lock were not taken first: the service would start.
      leaves: () => expect.fail('a Podman service was started'),
    });
    await expect(refused).rejects.toThrow(
      "another basebench run is using Podman's host network (the cni-podman0 bridge and the CNI-* firewall chains): run first",
    );
    await expect(refused).rejects.toThrow("Two runs can't share it: a Podman run removes, as it stops, the bridge");
    release();
  });

  it('lets clean remove the locks of runs that are gone, and only those (a dry run lists them)', () => {
    const root = path.join(tempRoot(), 'dead-locks');
    lockEngine({ ...lock(deadPid(), 'gone'), endpoint: 'unix:///gone.sock' }, () => {}, root);
    const release = lockEngine(lock(process.pid, 'live'), () => {}, root);
    expect(releaseDeadLocks(true, root).map((item) => item.runId)).toEqual(['gone']);
    expect(releaseDeadLocks(false, root).map((item) => item.runId)).toEqual(['gone']);
    expect(releaseDeadLocks(false, root)).toEqual([]);
    // The live run's lock stayed: a second run is still refused.
    expect(() => lockEngine(lock(process.ppid, 'second'), () => {}, root)).toThrow(EngineBusy);
    release();
  });

  it('takes over a lock whose process is gone, and says so', () => {
    const root = path.join(tempRoot(), 'stale');
    lockEngine(lock(deadPid(), 'dead'), () => {}, root);
    const takenOver: string[] = [];
    const release = lockEngine(lock(process.pid, 'next'), (stale) => takenOver.push(stale.runId), root);
    expect(takenOver).toEqual(['dead']);
    release();
    // Released: the next run takes it without taking anything over.
    lockEngine(lock(process.pid, 'after'), (stale) => takenOver.push(stale.runId), root)();
    expect(takenOver).toEqual(['dead']);
  });
});

describe('the run state', () => {
  it('is on disk from the start, records what the run starts, and is gone once the run ends', () => {
    const root = path.join(tempRoot(), 'state');
    const state = new RunStateFile({ runId: 'r1', pid: process.pid, startedAt: 'now', command: 'basebench bench' }, root);
    state.record((record) => record.folders.push('/var/lib/basebench/engines/r1-podman'));
    expect(readRunStates(root)).toEqual([expect.objectContaining({ runId: 'r1', folders: ['/var/lib/basebench/engines/r1-podman'] })]);
    writeFileSync(`${state.file}.partial`, '{"runId": "r1"'); // a save a kill cut short
    state.remove();
    expect(readRunStates(root)).toEqual([]);
    expect(readdirSync(path.dirname(state.file))).toEqual([]);
  });

  it("records the host firewall as an engine that adds CNI chains found it, for a dead run's cleanup", () => {
    const root = path.join(tempRoot(), 'firewall');
    const state = new RunStateFile({ runId: 'r2', pid: process.pid, startedAt: 'now', command: 'basebench bench' }, root);
    const before = { filter: ['-P INPUT ACCEPT'], nat: ['-N DOCKER'] };
    state.record((record) => recordLeftover(record, { firewall: before }));
    expect(readRunStates(root)).toEqual([expect.objectContaining({ runId: 'r2', firewalls: [before] })]);
    state.remove();
  });
});

describe('a dead run found', () => {
  const runFolder = (name: string, runId: string) => {
    const folder = path.join(tempRoot(), name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'results.json'), JSON.stringify({ ...goldenRun(), runId, state: 'running' }));
    // What a kill between writing a report and renaming it leaves; this run has no timeline, so no
    // rendering again writes (and renames away) timeline.svg.partial.
    writeFileSync(path.join(folder, 'timeline.svg.partial'), '<svg>half');
    return folder;
  };

  it('is marked killed with when it was found, its reports rendered again and its half-written ones removed', () => {
    const folder = runFolder('killed', 'dead-1');
    const file = path.join(folder, 'results.json');
    expect(markKilled(file, 'dead-1', new Date('2026-12-05T06:00:00Z'))).toBe(`marked ${file} killed`);
    expect(readRun(file)).toMatchObject({ runId: 'dead-1', state: 'killed', foundDeadAt: '2026-12-05T06:00:00.000Z' });
    expect(readdirSync(folder).filter((name) => name.endsWith('.partial'))).toEqual([]);
    expect(readdirSync(folder)).toEqual(expect.arrayContaining(['report.md', 'index.html', 'summary.md']));
    expect(existsSync(path.join(folder, 'timeline.svg'))).toBe(false);
  });

  it("leaves a folder that another run's results moved into (latest/) as it is, partials included", () => {
    const folder = runFolder('moved-on', 'next-run');
    expect(markKilled(path.join(folder, 'results.json'), 'dead-2')).toBeUndefined();
    expect(readRun(path.join(folder, 'results.json')).state).toBe('running');
    expect(existsSync(path.join(folder, 'timeline.svg.partial'))).toBe(true);
  });
});
