import path from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/common/log.js';
import { parseEngineTargets } from '../../src/engine/targets.js';
import { readRunStates } from '../../src/pipeline/run-state.js';
import { runBench } from '../../src/pipeline/run.js';
import { readRun } from '../../src/results/read-run.js';
import type { RunResults, Sample } from '../../src/results/types.js';
import { benchOptions } from '../fixtures/bench-options.js';
import type { BenchOptions } from '../../src/pipeline/options.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

/** A logger that lets a test act when the run reaches a line. */
function watchedLog(): { log: Logger; lines: string[]; reached: (text: string, timeoutMs: number) => Promise<void> } {
  const lines: string[] = [];
  const log: Logger = { info: (line) => lines.push(line), warn: (line) => lines.push(line), error: (line) => lines.push(line) };
  const reached = async (text: string, timeoutMs: number) => {
    const deadline = performance.now() + timeoutMs;
    while (!lines.some((line) => line.includes(text))) {
      if (performance.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs / 1000} s:\n${lines.slice(-20).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return { log, lines, reached };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The failed sample that recovery noted, and the samples taken after it on the same engine. */
function aroundRecovery(results: RunResults, engine: string, note: RegExp): { failed: Sample; after: Sample[] } {
  const samples = results.variants[0]!.samples.filter((sample) => sample.engine === engine);
  const index = samples.findIndex((sample) => sample.state === 'failed' && note.test(sample.error ?? ''));
  expect(
    index,
    `no failed sample noting ${note} among:\n${samples.map((sample) => sample.error ?? sample.state).join('\n')}`,
  ).toBeGreaterThanOrEqual(0);
  return { failed: samples[index]!, after: samples.slice(index + 1) };
}

describe('faults during a run', () => {
  const tempDir = suiteTempDir();

  /**
   * A run of Go on scratch on docker and docker-current whose docker-current engine is stopped once the
   * first round is under way (for longer than a round takes; the harness started it, so the test may stop it).
   */
  async function stopEngineOnceRunning(changes: Partial<BenchOptions>) {
    const { log, reached } = watchedLog();
    const run = runBench(
      benchOptions({
        scenarios: ['go-hello'],
        variantFilter: ['scratch'],
        repeat: 8,
        outDir: tempDir(),
        engines: parseEngineTargets(['docker,docker-current']),
        ...changes,
      }),
      log,
      new AbortController().signal,
    );
    await reached('[1/', 10 * 60_000);
    const runId = readRunStates().find((item) => item.pid === process.pid)!.runId;
    const host = new Docker();
    const [listed] = await host.listContainers({ filters: { label: [`basebench.engine-of=${runId}`] } });
    const engineContainer = host.getContainer(listed!.Id);
    await engineContainer.stop({ t: 10 });
    return { run, runId, host, engineContainer };
  }

  it('restarts a registry that dies on the same storage and port, and goes on', async () => {
    const { log, lines, reached } = watchedLog();
    const run = runBench(
      benchOptions({ scenarios: ['go-hello'], variantFilter: ['scratch'], repeat: 6, warmRepeat: 2, outDir: tempDir() }),
      log,
      new AbortController().signal,
    );
    await reached('[1/', 10 * 60_000);
    const state = readRunStates().find((item) => item.pid === process.pid)!;
    process.kill(state.registry!.pid!, 'SIGKILL');
    const results = await run;

    expect(results.state).toBe('completed');
    const { failed, after } = aroundRecovery(results, 'docker', /the registry died and was started again/);
    expect(failed.error).toMatch(/pull failed/);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((sample) => sample.state === 'completed')).toBe(true);
    expect(lines.some((line) => /Registry at http:\/\/127\.0\.0\.1:\d+ answers again/.test(line))).toBe(true);
  });

  it('waits for an engine that stops answering, and goes on once it is back', async () => {
    const { run, engineContainer } = await stopEngineOnceRunning({ warmRepeat: 2 });
    await sleep(8000);
    await engineContainer.start();
    const results = await run;

    expect(results.state).toBe('completed');
    const { after } = aroundRecovery(results, 'docker-current', /engine docker-current stopped answering; back after [\d.]+ s/);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((sample) => sample.state === 'completed')).toBe(true);
  });

  it('stops cleanly as engine-lost, with what it measured, when an engine does not come back', async () => {
    const { run, runId, host } = await stopEngineOnceRunning({ engineWaitMs: 5000 });
    const results = await run;

    expect(results.state).toBe('engine-lost');
    expect(results.variants[0]!.samples.filter((sample) => sample.state === 'completed').length).toBeGreaterThan(0);
    // The sample that failed as the engine went is kept, with why the run stopped.
    const failed = results.variants.flatMap((variant) => variant.samples).filter((sample) => sample.state === 'failed');
    expect(failed.map((sample) => sample.error)).toContainEqual(expect.stringMatching(/did not answer again within 5 s\)$/));
    expect(readRun(path.join(tempDir(), results.runId)).state).toBe('engine-lost');
    // The stopped engine's container, bridge and folder are still removed at the end.
    expect(await host.listContainers({ all: true, filters: { label: [`basebench.engine-of=${runId}`] } })).toEqual([]);
  });
});
