import { describe, expect, it } from 'vitest';
import { consoleLogger, type Logger } from '../../src/common/log.js';
import { progressLine, progressText } from '../../src/pipeline/progress.js';

function recorder(live: boolean): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log: Logger = {
    info: (message) => lines.push(`info ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    error: (message) => lines.push(`error ${message}`),
    ...(live ? { status: (message: string) => lines.push(`status ${message}`) } : {}),
  };
  return { log, lines };
}

describe('progress of a run', () => {
  it('gives the count, the time elapsed and an ETA from the samples so far', () => {
    expect(progressText(10, 40, 65_000)).toBe('10/40, 1m05s elapsed, ETA 3m15s');
    expect(progressText(40, 40, 3_600_000)).toBe('40/40, 1h00m elapsed');
  });

  it('gives no ETA past the time budget of sampling until decided, and says the budget is what ends it', () => {
    // 25 of 2263 samples in 86 s: at that pace 2h08m to the cap, but a 60-minute budget stops it first.
    expect(progressText(25, 2263, 86_000, 3_600_000)).toBe('25/2263, 1m26s elapsed, ETA ≤ 58m34s (--budget)');
    expect(progressText(10, 40, 65_000, 3_600_000)).toBe('10/40, 1m05s elapsed, ETA 3m15s');
  });

  it('prints one line per sample where output is piped or in CI', () => {
    const { log, lines } = recorder(false);
    let clock = 0;
    const progress = progressLine(log, () => clock);
    progress.start(4, 2);
    clock = 1000;
    progress.sample(1, 'a cold: pull 10 ms', false);
    expect(lines).toEqual(['info   [1/4, 0m01s elapsed, ETA 0m03s] a cold: pull 10 ms']);
  });

  it('keeps one live status line on a terminal, and still prints failures', () => {
    const { log, lines } = recorder(true);
    const progress = progressLine(log, () => 0);
    progress.start(2, 1);
    progress.sample(1, 'a cold: pull 10 ms', false);
    progress.sample(1, 'b cold: failed: timeout', true);
    expect(lines).toEqual([
      'status round 1/1 · sample 1/2, 0m00s elapsed, ETA 0m00s · a cold: pull 10 ms',
      'warn b cold: failed: timeout',
      'status round 1/1 · sample 2/2, 0m00s elapsed · b cold: failed: timeout',
    ]);
  });

  it('redraws the status line under every message on a terminal', () => {
    let written = '';
    const write = (text: string) => {
      written += text;
      return true;
    };
    const stream = { write } as unknown as NodeJS.WritableStream;
    const log = consoleLogger(stream, { live: true, columns: 80 });
    log.status!('round 1/2');
    log.info('Pushed');
    const clear = '\r\x1b[2K';
    expect(written.replace(/\[\s+\d+\.\ds\]/, '[t]')).toBe(`${clear}round 1/2${clear}[t] Pushed\nround 1/2`);
  });
});
