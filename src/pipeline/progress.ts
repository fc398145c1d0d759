import type { Logger } from '../common/log.js';

/** How far a run is: each sample's line carries its number, the elapsed time and an ETA from the samples so far. */
export interface ProgressLine {
  start(total: number): void;
  sample(text: string): void;
  skip(): void;
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}h${String(minutes).padStart(2, '0')}m` : `${minutes}m${rest}s`;
}

/** Pure: "12/40, 1m05s elapsed, ETA 3m02s" after `done` of `total` samples in `elapsedMs`. */
export function progressText(done: number, total: number, elapsedMs: number): string {
  const eta = done > 0 && done < total ? `, ETA ${formatDuration((elapsedMs / done) * (total - done))}` : '';
  return `${done}/${total}, ${formatDuration(elapsedMs)} elapsed${eta}`;
}

export function progressLine(log: Logger, now: () => number = () => performance.now()): ProgressLine {
  let total = 0;
  let done = 0;
  let started = 0;
  return {
    start(count) {
      total = count;
      done = 0;
      started = now();
    },
    sample(text) {
      done += 1;
      log.info(`  [${progressText(done, total, now() - started)}] ${text}`);
    },
    skip() {
      done += 1;
    },
  };
}
