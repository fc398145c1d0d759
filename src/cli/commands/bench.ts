import { randomInt } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { parseMirrors, type Mirror } from '../../bases/mirror.js';
import type { BasesMode } from '../../bases/resolve.js';
import { parseEngineTargets } from '../../engine/targets.js';
import { outlierNotice } from '../../export/outliers.js';
import { answerLines } from '../../report/answer-table.js';
import { parseProfile, profileName, type NetworkProfile } from '../../network/profiles.js';
import type { BenchOptions } from '../../pipeline/options.js';
import { runBench } from '../../pipeline/run.js';
import { command, integerOption, type OptionSpec, outputFolderOption } from '../command.js';
import type { Logger } from '../../common/log.js';
import { rehearse } from '../../pipeline/rehearsal.js';
import type { Compression, RunResults } from '../../results/types.js';
import { type RepeatField, SAMPLE_KINDS, sampleKindOf } from '../../results/sample-kinds.js';

/** Exit codes of an interrupted run: 128 + the signal's number. */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

function profiles(
  named: string | undefined,
  custom: readonly string[] | undefined,
  context: z.RefinementCtx,
): Array<NetworkProfile | null> {
  const texts = [...(named === undefined ? (custom?.length ? [] : ['none']) : named.split(',')), ...(custom ?? [])];
  try {
    const parsed = texts.map(parseProfile);
    const names = parsed.map(profileName);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated) throw new Error(`network profile "${repeated}" is given twice`);
    return parsed;
  } catch (error) {
    context.addIssue({ code: 'custom', path: ['profiles'], message: (error as Error).message });
    return [];
  }
}

type RepeatOption = (typeof SAMPLE_KINDS)[number]['repeat']['option'];
const AS_COLD = -1;

/** --repeat, --base-cached-repeat, --warm-repeat: one option per sample kind, from its declaration. */
const repeatSchema = Object.fromEntries(
  SAMPLE_KINDS.map((kind) => [
    kind.repeat.option,
    integerOption(kind.repeat.min, kind.repeat.default === 'as cold' ? AS_COLD : kind.repeat.default),
  ]),
) as Record<RepeatOption, ReturnType<typeof integerOption>>;

function repeatsFrom(values: Record<RepeatOption, number>): Record<RepeatField, number> {
  const cold = values[sampleKindOf('cold').repeat.option as RepeatOption];
  return Object.fromEntries(
    SAMPLE_KINDS.map((kind) => [kind.repeat.field, values[kind.repeat.option] === AS_COLD ? cold : values[kind.repeat.option]]),
  ) as Record<RepeatField, number>;
}

/** Help lines of at most 70 characters. */
const wrapped = (text: string) =>
  text
    .split(' ')
    .reduce<string[]>((lines, word) => {
      const last = lines[lines.length - 1];
      if (last !== undefined && last.length + word.length < 70) lines[lines.length - 1] = `${last} ${word}`;
      else lines.push(word);
      return lines;
    }, [])
    .join('\n');

const repeatOptions = Object.fromEntries(
  SAMPLE_KINDS.map((kind) => {
    const fallback = kind.repeat.default === 'as cold' ? `as --${sampleKindOf('cold').repeat.option}` : String(kind.repeat.default);
    const none = kind.repeat.min === 0 ? '; 0 for none' : '';
    return [
      kind.repeat.option,
      { type: 'string', value: 'N', help: wrapped(`${kind.words} samples per variant (default ${fallback}${none}): ${kind.means}`) },
    ];
  }),
) as Record<RepeatOption, OptionSpec>;

const schema = z
  .object({
    scenario: z.array(z.string()).default([]),
    variant: z.array(z.string()).default([]),
    ...repeatSchema,
    warmup: integerOption(0, 1),
    seed: integerOption(0, -1),
    'until-decided': z.boolean().default(false),
    'max-repeat': integerOption(8, 30),
    budget: z
      .string()
      .default('60m')
      .transform((text, context) => {
        const match = /^(\d+(?:\.\d+)?)(s|m|h)$/.exec(text.trim());
        if (!match || Number(match[1]) <= 0) {
          context.addIssue({ code: 'custom', message: `takes a duration such as 45s, 30m or 2h, got "${text}"` });
          return z.NEVER;
        }
        return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
      }),
    'drop-caches': z.boolean().default(false),
    profiles: z.string().optional(),
    network: z.array(z.string()).optional(),
    timeout: integerOption(1, 30),
    out: outputFolderOption('results'),
    registry: z.string().optional(),
    bases: z
      .enum(['upstream', 'local', 'auto'], { error: (issue) => `must be upstream, local or auto, got "${String(issue.input)}"` })
      .default('auto'),
    engine: z.array(z.string()).default([]),
    mirror: z.array(z.string()).default([]),
    compression: z
      .string()
      .default('gzip')
      .transform((text) => [...new Set(text.split(',').map((item) => item.trim()))])
      .pipe(
        z
          .array(z.enum(['gzip', 'zstd'], { error: (issue) => `takes gzip and/or zstd, got "${String(issue.input)}"` }))
          .refine(
            (items) => items.includes('gzip'),
            'must include gzip: the zstd images are made from the gzip ones and compared with them',
          ),
      ),
    'fan-out': z
      .string()
      .optional()
      .transform((text, context) => {
        if (text === undefined) return undefined;
        const levels = [...new Set(text.split(',').map((item) => item.trim()))];
        if (!levels.every((item) => /^\d+$/.test(item) && Number(item) >= 1 && Number(item) <= 8)) {
          context.addIssue({ code: 'custom', message: `takes node counts from 1 to 8, e.g. 1,2,4; got "${text}"` });
          return z.NEVER;
        }
        return levels.map(Number).sort((a, b) => a - b);
      }),
    quick: z.boolean().default(false),
    'no-floor': z.boolean().default(false),
    set: z
      .enum(['article', 'current'], { error: (issue) => `must be article or current, got "${String(issue.input)}"` })
      .default('article'),
    positionals: z.array(z.string()).max(0),
  })
  .transform((values, context): BenchOptions => {
    let mirrors: Mirror[] = [];
    try {
      mirrors = parseMirrors(values.mirror);
    } catch (error) {
      context.addIssue({ code: 'custom', path: ['mirror'], message: (error as Error).message });
    }
    let engines: BenchOptions['engines'] = [];
    try {
      engines = parseEngineTargets(values.engine);
    } catch (error) {
      context.addIssue({ code: 'custom', path: ['engine'], message: (error as Error).message });
    }
    if (engines.some((engine) => engine.kind === 'kubernetes')) {
      if (engines.length > 1)
        context.addIssue({ code: 'custom', path: ['engine'], message: 'kubernetes measures alone: its samples are pods on the cluster' });
      if (!values.registry)
        context.addIssue({
          code: 'custom',
          path: ['engine'],
          message: "kubernetes needs --registry: one the cluster's nodes pull from and this machine pushes to",
        });
    }
    const fanOut = values['fan-out'];
    if (fanOut) {
      if (engines.length !== 1 || (engines[0]!.kind !== 'cri' && engines[0]!.kind !== 'kubernetes'))
        context.addIssue({
          code: 'custom',
          path: ['fan-out'],
          message: "needs --engine cri alone (the waves start more cri nodes beside it) or kubernetes alone (over the cluster's nodes)",
        });
      if (!fanOut.includes(1))
        context.addIssue({
          code: 'custom',
          path: ['fan-out'],
          message: 'must include 1: every level is compared with one node in the same rounds',
        });
    }
    return {
      scenarios: values.scenario,
      variantFilter: values.variant,
      ...repeatsFrom(values),
      warmup: values.warmup,
      seed: values.seed === -1 ? randomInt(2 ** 31) : values.seed,
      dropCaches: values['drop-caches'],
      timeoutMs: values.timeout * 1000,
      outDir: path.resolve(values.out),
      registry: values.registry,
      bases: values.bases as BasesMode,
      mirrors,
      quick: values.quick,
      floor: !values['no-floor'],
      set: values.set,
      profiles: profiles(values.profiles, values.network, context),
      engines,
      compressions: values.compression as Compression[],
      ...(values['until-decided'] ? { untilDecided: { maxRounds: values['max-repeat'], budgetMs: values.budget } } : {}),
      ...(fanOut ? { fanOut } : {}),
    };
  });

const benchOptions = {
  scenario: { type: 'string', multiple: true, value: 'FILE|NAME', help: 'scenario file, or a name under scenarios/ (default: all)' },
  variant: { type: 'string', multiple: true, value: 'NAME', help: 'only this variant, "name" or "app/name"' },
  ...repeatOptions,
  warmup: { type: 'string', value: 'N', help: 'discarded samples of each kind per variant, taken first (default 1)' },
  seed: { type: 'string', value: 'N', help: 'seed of the shuffled, interleaved sample order (default: random, recorded)' },
  'until-decided': {
    type: 'boolean',
    help:
      'keep adding rounds (every kind, every variant still open) until each pick per language and kind is decided ' +
      '(with several engines or compressions, each against the first engine and zstd against gzip too), ' +
      'up to --max-repeat rounds and --budget; the repeats above become 0 (none) or "take this kind"',
  },
  'max-repeat': { type: 'string', value: 'N', help: 'with --until-decided: at most N measured rounds (default 30, at least 8)' },
  budget: { type: 'string', value: 'DURATION', help: 'with --until-decided: stop sampling once this is spent (default 60m)' },
  'drop-caches': { type: 'boolean', help: 'drop the page cache before each cold sample (Linux, root)' },
  profiles: {
    type: 'string',
    value: 'A,B,…',
    help: 'network profiles between engine and registry for cold pulls: none (direct, default), lan, cloud, edge, slow',
  },
  network: {
    type: 'string',
    multiple: true,
    value: 'RATE,RTT',
    help: 'a custom profile too, e.g. "50mbit,30ms" (rate in Mbit/s if no unit)',
  },
  timeout: { type: 'string', value: 'SECONDS', help: 'per-sample limit for the first response (default 30)' },
  out: { type: 'string', value: 'DIR', help: 'where reports go (default results/)' },
  registry: { type: 'string', value: 'URL', help: 'use this registry instead of starting one (credentials from the Docker config)' },
  bases: {
    type: 'string',
    value: 'MODE',
    help: 'upstream | local | auto (default auto: upstream where its registry answers, else local stand-ins built from Debian packages)',
  },
  mirror: {
    type: 'string',
    multiple: true,
    value: 'REGISTRY=HOST[/PREFIX]',
    help:
      'pull upstream bases of REGISTRY (docker.io, gcr.io…) through a mirror ' +
      'or pull-through cache, e.g. docker.io=harbor.example.com/hub (credentials from the Docker config)',
  },
  engine: {
    type: 'string',
    multiple: true,
    value: 'A,B,…',
    help:
      'engines to measure on (default docker; the first builds): docker (DOCKER_HOST or the default socket), podman (a podman ' +
      "service this run starts), docker-current / docker-current-containerd (Debian trixie's Docker Engine in a container this " +
      'run starts, classic or containerd image store), cri (containerd 1.7 through the CRI, as a kubelet drives it, on a ' +
      'node this run starts), kubernetes[=CONTEXT] (a cluster from the kubeconfig, alone, with --registry), or ' +
      'NAME=unix:///PATH | NAME=tcp://HOST:PORT',
  },
  'fan-out': {
    type: 'string',
    value: 'N,M,…',
    help:
      'with --engine cri: waves of N nodes (containerd each, started by this run) pulling and starting one image at the ' +
      'same moment, for each N (1 to 8; must include 1); p50/p95/max across nodes, registry throughput; ' +
      "with --engine kubernetes: one pod on each of the cluster's first N nodes",
  },
  compression: { type: 'string', value: 'A,B', help: 'layer compressions to pull: gzip (default), zstd (engines that read it)' },
  quick: { type: 'boolean', help: 'only the variants marked quick (a small subset for smoke runs)' },
  'no-floor': {
    type: 'boolean',
    help:
      "leave out the engine's floor (the smallest static HTTP server on scratch, " +
      'measured beside the variants so their cost above it can be shown)',
  },
  set: {
    type: 'string',
    value: 'SET',
    help:
      "article (default: the article's releases, scenario.yaml) or current (today's: Debian 13, Python 3.13, Node.js 24, Java 25, " +
      'the newest Go and Rust; scenario.current.yaml)',
  },
} as const satisfies Record<string, OptionSpec>;

const EXIT_CODES = 'Exit codes: 0 done, 1 error, 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP (reports keep what was measured).';

function finished(results: RunResults, options: BenchOptions, log: Logger): number {
  const outliers = outlierNotice(results);
  if (outliers) log.warn(outliers);
  const answer = answerLines(results);
  if (answer.length > 0)
    log.info(['The answer (report.md opens with it, with each pick’s cost):', ...answer.map((line) => `  ${line}`)].join('\n'));
  const notCompleted = results.variants.filter((variant) => variant.state !== 'completed');
  log.info(
    `${results.state === 'completed' ? 'Done' : `Stopped (${results.state})`}: ${results.variants.length - notCompleted.length} ` +
      `variant(s) measured, ${notCompleted.length} failed, partial or skipped. ` +
      `Reports: ${options.outDir}/latest`,
  );
  return results.state === 'interrupted' ? 130 : results.state === 'completed' ? 0 : 1;
}

export const benchCommand = command({
  name: 'bench',
  title: "Measures each variant's pull and cold start to the first response, on real engines",
  summary:
    'Measures pull time and cold start (first correct HTTP response) of each scenario variant\non real container engines, through a ' +
    'registry on 127.0.0.1.',
  options: benchOptions,
  details: [EXIT_CODES],
  schema,
  run: async (options, log, signal) => finished(await runBench(options, log, signal), options, log),
});

const { bases: _bases, mirror: _mirror, ...rehearseOptions } = benchOptions;

export const rehearseCommand = command({
  name: 'rehearse',
  title: 'Rehearses the upstream path offline: the stand-ins pulled through a local mirror',
  summary:
    'Rehearses the upstream path where upstream registries are out of reach: the local\nstand-ins, pushed under upstream names to a ' +
    'registry on 127.0.0.1, are pulled through\nit as a mirror with --bases upstream. Reports say the bytes are stand-ins.',
  options: rehearseOptions,
  details: ['Takes the options of bench, except --bases and --mirror, which the rehearsal sets.', EXIT_CODES],
  schema,
  run: async (options, log, signal) => finished(await rehearse(options, log, signal), options, log),
});
