import { randomInt } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BasesMode } from '../bases/resolve.js';
import { parseProfile, profileName, type NetworkProfile } from '../network/profiles.js';
import type { BenchOptions } from '../pipeline/options.js';
import { parseEngineTargets } from '../engine/targets.js';
import type { Compression } from '../results/types.js';

export const USAGE = `Usage: npm run bench -- [options]

Measures pull time and cold start (first correct HTTP response) of each scenario variant
on a real Docker Engine, through a registry on 127.0.0.1.

Options:
  --scenario FILE|NAME  scenario file, or a name under scenarios/ (repeatable; default: all)
  --variant NAME        only this variant, "name" or "app/name" (repeatable)
  --repeat N            cold samples per variant (default 5)
  --warm-repeat N       warm samples per variant (default 10)
  --warmup N            discarded samples of each kind per variant, taken first (default 1)
  --seed N              seed of the shuffled, interleaved sample order (default: random, recorded)
  --drop-caches         drop the page cache before each cold sample (Linux, root)
  --profiles A,B,…      network profiles between engine and registry for cold pulls:
                        none (direct, default), lan, cloud, edge, slow
  --network RATE,RTT    a custom profile too, e.g. "50mbit,30ms" (rate in Mbit/s if no unit)
  --timeout SECONDS     per-sample limit for the first response (default 30)
  --out DIR             where reports go (default results/)
  --registry URL        use this registry instead of starting one (credentials from the Docker config)
  --bases MODE          upstream | local | auto (default auto: upstream where its registry
                        answers, else local stand-ins built from Debian packages)
  --engine A,B,…        engines to measure on (repeatable; default docker; the first builds):
                        docker (DOCKER_HOST or the default socket), podman (a podman service
                        this run starts), docker-current / docker-current-containerd (Debian
                        trixie's Docker Engine in a container this run starts, classic or
                        containerd image store), or NAME=unix:///PATH | NAME=tcp://HOST:PORT
  --compression A,B     layer compressions to pull: gzip (default), zstd (engines that read it)
  --quick               only the variants marked quick (a small subset for smoke runs)
  -h, --help            show this help
`;

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${USAGE}`);
    this.name = 'UsageError';
  }
}

function positiveInteger(name: string, value: string | undefined, fallback: number, minimum = 1): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < minimum) throw new UsageError(`--${name} must be an integer ≥ ${minimum}, got "${value}"`);
  return parsed;
}

function networkProfiles(named: string | undefined, custom: readonly string[]): Array<NetworkProfile | null> {
  const texts = [...(named === undefined ? (custom.length > 0 ? [] : ['none']) : named.split(',')), ...custom];
  try {
    const profiles = texts.map(parseProfile);
    const names = profiles.map(profileName);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated) throw new Error(`network profile "${repeated}" is given twice`);
    return profiles;
  } catch (error) {
    throw new UsageError(`--profiles/--network: ${(error as Error).message}`);
  }
}

/** Parses argv into resolved options, or undefined when help was asked for. */
export function parseBenchArgs(argv: readonly string[], cwd = process.cwd()): BenchOptions | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        scenario: { type: 'string', multiple: true },
        variant: { type: 'string', multiple: true },
        repeat: { type: 'string' },
        'warm-repeat': { type: 'string' },
        warmup: { type: 'string' },
        seed: { type: 'string' },
        'drop-caches': { type: 'boolean' },
        profiles: { type: 'string' },
        network: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        out: { type: 'string' },
        registry: { type: 'string' },
        bases: { type: 'string' },
        quick: { type: 'boolean' },
        engine: { type: 'string', multiple: true },
        compression: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return undefined;
  const bases = values.bases ?? 'auto';
  if (!['upstream', 'local', 'auto'].includes(bases)) throw new UsageError(`--bases must be upstream, local or auto, got "${bases}"`);
  let engines;
  try {
    engines = parseEngineTargets(values.engine ?? []);
  } catch (error) {
    throw new UsageError(`--engine: ${(error as Error).message}`);
  }
  const compressions = (values.compression ?? 'gzip').split(',').map((item) => item.trim());
  const unknown = compressions.find((item) => item !== 'gzip' && item !== 'zstd');
  if (unknown !== undefined) throw new UsageError(`--compression takes gzip and/or zstd, got "${unknown}"`);
  if (!compressions.includes('gzip')) throw new UsageError('--compression must include gzip: the zstd images are made from the gzip ones and compared with them');
  return {
    engines,
    compressions: [...new Set(compressions)] as Compression[],
    scenarios: values.scenario ?? [],
    variantFilter: values.variant ?? [],
    repeat: positiveInteger('repeat', values.repeat, 5),
    warmRepeat: positiveInteger('warm-repeat', values['warm-repeat'], 10, 0),
    warmup: positiveInteger('warmup', values.warmup, 1, 0),
    seed: positiveInteger('seed', values.seed, randomInt(2 ** 31), 0),
    dropCaches: values['drop-caches'] ?? false,
    timeoutMs: positiveInteger('timeout', values.timeout, 30) * 1000,
    outDir: path.resolve(cwd, values.out ?? 'results'),
    registry: values.registry,
    bases: bases as BasesMode,
    quick: values.quick ?? false,
    profiles: networkProfiles(values.profiles, values.network ?? []),
  };
}
