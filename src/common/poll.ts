import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  now?: () => number;
}

/** Calls `check` until it returns true or the timeout passes; false means it timed out. */
export async function pollUntil(check: () => Promise<boolean>, options: PollOptions): Promise<boolean> {
  const now = options.now ?? (() => performance.now());
  const deadline = now() + options.timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (now() >= deadline) return false;
    await sleep(options.intervalMs);
  }
}
