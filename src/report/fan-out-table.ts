import { decidePaired, percentile } from '../common/stats.js';
import type { FanOutWave, RunResults, Sample } from '../results/types.js';
import { mb, ms } from './format.js';
import { decisionLevel, decisionWords } from './verdicts.js';
import type { Table } from './table.js';

const measuredWaves = (results: RunResults, variant: string, nodes: number): FanOutWave[] =>
  (results.fanOut?.waves ?? []).filter((wave) => wave.variant === variant && wave.nodes === nodes && !wave.warmup);

const completed = (waves: readonly FanOutWave[]): Sample[] =>
  waves.flatMap((wave) => wave.samples).filter((sample) => sample.state === 'completed');

const values = (samples: readonly Sample[], pick: (sample: Sample) => number | undefined) =>
  samples.map(pick).filter((value): value is number => value !== undefined);

/** "p50 / p95 / max" across every node of every measured wave. */
function quantiles(samples: readonly Sample[], pick: (sample: Sample) => number | undefined): string {
  const figures = values(samples, pick);
  if (figures.length === 0) return '–';
  return `${ms(percentile(figures, 0.5))} / ${ms(percentile(figures, 0.95))} / ${ms(Math.max(...figures))}`;
}

/** A wave's own cold total: its slowest node's (the deploy is done when the last pod answers). */
const waveTotal = (wave: FanOutWave): number | undefined => {
  const totals = values(wave.samples, (sample) => (sample.state === 'completed' ? sample.totalMs : undefined));
  return totals.length === wave.samples.length && totals.length > 0 ? Math.max(...totals) : undefined;
};

/** One (variant, number of nodes) of a fan-out run, as the table and README print it. */
export function fanOutFigures(results: RunResults, variant: string, nodes: number) {
  const waves = measuredWaves(results, variant, nodes);
  const samples = completed(waves);
  const failed = waves.flatMap((wave) => wave.samples).filter((sample) => sample.state === 'failed').length;
  const bytes = waves.flatMap((wave) => (wave.bytesServed === undefined ? [] : [wave.bytesServed]));
  const throughput = waves.flatMap((wave) =>
    wave.bytesServed !== undefined && wave.pullWaveMs ? [wave.bytesServed / 1e6 / (wave.pullWaveMs / 1000)] : [],
  );
  const single = new Map(measuredWaves(results, variant, 1).map((wave) => [wave.round, waveTotal(wave)]));
  const differences = waves.flatMap((wave) => {
    const mine = waveTotal(wave);
    const one = single.get(wave.round);
    return mine === undefined || one === undefined ? [] : [mine - one];
  });
  return {
    nodeSamples: `${samples.length}${failed > 0 ? ` (${failed} failed)` : ''}`,
    pull: quantiles(samples, (sample) => sample.pullMs),
    total: quantiles(samples, (sample) => sample.totalMs),
    sent: bytes.length > 0 ? mb(percentile(bytes, 0.5)) : '–',
    throughput: throughput.length > 0 ? `${percentile(throughput, 0.5)!.toFixed(0)} MB/s` : '–',
    versusOne: nodes === 1 ? 'reference' : decisionWords(decidePaired(differences, decisionLevel(results))),
  };
}

/**
 * Fan-out: per variant and number of nodes, what each node saw (p50 / p95 / max across nodes and
 * waves), what the registry sent and how fast, and the slowest node's cold total against one node's,
 * paired by round.
 */
export function fanOutTable(results: RunResults): Table {
  const fanOut = results.fanOut!;
  // In the run's own order of variants (the waves' order is the seeded shuffle).
  const variants = results.variants.map((variant) => variant.id).filter((id) => fanOut.waves.some((wave) => wave.variant === id));
  const rows = variants.flatMap((variant) =>
    fanOut.levels.map((nodes) => {
      const figures = fanOutFigures(results, variant, nodes);
      return [
        variant,
        String(nodes),
        figures.nodeSamples,
        figures.pull,
        figures.total,
        figures.sent,
        figures.throughput,
        figures.versusOne,
      ];
    }),
  );
  return {
    id: 'fan-out',
    title: 'Fan-out: N nodes pulling and starting one image at the same moment',
    header: [
      'variant',
      'nodes',
      'node samples',
      'pull p50 / p95 / max',
      'cold total p50 / p95 / max',
      'registry sent per wave',
      'registry throughput (wave)',
      'slowest node vs one node',
    ],
    rows,
    numeric: [false, true, false, true, true, true, true, false],
    notes: fanOut.cluster ? clusterNotes(results, fanOut.cluster, fanOut.nodes) : criNotes(results, fanOut.nodes.length),
  };
}

const pairingNote = (results: RunResults) =>
  "The last column pairs each wave's slowest node with the one-node wave of the same round " +
  `(${Math.round(decisionLevel(results) * 100)}% interval on the median difference).`;

function criNotes(results: RunResults, started: number): string[] {
  return [
    `Each wave: the first N cri nodes (${started} started, each its own containerd with its own store and network ` +
      'namespace) purged and proven cold, then every node pulls and starts the image at once from the one registry; levels ' +
      'interleave in every round in a seeded order. Quantiles pool every node of every measured wave.',
    "Registry throughput: bytes the registry sent during the wave over the time until the slowest node's pull ended. " +
      pairingNote(results),
    "All nodes share this machine's CPUs and disk: the figures measure contention on one host as much as on the registry, " +
      'and say nothing directly about a 100-node deploy (see README).',
  ];
}

function clusterNotes(results: RunResults, cluster: string, nodes: readonly string[]): string[] {
  return [
    `Each wave: one pod on each of the first N nodes of ${cluster} (${nodes.join(', ')}), every node purged through its ` +
      "runtime and shown cold first, the pods created at the same moment; each pull is its kubelet's (its Pulled event), " +
      'and a pod whose kubelet did not pull fails. Levels interleave in every round in a seeded order; quantiles pool every ' +
      'node of every measured wave.',
    `The registry is the cluster's, not this run's: what it sent is not known here (–). ${pairingNote(results)}`,
  ];
}
