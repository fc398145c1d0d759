import type { Logger } from '../common/log.js';

/**
 * How far a run is. On a terminal: one live status line (round, sample, elapsed, ETA, the last
 * sample), with failures still printed as lines. In CI or piped: one plain line per sample,
 * carrying the same counts.
 */
export interface ProgressLine {
  /** `budgetMs`: sampling stops by then whatever is left (--budget), so no ETA goes past it. */
  start(samples: number, rounds: number, budgetMs?: number): void;
  sample(round: number, text: string, failed: boolean): void;
  skip(): void;
  /** Sampling until decided: fewer samples and rounds left than planned (variants decided, a budget spent). */
  resize(samples: number, rounds: number): void;
}

function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}h${String(minutes).padStart(2, '0')}m` : `${minutes}m${rest}s`;
}

/**
 * Pure: "12/40, 1m05s elapsed, ETA 3m02s" after `done` of `total` samples in `elapsedMs`; where a
 * budget ends sampling before the samples left would, "ETA ≤ 58m00s (--budget)".
 */
export function progressText(done: number, total: number, elapsedMs: number, budgetMs?: number): string {
  if (done === 0 || done >= total) return `${done}/${total}, ${formatDuration(elapsedMs)} elapsed`;
  const byPace = (elapsedMs / done) * (total - done);
  const eta =
    budgetMs !== undefined && budgetMs - elapsedMs < byPace
      ? `ETA ≤ ${formatDuration(budgetMs - elapsedMs)} (--budget)`
      : `ETA ${formatDuration(byPace)}`;
  return `${done}/${total}, ${formatDuration(elapsedMs)} elapsed, ${eta}`;
}

export function progressLine(log: Logger, now: () => number = () => performance.now()): ProgressLine {
  let total = 0;
  let rounds = 0;
  let done = 0;
  let started = 0;
  let budget: number | undefined;
  return {
    start(samples, roundCount, budgetMs) {
      total = samples;
      rounds = roundCount;
      done = 0;
      started = now();
      budget = budgetMs;
    },
    sample(round, text, failed) {
      done += 1;
      const counts = progressText(done, total, now() - started, budget);
      if (log.status) {
        if (failed) log.warn(text);
        log.status(`round ${round}/${rounds} · sample ${counts} · ${text}`);
      } else {
        log.info(`  [${counts}] ${text}`);
      }
    },
    skip() {
      done += 1;
    },
    resize(samples, roundCount) {
      total = samples;
      rounds = roundCount;
    },
  };
}
