/**
 * Where a start goes, on the harness's monotonic clock (performance.now()), relative to the
 * start API call: the process starting (the engine's State.StartedAt), the app entering its main
 * and listening (lines the app prints), the first correct response seen.
 *
 * The line an app prints, once each, on stdout (documented in README so any app can):
 *   basebench-timeline entered <CLOCK_MONOTONIC nanoseconds>
 *   basebench-timeline listening <CLOCK_MONOTONIC nanoseconds>
 * CLOCK_MONOTONIC is shared by the host and its containers unless a time namespace is used;
 * values that fall outside the sample (before create, after the response) mean it is not shared,
 * and the app's phases are then left out rather than guessed.
 */

export interface Clocks {
  /** CLOCK_MONOTONIC milliseconds minus performance.now(): the same clock in Node, so exact to microseconds. */
  monotonicOffsetMs: number;
  /** Wall-clock epoch milliseconds minus performance.now(), for the engine's StartedAt timestamps. */
  wallOffsetMs: number;
  /** How far the wall clock and the monotonic clock disagreed over the run's start (NTP slew, clock resolution). */
  wallUncertaintyMs: number;
}

/** The offsets measured now: at the start of a run, and recorded with it. */
export function measureClocks(): Clocks {
  const readings = Array.from({ length: 5 }, () => {
    const before = performance.now();
    const wall = Date.now();
    const hr = Number(process.hrtime.bigint()) / 1e6;
    const after = performance.now();
    const middle = (before + after) / 2;
    return { wall: wall - middle, monotonic: hr - middle, spread: after - before };
  });
  const walls = readings.map((reading) => reading.wall);
  return {
    monotonicOffsetMs: readings[0]!.monotonic,
    wallOffsetMs: walls.reduce((sum, value) => sum + value, 0) / walls.length,
    // Date.now() has millisecond resolution: the offset is known to about ±1 ms, plus what the readings spread.
    wallUncertaintyMs: 1 + Math.max(...walls) - Math.min(...walls),
  };
}

const LINE = /^basebench-timeline (entered|listening) (\d{1,20})\s*$/;
const PREFIX = 'basebench-timeline';

export interface TimelineLines {
  entered?: number;
  listening?: number;
  /** Lines that start like a timeline line but are not one (a non-number, an unknown phase): counted, the first kept. */
  malformed: number;
  firstMalformed?: string;
}

/** The app's timeline lines in its output, as performance.now() milliseconds; malformed ones counted, never thrown on. */
export function parseTimelineLines(output: string, clocks: Pick<Clocks, 'monotonicOffsetMs'>): TimelineLines {
  const found: TimelineLines = { malformed: 0 };
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith(PREFIX)) continue;
    const match = LINE.exec(line);
    if (!match) {
      found.malformed += 1;
      found.firstMalformed ??= line.slice(0, 120);
      continue;
    }
    const phase = match[1] as 'entered' | 'listening';
    const at = Number(BigInt(match[2]!) / 1000n) / 1000 - clocks.monotonicOffsetMs;
    if (found[phase] === undefined) found[phase] = at;
  }
  return found;
}

/** RFC 3339 with nanoseconds (as engines give StartedAt) to epoch milliseconds, keeping the sub-millisecond part. */
export function epochMillis(timestamp: string): number | undefined {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(timestamp);
  if (!match) return undefined;
  const whole = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(whole) || whole <= 0) return undefined;
  return whole + Number(`0.${match[2] ?? '0'}`) * 1000;
}

export interface Timeline {
  /** The engine says the container's process started (State.StartedAt), ± the wall clock's uncertainty. */
  processStartedMs?: number;
  /** The app printed its first line, in main. */
  enteredMs?: number;
  /** The app is listening. */
  listeningMs?: number;
  /** Timeline lines that could not be read, and the first of them. */
  malformedLines?: number;
  /** Why app phases were left out or lines ignored, in a sentence (absent when all was well). */
  note?: string;
}

/**
 * Pure: the timeline of one sample relative to its start call, from what the engine and the app
 * said. An app phase outside [create, response] means the clocks aren't shared: left out.
 */
export function sampleTimeline(input: {
  startCalled: number;
  createStarted: number;
  responded: number;
  startedAt?: string;
  output: string;
  clocks: Clocks;
}): Timeline & { clockShared: boolean } {
  const { startCalled, createStarted, responded, clocks } = input;
  const timeline: Timeline & { clockShared: boolean } = { clockShared: true };
  const started = input.startedAt ? epochMillis(input.startedAt) : undefined;
  if (started !== undefined) timeline.processStartedMs = started - clocks.wallOffsetMs - startCalled;
  const app = parseTimelineLines(input.output, clocks);
  const notes: string[] = [];
  if (app.malformed > 0) {
    timeline.malformedLines = app.malformed;
    notes.push(`${app.malformed} timeline line(s) could not be read, the first: ${JSON.stringify(app.firstMalformed)}`);
  }
  const inside = (at: number) => at >= createStarted - 1 && at <= responded + 1;
  const outside = (['entered', 'listening'] as const).filter((phase) => app[phase] !== undefined && !inside(app[phase]!));
  if (outside.length > 0) {
    timeline.clockShared = false;
    const where = (at: number) =>
      at < createStarted ? `${(createStarted - at).toFixed(0)} ms before the sample` : `${(at - responded).toFixed(0)} ms after it`;
    notes.push(
      `app phases left out: ${outside.map((phase) => `${phase} stamped ${where(app[phase]!)}`).join(', ')} ` +
        '(a clock the harness does not share, e.g. a time namespace, or a stamp not from CLOCK_MONOTONIC)',
    );
    if (notes.length > 0) timeline.note = notes.join('; ');
    return timeline;
  }
  if (notes.length > 0) timeline.note = notes.join('; ');
  if (app.entered !== undefined) timeline.enteredMs = app.entered - startCalled;
  if (app.listening !== undefined) timeline.listeningMs = app.listening - startCalled;
  return timeline;
}
