import { describe, expect, it } from 'vitest';
import { epochMillis, parseTimelineLines, sampleTimeline } from '../../src/measure/timeline.js';
import { detectionDelay, probeLag } from '../../src/report/timeline-table.js';
import type { Sample } from '../../src/results/types.js';

const clocks = { monotonicOffsetMs: 1_000_000, wallOffsetMs: 1_800_000_000_000, wallUncertaintyMs: 1 };

describe('a sample timeline', () => {
  it('reads the app lines from its output, in nanoseconds of CLOCK_MONOTONIC, onto the harness clock', () => {
    const output = ['basebench-timeline entered 1000100250000', 'listening on :8080', 'basebench-timeline listening 1000100750000'].join(
      '\n',
    );
    expect(parseTimelineLines(output, clocks)).toEqual({ entered: 100.25, listening: 100.75, malformed: 0 });
  });

  it('counts malformed timeline lines with the first of them, and never throws on one', () => {
    const output = [
      'basebench-timeline entered soon',
      'basebench-timeline listening 1000100750000',
      'basebench-timeline ready 1000100800000',
      `basebench-timeline entered ${'9'.repeat(400)}`,
    ].join('\n');
    expect(parseTimelineLines(output, clocks)).toEqual({
      listening: 100.75,
      malformed: 3,
      firstMalformed: 'basebench-timeline entered soon',
    });
    const timeline = sampleTimeline({ startCalled: 90, createStarted: 80, responded: 102, output, clocks });
    expect(timeline.listeningMs).toBeCloseTo(10.75, 6);
    expect(timeline.malformedLines).toBe(3);
    expect(timeline.note).toBe('3 timeline line(s) could not be read, the first: "basebench-timeline entered soon"');
  });

  it('keeps the nanoseconds of an engine timestamp', () => {
    expect(epochMillis('2026-11-27T15:30:00.123456789Z')).toBeCloseTo(Date.parse('2026-11-27T15:30:00Z') + 123.456789, 6);
    expect(epochMillis('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(epochMillis('not a time')).toBeUndefined();
  });

  it('puts process start, main and listening relative to the start call', () => {
    const startedAt = new Date(clocks.wallOffsetMs + 95).toISOString();
    const timeline = sampleTimeline({
      startCalled: 90,
      createStarted: 80,
      responded: 102,
      startedAt,
      output: 'basebench-timeline entered 1000100250000\nbasebench-timeline listening 1000100750000\n',
      clocks,
    });
    expect(timeline.clockShared).toBe(true);
    expect(timeline.processStartedMs).toBeCloseTo(5, 6);
    expect(timeline.enteredMs).toBeCloseTo(10.25, 6);
    expect(timeline.listeningMs).toBeCloseTo(10.75, 6);
  });

  it('leaves the app phases out when they fall outside the sample: the clock is not shared', () => {
    const timeline = sampleTimeline({
      startCalled: 90,
      createStarted: 80,
      responded: 102,
      output: 'basebench-timeline entered 5000000000\nbasebench-timeline listening 1000200000000\n',
      clocks,
    });
    expect(timeline.clockShared).toBe(false);
    expect(timeline.enteredMs).toBeUndefined();
    // A stamp from long before the sample, and one from after its response (the future), each said.
    expect(timeline.note).toMatch(/^app phases left out: entered stamped \d+ ms before the sample, listening stamped 98 ms after it/);
  });

  it('has only the phases an app reports', () => {
    expect(sampleTimeline({ startCalled: 90, createStarted: 80, responded: 102, output: 'hello\n', clocks })).toEqual({
      clockShared: true,
    });
  });
});

describe('detection delay and the probe’s lag', () => {
  const warm = (listeningMs: number, answer: { sentMs: number; durationMs: number }): Sample => ({
    kind: 'warm',
    repetition: 1,
    engine: 'docker',
    compression: 'gzip',
    state: 'completed',
    startToFirstResponseMs: answer.sentMs + answer.durationMs,
    probe: { attempts: 3, cpuMs: 1, answer },
    timeline: { listeningMs, clockShared: true },
  });

  it('splits the delay into the probe’s lag and the first answer', () => {
    // Listening at 100 ms, the answering attempt sent at 100.4 ms, answered 80 ms later (a JVM’s first request).
    const sample = warm(100, { sentMs: 100.4, durationMs: 80 });
    expect(detectionDelay(sample)).toBeCloseTo(80.4, 6);
    expect(probeLag(sample)).toBeCloseTo(0.4, 6);
  });

  it('counts no lag when the attempt that answered was already out when the app listened', () => {
    const sample = warm(100, { sentMs: 97, durationMs: 5 });
    expect(probeLag(sample)).toBe(0);
    expect(detectionDelay(sample)).toBeCloseTo(2, 6);
  });

  it('has no lag without the app’s listening line', () => {
    expect(probeLag({ ...warm(100, { sentMs: 101, durationMs: 1 }), timeline: { clockShared: true } })).toBeUndefined();
  });
});
