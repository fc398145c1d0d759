/**
 * basebench overhead — what the harness itself costs, measured (a benchmark, not a test):
 *  1. the first-response probe against a local server whose ready moment is known: detection
 *     delay and CPU time per sample;
 *  2. the harness's warm start-to-first-response against a plain reference (`docker run -d` and
 *     a tight curl loop in a shell script), side by side on the same image, in shuffled order.
 */
import http from 'node:http';
import path from 'node:path';
import { execa } from 'execa';
import { connectEngine } from '../src/engine/connect.js';
import type { Logger } from '../src/common/log.js';
import { catalogResolver } from '../src/bases/resolve.js';
import { imagesLine, provenanceLine, writeBenchmarkPage } from './page.js';
import { baseOrigin } from '../src/report/base-origin.js';
import { freePort } from '../src/common/free-port.js';
import { waitForHttp } from '../src/measure/http-probe.js';
import { spread, type Spread } from '../src/common/stats.js';
import { markdownTable } from '../src/report/markdown-table.js';
import { warmSample } from '../src/measure/samples.js';
import { seededRandom, shuffled } from '../src/measure/schedule.js';
import { PROJECT_ROOT } from '../src/common/project-root.js';
import { probeStrategies } from './probe-strategies.js';

const BODY = 'hello from basebench';
const IMAGE = 'basebench-overhead/go-hello:scratch';

const REFERENCE_SCRIPT = `
port=$1; image=$2
t0=$(date +%s%N)
id=$(docker run -d -p 127.0.0.1:$port:8080 "$image")
until curl -fsS http://127.0.0.1:$port/ 2>/dev/null | grep -q '${BODY}'; do :; done
t1=$(date +%s%N)
docker rm -f "$id" >/dev/null
echo $(( (t1 - t0) / 1000 ))
`;

async function probeDelay(): Promise<{ delayMs: number; cpuMs: number; attempts: number }> {
  const port = await freePort();
  const since = performance.now();
  let listeningAt = 0;
  const server = http.createServer((_request, response) => response.end(BODY));
  setTimeout(() => server.listen(port, '127.0.0.1', () => (listeningAt = performance.now())), 20 + Math.random() * 60);
  const outcome = await waitForHttp({ port, path: '/', expect: { status: 200, bodyIncludes: BODY }, timeoutMs: 5000, since });
  await new Promise((resolve) => server.close(resolve));
  if (outcome.kind !== 'ready') throw new Error(`probe did not see the server: ${outcome.kind}`);
  return { delayMs: since + outcome.elapsedMs - listeningAt, cpuMs: outcome.cpuMs, attempts: outcome.attempts };
}

const row = (label: string, figure: Spread, unit = 'ms') => [
  label,
  String(figure.n),
  `${figure.median!.toFixed(2)} ${unit}`,
  `${figure.p95!.toFixed(2)} ${unit}`,
  `${figure.mad!.toFixed(2)} ${unit}`,
  `${figure.min!.toFixed(2)}–${figure.max!.toFixed(2)} ${unit}`,
];

/** Measures the probe strategies and the harness against docker run + curl, `ROUNDS` each, and writes overhead.md under `outDir`. */
export async function runOverhead(ROUNDS: number, outDir: string, log: Logger): Promise<void> {
  log.info(`Probe against a local server, ${ROUNDS} samples`);
  const probes = [];
  for (let index = 0; index < ROUNDS; index += 1) probes.push(await probeDelay());

  const engine = await connectEngine(log);
  const { catalog, resolver } = catalogResolver(engine, 'auto', log);
  const builder = await resolver.resolve('go-builder');
  log.info(`Building ${IMAGE}`);
  await engine.images.build({
    contextDir: path.join(PROJECT_ROOT, 'scenarios', 'go-hello', 'app'),
    dockerfile: 'Dockerfile',
    tag: IMAGE,
    buildArgs: { BUILDER_IMAGE: builder.ref, BASE_IMAGE: 'scratch' },
    onOutput: () => {},
  });
  const built = { name: 'go-hello/scratch', imageId: (await engine.images.inspect(IMAGE))?.id ?? 'unknown' };

  const harness: number[] = [];
  const reference: number[] = [];
  const measure = { engine, engineName: 'docker', log, runLabel: 'overhead', timeoutMs: 30_000 };
  const target = { id: 'overhead', containerPort: 8080, path: '/', expect: { status: 200, bodyIncludes: BODY } };
  const random = seededRandom(ROUNDS);
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const side of shuffled(['harness', 'reference'] as const, random)) {
      if (side === 'harness') {
        const sample = await warmSample({ ref: IMAGE }, target, round, measure);
        if (sample.state !== 'completed') throw new Error(`harness sample failed: ${sample.error}`);
        harness.push(sample.totalMs!);
      } else {
        const { stdout } = await execa('sh', ['-c', REFERENCE_SCRIPT, 'reference', String(await freePort()), IMAGE]);
        reference.push(Number(stdout.trim()) / 1000);
      }
    }
    log.info(`round ${round}/${ROUNDS}: harness ${harness.at(-1)!.toFixed(1)} ms, reference ${reference.at(-1)!.toFixed(1)} ms`);
  }
  await engine.images.remove(IMAGE);
  const strategies = await probeStrategies(ROUNDS, engine, resolver, catalog, log);

  const harnessFigure = spread(harness);
  const referenceFigure = spread(reference);
  const header = ['measure', 'n', 'median', 'p95', 'MAD', 'range'];
  const report = [
    '# basebench overhead',
    '',
    `${new Date().toISOString()}; ${ROUNDS} rounds; engine ${(await engine.facts()).version}; ${await provenanceLine()}.`,
    '',
    '## The first-response probe, against a local server whose ready moment is known',
    '',
    markdownTable(
      header,
      [
        row('detection delay (listening → response seen)', spread(probes.map((probe) => probe.delayMs))),
        row('probe CPU time per sample', spread(probes.map((probe) => probe.cpuMs))),
        row('attempts per sample', spread(probes.map((probe) => probe.attempts)), ''),
      ],
      [false, true, true, true, true, true],
    ),
    '',
    '## Warm start to first response: harness against `docker run -d` + curl loop',
    '',
    markdownTable(
      header,
      [row('harness (create + start → response)', harnessFigure), row('reference (docker run -d, curl loop)', referenceFigure)],
      [false, true, true, true, true, true],
    ),
    '',
    `Ratio of medians, harness / reference: **${(harnessFigure.median! / referenceFigure.median!).toFixed(3)}**; ratio of MADs: ` +
      `${(harnessFigure.mad! / referenceFigure.mad!).toFixed(3)}.`,
    '',
    imagesLine(
      [built],
      `Built with ${builder.name} (${baseOrigin(builder, false)}, ${builder.digest.slice(0, 19)}) on scratch. ` +
        `Order: harness and reference shuffled each round, seeded with ${ROUNDS} (the rounds).`,
    ),
    '',
    strategies,
  ].join('\n');
  writeBenchmarkPage(outDir, 'overhead.md', report);
}
