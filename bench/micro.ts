/**
 * basebench micro — the harness's own hot paths on tinybench, to back every CPU-cost claim in
 * README: one probe attempt per strategy (the hand-written GET over a socket against Node's
 * HTTP client, each against a server in another process, so the CPU counted is the client's),
 * response parsing, the statistics of one figure, a schedule, and reading the registry's log.
 * This is where tinybench fits: functions timed back to back. The container samples can't be
 * (see measure-rounds.ts).
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { Bench, type Task } from 'tinybench';
import { freePort } from '../src/common/free-port.js';
import type { Logger } from '../src/common/log.js';
import { spread } from '../src/common/stats.js';
import { attemptGet, parseResponse } from '../src/measure/http-probe.js';
import { socketWatch } from '../src/measure/listen-gate.js';
import { everyPair, scheduleSamples } from '../src/measure/schedule.js';
import { parseBlobsServed } from '../src/registry/access-log.js';
import { markdownTable } from '../src/report/markdown-table.js';
import { provenanceLine, writeBenchmarkPage } from './page.js';

const BODY = 'hello from basebench';

/** A hello server in a child process, as a container's app would be: its CPU is not the harness's. */
async function childServer(): Promise<{ port: number; stop: () => void }> {
  const port = await freePort();
  const script =
    `require('http').createServer((q, s) => s.end(${JSON.stringify(BODY)}))` + `.listen(${port}, '127.0.0.1', () => console.log('up'))`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return { port, stop: () => child.kill() };
}

function nodeHttpGet(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/', agent: false, headers: { Connection: 'close' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
  });
}

const RESPONSE = Buffer.from(
  `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${BODY.length}\r\nConnection: close\r\n\r\n${BODY}`,
);
const SAMPLE_VALUES = Array.from({ length: 30 }, (_, index) => 200 + ((index * 37) % 50));
const REGISTRY_LOG = Array.from({ length: 100 }, (_, index) =>
  JSON.stringify({
    'http.request.method': 'GET',
    'http.request.uri': `/v2/basebench/go-hello/blobs/sha256:${index.toString(16).padStart(64, '0')}`,
    'http.response.status': 200,
    'http.response.written': 1_000_000 + index,
    msg: 'response completed',
  }),
).join('\n');

interface Measured {
  task: Task;
  /** Process CPU time (user + system) per operation, over the whole task run, warm-up included. */
  cpuMsPerOp: number;
}

async function measure(name: string, fn: () => unknown, timeMs: number): Promise<Measured> {
  const bench = new Bench({ time: timeMs, warmupTime: Math.min(200, timeMs / 5) });
  bench.add(name, fn);
  const before = process.cpuUsage();
  await bench.run();
  const used = process.cpuUsage(before);
  const task = bench.tasks[0]!;
  return { task, cpuMsPerOp: (used.user + used.system) / 1000 / Math.max(1, task.runs) };
}

const cell = (value: number) => (value >= 1 ? value.toFixed(2) : value >= 0.01 ? value.toFixed(3) : value.toExponential(2));

function row(measured: Measured): string[] {
  const { task } = measured;
  if (task.result.state !== 'completed') return [task.name, task.result.state, '', '', '', ''];
  const { latency, throughput } = task.result;
  return [task.name, String(task.runs), cell(latency.p50), cell(latency.p99), cell(throughput.mean), cell(measured.cpuMsPerOp)];
}

/** Times each hot path for `timeMs` and writes micro.md under `outDir`. */
export async function runMicro(timeMs: number, outDir: string, log: Logger): Promise<void> {
  const server = await childServer();
  const results: Measured[] = [];
  try {
    log.info('Probe attempts against a server in another process…');
    results.push(
      await measure(
        'probe attempt: hand-written GET over a socket (the probe)',
        async () => {
          const attempt = await attemptGet(server.port, '/', 1000);
          if (!attempt.ok) throw new Error(attempt.observation);
        },
        timeMs,
      ),
    );
    results.push(await measure("probe attempt: Node's http.get (for comparison)", () => nodeHttpGet(server.port), timeMs));
  } finally {
    server.stop();
  }
  log.info('Pure functions…');
  results.push(await measure('parse one HTTP response', () => parseResponse(RESPONSE), timeMs));
  // A container's tables list its own few sockets; the host's list every socket on the machine. Read a fresh
  // network namespace's (as root, with unshare) so the figure is a container's; else the host's, and say so.
  const netns = spawn('unshare', ['--net', 'sleep', '600'], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const isolated = netns.exitCode === null && netns.pid !== undefined;
  const watch = socketWatch(isolated ? netns.pid! : process.pid, '', 1) ?? (() => false);
  const tables = isolated
    ? 'a fresh network namespace, as a container has'
    : "the host's own namespace (no unshare: slower than a container's)";
  const check = `socket watch: one check of the tcp6 and tcp tables of ${tables}`;
  try {
    results.push(await measure(check, watch, timeMs));
  } finally {
    netns.kill();
  }
  results.push(
    await measure('statistics of one figure (30 samples: median, p95, MAD, interval, outliers)', () => spread(SAMPLE_VALUES), timeMs),
  );
  const variants = Array.from({ length: 28 }, (_, index) => `app/variant-${index}`);
  const onEngines = ['docker', 'podman', 'docker-current', 'docker-current-containerd'].map((engine) => ({ engine }));
  results.push(
    await measure(
      'schedule of the full matrix on 4 engines (5+1 cold, 10+1 warm rounds)',
      () =>
        scheduleSamples({
          variants,
          kinds: [
            { kind: 'cold', repeat: 5, pairs: everyPair(variants, onEngines) },
            { kind: 'warm', repeat: 10, pairs: everyPair(variants, onEngines) },
          ],
          warmup: 1,
          seed: 1,
        }),
      timeMs,
    ),
  );
  results.push(
    await measure("read 100 lines of the registry's log (the cold proof of one pull)", () => parseBlobsServed(REGISTRY_LOG), timeMs),
  );

  const [probe, nodeClient] = results;
  const report = [
    '# basebench micro-benchmarks',
    '',
    `${new Date().toISOString()}; tinybench, ${timeMs} ms per task; ${await provenanceLine()}.`,
    '',
    markdownTable(['task', 'runs', 'latency p50 (ms)', 'latency p99 (ms)', 'ops/s', 'CPU per op (ms)'], results.map(row), [
      false,
      true,
      true,
      true,
      true,
      true,
    ]),
    '',
    'CPU per op is the harness process’s user + system time over the task’s whole run divided by its runs; for the probe ' +
      'attempts the server runs in another process, so it is the client’s own cost.',
    `Probe attempt CPU, hand-written against Node's client: **${(probe!.cpuMsPerOp / nodeClient!.cpuMsPerOp).toFixed(2)}×**.`,
    '',
  ].join('\n');
  writeBenchmarkPage(outDir, 'micro.md', report);
}
