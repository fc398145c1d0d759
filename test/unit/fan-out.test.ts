import { describe, expect, it } from 'vitest';
import { fanOutFigures, fanOutTable } from '../../src/report/fan-out-table.js';
import type { FanOutWave, RunResults } from '../../src/results/types.js';
import { sampleOf } from '../fixtures/builders.js';
import { goldenRun } from '../fixtures/runs.js';

/** A wave of `nodes` nodes whose cold totals are `base` plus 100 ms per extra node, and one node 50 ms slower. */
function wave(round: number, nodes: number, base: number, extra: Partial<FanOutWave> = {}): FanOutWave {
  return {
    round,
    variant: 'go-hello/scratch',
    nodes,
    pullWaveMs: 500 * nodes,
    bytesServed: 2_000_000 * nodes,
    samples: [...Array(nodes).keys()].map((node) =>
      sampleOf({
        engine: node === 0 ? 'cri' : `cri-${node + 1}`,
        round,
        pullMs: 400,
        totalMs: base + 100 * (nodes - 1) + (node === nodes - 1 ? 50 : 0),
      }),
    ),
    ...extra,
  };
}

function fanOutRun(): RunResults {
  const run = goldenRun();
  const waves = [...Array(8).keys()].flatMap((index) => [1, 2, 4].map((nodes) => wave(index + 1, nodes, 600 + index)));
  run.fanOut = { levels: [1, 2, 4], nodes: ['cri', 'cri-2', 'cri-3', 'cri-4'], waves: [wave(0, 4, 9999, { warmup: true }), ...waves] };
  return run;
}

describe('fan-out', () => {
  it('pools every node of every measured wave, warm-ups aside', () => {
    const four = fanOutFigures(fanOutRun(), 'go-hello/scratch', 4);
    expect(four.nodeSamples).toBe('32');
    expect(four.pull).toBe('400 ms / 400 ms / 400 ms');
    expect(four.total).toMatch(/^9\d\d ms \/ 9\d\d ms \/ 957 ms$/);
    // 8 MB over 2 s of pulling, per wave.
    expect(four.sent).toBe('8.0 MB');
    expect(four.throughput).toBe('4 MB/s');
  });

  it("decides the slowest node against one node's wave of the same round, and says a tie when it is one", () => {
    const run = fanOutRun();
    expect(fanOutFigures(run, 'go-hello/scratch', 1).versusOne).toBe('reference');
    // The slowest of 4 is 300 ms behind the single node of its round, every round: decided.
    expect(fanOutFigures(run, 'go-hello/scratch', 4).versusOne).toMatch(/^slower by 300 ms/);
    // Two rounds only: too few pairs for the coverage.
    run.fanOut!.waves = run.fanOut!.waves.filter((item) => item.round <= 2);
    expect(fanOutFigures(run, 'go-hello/scratch', 4).versusOne).toMatch(/^not decided at n = 2/);
  });

  it('counts failed node samples beside the completed ones', () => {
    const run = fanOutRun();
    const failing = run.fanOut!.waves.find((item) => item.nodes === 2 && item.round === 3)!;
    failing.samples[1] = { ...failing.samples[1]!, state: 'failed', error: 'timeout' };
    const table = fanOutTable(run);
    const row = table.rows.find((cells) => cells[0] === 'go-hello/scratch' && cells[1] === '2')!;
    expect(row[2]).toBe('15 (1 failed)');
    expect(row[7]).toMatch(/^slower by 100 ms/);
  });

  it("says on a cluster that the nodes are the cluster's and what the registry sent is not known", () => {
    const run = fanOutRun();
    run.fanOut = {
      ...run.fanOut!,
      nodes: ['kind-worker', 'kind-worker2'],
      cluster: 'kind-basebench',
      levels: [1, 2],
      waves: run.fanOut!.waves.filter((item) => item.nodes <= 2).map(({ bytesServed: _sent, ...item }) => item),
    };
    const table = fanOutTable(run);
    expect(table.notes![0]).toContain('the first N nodes of kind-basebench (kind-worker, kind-worker2)');
    expect(table.notes!.join(' ')).not.toContain('cri nodes');
    const row = table.rows.find((cells) => cells[1] === '2')!;
    expect(row.slice(5, 7)).toEqual(['–', '–']);
  });
});
