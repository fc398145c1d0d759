/**
 * Does probing slow the start it measures? The slow starters (Python, Node.js, the JVM) started
 * warm, side by side in shuffled rounds, under four probes: the socket watch in front of 1 ms
 * HTTP polling, 1 ms HTTP polling, the default (10 ms polling, 50 ms once the app says it entered
 * main, cut short by its listening line), and 10 ms polling alone (a light probe).
 * Part of `basebench overhead`.
 */
import path from 'node:path';
import type { BaseResolver } from '../src/bases/resolve.js';
import type { Logger } from '../src/common/log.js';
import { PROJECT_ROOT } from '../src/common/project-root.js';
import { spread } from '../src/common/stats.js';
import type { Engine } from '../src/engine/clients.js';
import { DEFAULT_PROBE } from '../src/measure/sample-context.js';
import { warmSample } from '../src/measure/samples.js';
import { seededRandom, shuffled } from '../src/measure/schedule.js';
import { delayMedianP95 } from '../src/report/format.js';
import { markdownTable } from '../src/report/markdown-table.js';
import { loadScenario } from '../src/scenario/load.js';
import { measureClocks } from '../src/measure/timeline.js';
import { detectionDelay, probeLag, probeShare } from '../src/report/timeline-table.js';
import type { BaseCatalog } from '../src/bases/catalog.js';
import { type BuiltImage, imagesLine } from './page.js';

const SLOW_STARTERS = [
  ['python-hello', 'distroless-python3'],
  ['node-hello', 'distroless-nodejs20'],
  ['java-hello', 'distroless-java21'],
] as const;

const STRATEGIES = [
  { name: 'socket watch + 1 ms HTTP', socketWatch: true, intervalMs: 1 },
  { name: '1 ms HTTP polling', socketWatch: false, intervalMs: 1 },
  { name: "the default: 10 ms HTTP polling, 50 ms from the app's entered line, 1 ms from its listening line", ...DEFAULT_PROBE },
  { name: '10 ms HTTP polling', socketWatch: false, intervalMs: 10 },
] as const;

const ms = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(1));

type Image = { id: string; ref: string; port: number; body: string; built: BuiltImage };
type Measured = {
  startMs: number;
  cpuMs: number;
  forwarderMs?: number;
  attempts: number;
  delayMs?: number;
  lagMs?: number;
  share?: number;
};

/** The order's seed: fixed by the round count, so a rerun with the same --rounds samples in the same order. */
const strategiesSeed = (rounds: number) => rounds + 1;

/** The slow starters' images, built on the engine from their scenarios. */
async function buildImages(engine: Engine, resolver: BaseResolver, catalog: BaseCatalog, log: Logger): Promise<Image[]> {
  const images: Image[] = [];
  for (const [app, variantName] of SLOW_STARTERS) {
    const scenario = loadScenario(path.join(PROJECT_ROOT, 'scenarios', app, 'scenario.yaml'), catalog);
    const variant = scenario.variants.find((item) => item.name === variantName)!;
    const buildArgs: Record<string, string> = { ...variant.buildArgs };
    if (variant.builder) buildArgs.BUILDER_IMAGE = (await resolver.resolve(variant.builder)).ref;
    const base = typeof variant.base === 'string' ? await resolver.resolve(variant.base) : undefined;
    if (base) buildArgs.BASE_IMAGE = base.ref;
    const ref = `basebench-overhead/${app}:${variantName}`;
    log.info(`Building ${ref}`);
    await engine.images.build({
      contextDir: scenario.app.contextDir,
      dockerfile: path.relative(scenario.app.contextDir, variant.dockerfilePath),
      tag: ref,
      buildArgs,
      onOutput: () => {},
    });
    const imageId = (await engine.images.inspect(ref))?.id ?? 'unknown';
    const built = { name: `${app}/${variantName}`, imageId, ...(base ? { base } : {}) };
    images.push({ id: built.name, ref, port: scenario.app.port, body: scenario.app.expect.body, built });
  }
  return images;
}

/** Warm samples of every image under every strategy, in shuffled rounds; by "image|strategy". */
async function measureStrategies(rounds: number, images: readonly Image[], engine: Engine, log: Logger): Promise<Map<string, Measured[]>> {
  const taken = new Map<string, Measured[]>();
  // The app's listening moment on the harness's clock: what detection delay is measured from.
  const clocks = measureClocks();
  const random = seededRandom(strategiesSeed(rounds));
  for (let round = 1; round <= rounds; round += 1) {
    for (const image of shuffled(images, random)) {
      for (const strategy of shuffled(STRATEGIES, random)) {
        const sample = await warmSample(
          { ref: image.ref },
          { id: image.id, containerPort: image.port, path: '/', expect: { status: 200, bodyIncludes: image.body } },
          round,
          { engine, engineName: 'docker', log, runLabel: 'overhead', timeoutMs: 60_000, probe: strategy, clocks },
        );
        if (sample.state !== 'completed') throw new Error(`${image.id} (${strategy.name}) failed: ${sample.error}`);
        const key = `${image.id}|${strategy.name}`;
        const measured = {
          startMs: sample.startToFirstResponseMs!,
          cpuMs: sample.probe!.cpuMs,
          attempts: sample.probe!.attempts,
          ...(detectionDelay(sample) === undefined ? {} : { delayMs: detectionDelay(sample)! }),
          ...(probeLag(sample) === undefined ? {} : { lagMs: probeLag(sample)! }),
          ...(probeShare(sample) === undefined ? {} : { share: probeShare(sample)! }),
          ...(sample.probe!.forwarderCpuMs === undefined ? {} : { forwarderMs: sample.probe!.forwarderCpuMs }),
        };
        taken.set(key, [...(taken.get(key) ?? []), measured]);
      }
    }
    log.info(`probe strategies: round ${round}/${rounds}`);
  }
  return taken;
}

/** Builds the three images, measures them under each strategy, and returns the markdown section. */
export async function probeStrategies(
  rounds: number,
  engine: Engine,
  resolver: BaseResolver,
  catalog: BaseCatalog,
  log: Logger,
): Promise<string> {
  const images = await buildImages(engine, resolver, catalog, log);
  const taken = await measureStrategies(rounds, images, engine, log);
  for (const image of images) await engine.images.remove(image.ref);
  const rows = images.flatMap((image) => {
    const reference = spread(taken.get(`${image.id}|${STRATEGIES[1].name}`)!.map((sample) => sample.startMs));
    return STRATEGIES.map((strategy) => {
      const samples = taken.get(`${image.id}|${strategy.name}`)!;
      const start = spread(samples.map((sample) => sample.startMs));
      const overlap = start.ci!.low <= reference.ci!.high && reference.ci!.low <= start.ci!.high;
      const delays = spread(samples.flatMap((sample) => (sample.delayMs === undefined ? [] : [sample.delayMs])));
      const lags = spread(samples.flatMap((sample) => (sample.lagMs === undefined ? [] : [sample.lagMs])));
      const share = spread(samples.flatMap((sample) => (sample.share === undefined ? [] : [sample.share]))).median;
      return [
        image.id,
        strategy.name,
        `${ms(start.median)} [${ms(start.ci!.low)}–${ms(start.ci!.high)}]`,
        `${(start.median! / reference.median!).toFixed(3)}${overlap ? ' (intervals overlap)' : ''}`,
        ms(spread(samples.map((sample) => sample.cpuMs)).median),
        ms(spread(samples.flatMap((sample) => (sample.forwarderMs === undefined ? [] : [sample.forwarderMs]))).median),
        String(spread(samples.map((sample) => sample.attempts)).median),
        delayMedianP95(delays),
        delayMedianP95(lags),
        share === undefined ? '–' : `${(share * 100).toFixed(1)}%`,
      ];
    });
  });
  return [
    '## Does probing slow the start, and what does it cost? Slow starters under four probes',
    '',
    markdownTable(
      [
        'image',
        'probe',
        'warm start→response ms [interval]',
        'vs 1 ms polling',
        'harness CPU ms',
        'docker-proxy CPU ms',
        'attempts',
        'detection delay (median / p95)',
        'of which the probe’s lag (median / p95)',
        'cost (share of a core)',
      ],
      rows,
      [false, false, true, true, true, true, true, true, true, true],
    ),
    '',
    `${rounds} warm samples per image and probe, the four probes in a shuffled order each round. Harness CPU: the probe's ` +
      "own work in the harness process, per sample; docker-proxy CPU: the engine's port forwarder over the sample (schedstat). " +
      "Detection delay: first response seen − the app's listening line. The probe's lag is its own part: listening → sending the " +
      'attempt that got the answer; the rest is docker-proxy and the app serving their first request. ' +
      'Cost: harness and docker-proxy CPU over the wait, as a share of one core (target: at most 5%).',
    '',
    imagesLine(
      images.map((image) => image.built),
      `Order: images and probes shuffled each round, seeded with ${strategiesSeed(rounds)} (the rounds + 1).`,
    ),
    '',
  ].join('\n');
}
