import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { stateRoot } from '../../src/common/state-root.js';
import { connectEngine } from '../../src/engine/connect.js';
import { silentLogger } from '../../src/common/log.js';
import { readRunStates, RunStateFile } from '../../src/pipeline/run-state.js';
import { startKernelLink } from '../../src/network/kernel-link.js';
import { namespaceExists } from '../../src/engine/host-network.js';
import { bridgeExists } from '../../src/engine/host-network.js';
import { parseRun } from '../../src/results/read-run.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';
import { benchNeverAnswers, waitForOutput } from '../fixtures/bench-process.js';

/** The engine locks on disk that name this run. */
function locksHeldBy(runId: string): string[] {
  const dir = path.join(stateRoot(), 'locks');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => readFileSync(path.join(dir, name), 'utf8').includes(`"runId": "${runId}"`));
}

describe('a run killed with SIGKILL, and a second run on the same engine', () => {
  const tempDir = suiteTempDir();

  it('refuses a second run while the first lives; after a SIGKILL, clean removes what it left and its results stay readable', async () => {
    const first = benchNeverAnswers(path.join(tempDir(), 'first'), 3);
    // Killed while a sample's container is up and the registry is running.
    await waitForOutput(first, 'Round 1/', 5 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const second = benchNeverAnswers(path.join(tempDir(), 'second'), 3);
    expect(await second.exited).toBe(1);
    const runId = /Run (\S+):/.exec(first.output())![1]!;
    expect(second.output()).toMatch(new RegExp(`another basebench run is using the engine at \\S+: run ${runId}, pid ${first.child.pid}`));

    first.child.kill('SIGKILL');
    await first.exited;
    const state = readRunStates().find((item) => item.runId === runId)!;
    expect(state.registry?.pid).toBeGreaterThan(0);
    // The registry outlives the run's process and keeps serving (and logging) until clean stops it.
    for (const _ of [1, 2]) {
      expect((await fetch(`http://${state.registry!.host}/v2/`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const engine = await connectEngine(silentLogger);

    const dryRun = await execa(process.execPath, ['bin/basebench.js', 'clean', '--dry-run'], { cwd: PROJECT_ROOT });
    expect(dryRun.stderr).toContain(`Run ${runId} (pid ${first.child.pid}`);
    expect(dryRun.stderr).toContain('would remove');
    expect(readRunStates().some((item) => item.runId === runId)).toBe(true);

    const clean = await execa(process.execPath, ['bin/basebench.js', 'clean'], { cwd: PROJECT_ROOT });
    expect(clean.stderr).toMatch(/removed: .*process \d+ \(docker-registry\)/);
    expect(clean.stderr).toMatch(new RegExp(`folder ${state.registry!.storage}`));
    expect(clean.stderr).toMatch(/lock on unix:\/\/\S+docker.sock/);
    expect(readRunStates().some((item) => item.runId === runId)).toBe(false);
    expect(locksHeldBy(runId)).toEqual([]);
    expect(await engine.containers.removeLabelled('basebench.run', runId)).toBe(0);
    expect(existsSync(state.registry!.storage!)).toBe(false);
    await expect(fetch(`http://${state.registry!.host}/v2/`)).rejects.toThrow();

    // Whatever moment the kill came at, results.json is whole and readable; clean marked it killed, and its reports say so.
    const runFolder = path.join(tempDir(), 'first', runId);
    const results = parseRun(JSON.parse(readFileSync(path.join(runFolder, 'results.json'), 'utf8')), 'results.json');
    expect(results.state).toBe('killed');
    expect(Date.parse(results.foundDeadAt!)).toBeGreaterThan(Date.parse(results.startedAt));
    expect(clean.stderr).toContain(`marked ${path.join(runFolder, 'results.json')} killed`);
    expect(readFileSync(path.join(runFolder, 'report.md'), 'utf8')).toContain(`Run ${runId} (killed`);
    expect(readFileSync(path.join(runFolder, 'summary.md'), 'utf8')).toContain('Killed: its process was found gone');
  });

  it.each([
    ['while it builds', 'Building failing/never-answers', 0],
    ['as its first sample starts', 'Round 1/', 0],
    ['while it probes the first sample', 'Round 1/', 2500],
  ])('killed %s, leaves a results.json that reads and renders, and nothing clean does not remove', async (_when, line, afterMs) => {
    const outDir = path.join(tempDir(), `kill-${line.length}-${afterMs}`);
    const run = benchNeverAnswers(outDir, 3);
    await waitForOutput(run, line, 5 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, afterMs));
    run.child.kill('SIGKILL');
    await run.exited;
    const runId = /Run (\S+):/.exec(run.output())![1]!;
    const file = path.join(outDir, runId, 'results.json');
    expect(parseRun(JSON.parse(readFileSync(file, 'utf8')), file).runId).toBe(runId);
    const report = await execa(process.execPath, ['bin/basebench.js', 'report', path.join(outDir, runId)], { cwd: PROJECT_ROOT });
    expect(report.stdout).toContain('report.md');
    await execa(process.execPath, ['bin/basebench.js', 'clean'], { cwd: PROJECT_ROOT });
    expect(readRunStates().some((item) => item.runId === runId)).toBe(false);
    expect(locksHeldBy(runId)).toEqual([]);
    expect(await (await connectEngine(silentLogger)).containers.removeLabelled('basebench.run', runId)).toBe(0);
  });

  it("removes a killed run's cri node: containerd and its shims, the pod, relays, namespace, cgroup and folder", async () => {
    const run = benchNeverAnswers(path.join(tempDir(), 'cri'), 20, ['--engine', 'cri']);
    // Killed while a pod is up (its app never answers) and the node's relays run.
    await waitForOutput(run, 'Round 1/', 5 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const runId = /Run (\S+):/.exec(run.output())![1]!;
    const state = readRunStates().find((item) => item.runId === runId)!;
    const node = state.folders.find((folder) => folder.endsWith(`${runId}-cri`))!;
    const owned = async () => (await execa('pgrep', ['-f', node], { reject: false })).stdout.split('\n').filter(Boolean);
    expect(await owned()).not.toEqual([]);
    expect(state.namespaces).toHaveLength(1);
    expect(state.cgroups).toEqual([`basebench-${runId}-cri`]);
    run.child.kill('SIGKILL');
    await run.exited;

    const clean = await execa(process.execPath, ['bin/basebench.js', 'clean'], { cwd: PROJECT_ROOT });
    expect(clean.stderr).toContain(`folder ${node}`);
    expect(clean.stderr).toContain(`cgroup basebench-${runId}-cri`);
    expect(clean.stderr).toContain(`network namespace ${state.namespaces![0]}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await owned()).toEqual([]);
    expect(existsSync(node)).toBe(false);
    expect(await namespaceExists(state.namespaces![0]!)).toBe(false);
    expect(existsSync(`/sys/fs/cgroup/pids/basebench-${runId}-cri`)).toBe(false);
    expect(readRunStates().some((item) => item.runId === runId)).toBe(false);
  });

  it("removes a killed bench:network's namespace, its veth pair and what ran inside", async () => {
    // A process that is gone stands for the killed command; the link is the yardstick's own, made by its own code.
    const gone = spawn('true');
    await new Promise((resolve) => gone.on('exit', resolve));
    const state = new RunStateFile({
      runId: `bench-network-test-${process.pid}`,
      pid: gone.pid!,
      startedAt: 'now',
      command: 'basebench test',
    });
    const link = await startKernelLink({
      bitsPerSecond: 1e8,
      rttMs: 0,
      tag: `t${process.pid % 10000}`,
      recordCreated: ({ namespace, hostEnd }) =>
        state.record((record) => {
          record.namespaces = [namespace];
          record.bridges.push(hostEnd);
        }),
    });
    const inside = link.exec('sleep', ['300']);
    const hostEnd = state.state.bridges[0]!;
    expect(await namespaceExists(link.namespace)).toBe(true);
    expect(await bridgeExists(hostEnd)).toBe(true);
    const clean = await execa(process.execPath, ['bin/basebench.js', 'clean'], { cwd: PROJECT_ROOT });
    expect(clean.stderr).toContain(`network namespace ${link.namespace}`);
    expect(await namespaceExists(link.namespace)).toBe(false);
    expect(await bridgeExists(hostEnd)).toBe(false);
    expect((await inside).signal).toBe('SIGTERM');
    expect(readRunStates().some((item) => item.runId === state.state.runId)).toBe(false);
  });
});
