import type { RunResults, Sample } from '../results/types.js';
import { enginesOf, viewOn } from '../results/views.js';
import { ms } from './format.js';
import { medianOf } from './query.js';
import type { Table } from './table.js';

/** The engines the run drove through the CRI (the cri engine), which report a pod's phases. */
export const criEngines = (results: RunResults) => enginesOf(results).filter((engine) => engine.product === 'containerd');

/** The phases of a pod's start as samples on a CRI engine record them. */
export const POD_PHASES = {
  pull: (sample: Sample) => sample.pullMs,
  sandbox: (sample: Sample) => sample.sandboxMs,
  create: (sample: Sample) =>
    sample.createMs === undefined || sample.sandboxMs === undefined ? undefined : sample.createMs - sample.sandboxMs,
  start: (sample: Sample) => sample.startMs,
  listening: (sample: Sample) => sample.timeline?.listeningMs,
  response: (sample: Sample) => sample.startToFirstResponseMs,
  total: (sample: Sample) => sample.totalMs,
};

/**
 * A pod's cold start on the CRI, phase by phase as a kubelet's events would name them: the image
 * pulled (PullImage), the sandbox ready (RunPodSandbox: pause container and CNI), the container
 * created and started, the app listening (its own line), the first correct response. Medians.
 */
export function podPhasesTable(results: RunResults): Table {
  const rows = criEngines(results).flatMap((engine) => {
    const view = viewOn(results, engine.name);
    return view.variants
      .filter((variant) => variant.image)
      .map((variant) => {
        // Every compression's cold samples on this engine: each must be proven, whatever the median is read from.
        const cold = (results.variants.find((item) => item.id === variant.id)?.samples ?? []).filter(
          (sample) => sample.engine === engine.name && sample.kind === 'cold' && !sample.warmup,
        );
        const proven = cold.filter((sample) => sample.state === 'completed' && sample.pull?.proof === 'registry-log').length;
        const median = (pick: (sample: Sample) => number | undefined) => ms(medianOf(variant, 'cold', pick));
        return [
          variant.id,
          engine.name,
          median(POD_PHASES.pull),
          median(POD_PHASES.sandbox),
          median(POD_PHASES.create),
          median(POD_PHASES.start),
          median(POD_PHASES.listening),
          median(POD_PHASES.response),
          median(POD_PHASES.total),
          ms(medianOf(variant, 'warm', POD_PHASES.response)),
          `${proven} of ${cold.length}`,
        ];
      });
  });
  return {
    id: 'pod-phases',
    title: "The Kubernetes path: a pod's cold start through the CRI, phase by phase",
    header: [
      'variant',
      'engine',
      'Pulled (PullImage)',
      'sandbox ready (RunPodSandbox, CNI)',
      'Created',
      'Started (start call)',
      'listening (from start call)',
      'first response (from start call)',
      'cold total',
      'warm: first response',
      'cold proven (registry log; every compression)',
    ],
    rows,
    numeric: [false, false, true, true, true, true, true, true, true, true, false],
    notes: [
      'Medians of the gzip cold samples on each CRI engine. The phases follow one another: cold total = Pulled + sandbox + Created + ' +
        'first response; listening and first response count from the StartContainer call, so the start call is inside them.',
      'A kubelet makes the same calls in the same order (PullImage, RunPodSandbox, CreateContainer, StartContainer); what it ' +
        "adds (its sync loop, status updates, probes) is not here. The probe reaches the app on the pod's own loopback, from " +
        'inside its network namespace, through a unix-socket relay.',
      "Cold proven: samples whose every layer blob the registry's own log shows sent in full during the pull, after the image " +
        'was removed through the CRI and its blobs and snapshots shown gone through containerd (ctr, namespace k8s.io).',
    ],
  };
}
