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

export const ENGINE_WAIT_MS = 60_000;

/**
 * After a failed sample: was it the engine or the registry? An engine that doesn't answer is
 * waited for (bounded: it may be restarting); a registry of this run's that died is started again
 * on the same storage and port. Returns what happened, for the sample's reason, or undefined when
 * both answer (the failure was the sample's own), with a note where the registry's disk is full. Throws RunStopped when
 * one doesn't come back.
 */
export async function recoverAfterFailure(
  engine: EngineSession,
  registry: Registry,
  log: Logger,
  waitMs = ENGINE_WAIT_MS,
  failure = '',
): Promise<string | undefined> {
  const notes: string[] = [];
  // On a full disk pushes fail, and so does every cold proof: the registry's log of what it sent can't be written.
  const full = registryDiskFull(registry);
  if (full && !failure.includes(DISK_FULL)) notes.push(full);
  if (!(await engine.client.answers())) {
    log.warn(`Engine ${engine.name} (${engine.endpoint}) does not answer; waiting up to ${waitMs / 1000} s for it`);
    const started = performance.now();
    const back = await pollUntil(() => engine.client.answers(), { timeoutMs: waitMs, intervalMs: 500 });
    if (!back) throw new RunStopped('engine-lost', `engine ${engine.name} did not answer again within ${waitMs / 1000} s`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    log.info(`Engine ${engine.name} answers again after ${seconds} s`);
    notes.push(`engine ${engine.name} stopped answering; back after ${seconds} s`);
  }
  if (!(await registry.answers())) {
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
  return notes.length > 0 ? notes.join('; ') : undefined;
}
