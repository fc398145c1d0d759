import { pollUntil } from '../common/poll.js';
import type { Logger } from '../common/log.js';
import type { EngineSession } from '../engine/open-engines.js';
import { DISK_FULL, registryDiskFull } from '../registry/push.js';
import type { Registry } from '../registry/registry.js';

/** The run stops with partial results: the engine or the registry is gone and did not come back. */
export class RunStopped extends Error {
  constructor(
    readonly state: 'engine-lost' | 'registry-lost',
    message: string,
  ) {
    super(message);
    this.name = 'RunStopped';
  }
}

const ENGINE_WAIT_MS = 60_000;

/** A failure as its caller keeps it: the reason so far, and how to record it with what recovery found. */
export interface Failure {
  reason: string;
  record(reason: string): void;
}

/**
 * After a failed sample or push: was it the engine or the registry? An engine that doesn't answer is waited for
 * (bounded: it may be restarting); a registry of this run's that died is started again on the same storage and port; a
 * full registry disk is named (pushes fail on it, and so does every cold proof: the registry's log of what it sent
 * can't be written). What it found is recorded on the failure, also when it throws RunStopped because one doesn't come
 * back: the failure that stopped the run is kept with why.
 */
export async function recoverAfterFailure(
  failure: Failure,
  engine: EngineSession,
  registry: Registry,
  log: Logger,
  waitMs = ENGINE_WAIT_MS,
): Promise<void> {
  const notes: string[] = [];
  const full = registryDiskFull(registry);
  if (full && !failure.reason.includes(DISK_FULL)) notes.push(full);
  const noted = (more: string[]) => (more.length > 0 ? `${failure.reason} (${more.join('; ')})` : failure.reason);
  try {
    await waitForEngine(engine, log, waitMs, notes);
    await restartRegistry(registry, log, notes);
  } catch (error) {
    failure.record(noted([...notes, (error as Error).message]));
    throw error;
  }
  failure.record(noted(notes));
}

async function waitForEngine(engine: EngineSession, log: Logger, waitMs: number, notes: string[]): Promise<void> {
  if (await engine.client.answers()) return;
  log.warn(`Engine ${engine.name} (${engine.endpoint}) does not answer; waiting up to ${waitMs / 1000} s for it`);
  const started = performance.now();
  const back = await pollUntil(() => engine.client.answers(), { timeoutMs: waitMs, intervalMs: 500 });
  if (!back) throw new RunStopped('engine-lost', `engine ${engine.name} did not answer again within ${waitMs / 1000} s`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log.info(`Engine ${engine.name} answers again after ${seconds} s`);
  notes.push(`engine ${engine.name} stopped answering; back after ${seconds} s`);
}

async function restartRegistry(registry: Registry, log: Logger, notes: string[]): Promise<void> {
  if (await registry.answers()) return;
  if (!registry.restart)
    throw new RunStopped('registry-lost', `the registry at ${registry.url} does not answer, and this run did not start it`);
  log.warn(`The registry at ${registry.url} does not answer; starting it again on the same storage and port`);
  try {
    await registry.restart();
  } catch (error) {
    throw new RunStopped('registry-lost', `the registry at ${registry.url} died and did not start again: ${(error as Error).message}`);
  }
  log.info(`Registry at ${registry.url} answers again`);
  notes.push('the registry died and was started again');
}
