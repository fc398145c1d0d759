import { spread } from '../common/stats.js';
import type { RunResults, Sample, VariantResult } from '../results/types.js';
import { delayMedianP95, ms } from './format.js';
import { measuredValues } from './query.js';
import type { Table } from './table.js';

/** First response seen minus the app listening: how late the probe saw a ready app. */
export const detectionDelay = (sample: Sample): number | undefined =>
  sample.timeline?.listeningMs !== undefined && sample.startToFirstResponseMs !== undefined
    ? sample.startToFirstResponseMs - sample.timeline.listeningMs
    : undefined;

/**
 * The probe's own part of the detection delay: from the app listening to sending the attempt that
 * got the answer (0 when that attempt was already under way). The rest is the first answer: the
 * forwarder and the app serving their first request, which no probe can shorten.
 */
export const probeLag = (sample: Sample): number | undefined =>
  sample.timeline?.listeningMs !== undefined && sample.probe?.answer !== undefined
    ? Math.max(0, sample.probe.answer.sentMs - sample.timeline.listeningMs)
    : undefined;

export const hasTimeline = (results: RunResults): boolean =>
  results.variants.some((variant) =>
    variant.samples.some((sample) => sample.timeline?.enteredMs !== undefined || sample.timeline?.processStartedMs !== undefined),
  );

/** What probing cost while the app started, as a share of one core: the harness's CPU plus docker-proxy's, over the wait. */
export const probeShare = (sample: Sample): number | undefined =>
  sample.probe && sample.startToFirstResponseMs
    ? (sample.probe.cpuMs + (sample.probe.forwarderCpuMs ?? 0)) / sample.startToFirstResponseMs
    : undefined;

const median = (variant: VariantResult, pick: (sample: Sample) => number | undefined) =>
  spread(measuredValues(variant.samples, 'warm', pick)).median;

/** Where a warm start goes: the engine's start call, the process, the runtime before main, the app, the probe. */
export function timelineTable(results: RunResults): Table {
  const rows = results.variants
    .filter((variant) => variant.samples.some((sample) => sample.kind === 'warm' && sample.state === 'completed'))
    .map((variant) => {
      const delays = spread(measuredValues(variant.samples, 'warm', detectionDelay));
      const lags = spread(measuredValues(variant.samples, 'warm', probeLag));
      const withBoth = variant.samples.filter(
        (sample) => sample.kind === 'warm' && !sample.warmup && sample.timeline?.listeningMs !== undefined && sample.startMs !== undefined,
      );
      const early = withBoth.filter((sample) => sample.timeline!.listeningMs! < sample.startMs!).length;
      const share = spread(measuredValues(variant.samples, 'warm', probeShare)).median;
      const proxyMs = median(variant, (sample) => sample.probe?.forwarderCpuMs);
      return [
        variant.id,
        ms(median(variant, (sample) => sample.timeline?.processStartedMs)),
        ms(median(variant, (sample) => sample.timeline?.enteredMs)),
        ms(median(variant, (sample) => sample.timeline?.listeningMs)),
        ms(median(variant, (sample) => sample.startMs)),
        ms(median(variant, (sample) => sample.startToFirstResponseMs)),
        delayMedianP95(delays),
        delayMedianP95(lags),
        withBoth.length > 0 ? `${early} of ${withBoth.length}` : '–',
        share === undefined
          ? '–'
          : `${(share * 100).toFixed(1)}%${proxyMs === undefined ? ' (harness only)' : ` (docker-proxy ${proxyMs.toFixed(1)} ms)`}`,
      ];
    });
  return {
    id: 'timeline',
    title: 'Where a warm start goes',
    header: [
      'variant',
      'process started',
      'app entered main',
      'app listening',
      'start call returned',
      'first response seen',
      'detection delay (median / p95)',
      'of which the probe’s lag (median / p95)',
      'listening before the start call returned',
      'probe cost (share of a core)',
    ],
    rows,
    numeric: [false, true, true, true, true, true, true, true, true, true],
    notes: [
      'Medians of warm samples, in ms from the start API call. Process started: the engine’s State.StartedAt, put on the ' +
        'harness’s clock through the wall clock; the engine records it as its start call completes, so it can trail the ' +
        'process by a few ms (here up to 3 ms after the app’s first line). Entered main and listening: the lines the app prints with ' +
        'CLOCK_MONOTONIC (README: The phases of a sample). Entered main minus process started is the runtime’s own start ' +
        '(and UPX’s unpacking). Detection delay is the first response seen minus listening. Of it, the probe’s lag runs from ' +
        'listening to sending the attempt that got the answer (0 if it was already under way); the rest is the first answer, ' +
        'docker-proxy and the app serving their first request (the JVM’s and Node.js’s first request take tens of ms), which ' +
        'no probe can shorten. The probe sends its first attempt when the app prints its listening line or the start call ' +
        'returns, whichever comes first, so an app listening before the call returns is seen at once.',
      'Probe cost: the harness’s CPU time while probing plus docker-proxy’s for the sample’s port, over the time from the start ' +
        'call to the first response, as a share of one core (median of warm samples); the target is at most 5%.',
    ],
  };
}
