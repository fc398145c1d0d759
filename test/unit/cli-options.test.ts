import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { helpText, parseCommand, UsageError, wrapWords } from '../../src/cli/command.js';
import { benchCommand } from '../../src/cli/commands/bench.js';
import { COMMANDS } from '../../src/cli/main.js';

const parseBenchArgs = (argv: readonly string[]) => parseCommand(benchCommand, argv);

describe('the bench command line', () => {
  it('has defaults for a full run', () => {
    const { seed, ...defaults } = parseBenchArgs([])!;
    expect(Number.isInteger(seed)).toBe(true);
    expect(defaults).toEqual({
      scenarios: [],
      variantFilter: [],
      repeat: 5,
      baseCachedRepeat: 5,
      warmRepeat: 10,
      warmup: 1,
      dropCaches: false,
      profiles: [null],
      timeoutMs: 30_000,
      outDir: path.resolve('results'),
      registry: undefined,
      bases: 'auto',
      mirrors: [],
      quick: false,
      floor: true,
      set: 'article',
      engines: [{ name: 'docker', kind: 'docker' }],
      compressions: ['gzip'],
    });
  });

  it('takes engines as a list or repeated, with named endpoints, and compressions', () => {
    const options = parseBenchArgs([
      '--engine',
      'docker,podman',
      '--engine',
      'docker-current-containerd',
      '--engine',
      'lima=unix:///run/lima.sock',
      '--compression',
      'gzip,zstd',
    ])!;
    expect(options.engines).toEqual([
      { name: 'docker', kind: 'docker' },
      { name: 'podman', kind: 'podman' },
      { name: 'docker-current-containerd', kind: 'docker-current', containerdStore: true },
      { name: 'lima', kind: 'endpoint', endpoint: 'unix:///run/lima.sock' },
    ]);
    expect(options.compressions).toEqual(['gzip', 'zstd']);
  });

  it('refuses an unknown engine, a repeated one, a bad endpoint and zstd without gzip, naming the option', () => {
    expect(() => parseBenchArgs(['--engine', 'dockr'])).toThrow(/--engine: unknown engine "dockr"/);
    expect(() => parseBenchArgs(['--engine', 'podman,podman'])).toThrow(/--engine: engine "podman" is given twice/);
    expect(() => parseBenchArgs(['--engine', 'x=http://host'])).toThrow(/--engine: engine x: endpoint "http:\/\/host" must be/);
    expect(() => parseBenchArgs(['--engine', 'podman=unix:///x'])).toThrow(/"podman" is a built-in engine/);
    expect(() => parseBenchArgs(['--compression', 'zstd'])).toThrow(/--compression: must include gzip/);
    expect(() => parseBenchArgs(['--compression', 'gzip,brotli'])).toThrow(/--compression: takes gzip and\/or zstd, got "brotli"/);
  });

  it('takes fan-out levels with the cri engine alone, and the cluster engine alone with a registry', () => {
    expect(parseBenchArgs(['--engine', 'cri', '--fan-out', '4,1,2,2'])!.fanOut).toEqual([1, 2, 4]);
    expect(() => parseBenchArgs(['--engine', 'docker,cri', '--fan-out', '1,2'])).toThrow(/--fan-out: needs --engine cri alone/);
    expect(() => parseBenchArgs(['--engine', 'cri', '--fan-out', '2,4'])).toThrow(/--fan-out: must include 1/);
    expect(() => parseBenchArgs(['--engine', 'cri', '--fan-out', '1,9'])).toThrow(/--fan-out: takes node counts from 1 to 8/);
    expect(parseBenchArgs(['--engine', 'kubernetes=kind-x', '--registry', 'localhost:5001'])!.engines).toEqual([
      { name: 'kubernetes', kind: 'kubernetes', context: 'kind-x' },
    ]);
    expect(parseBenchArgs(['--engine', 'kubernetes', '--registry', 'localhost:5001', '--fan-out', '1,2'])!.fanOut).toEqual([1, 2]);
    expect(() => parseBenchArgs(['--engine', 'podman', '--fan-out', '1,2'])).toThrow(
      /--fan-out: needs --engine cri alone .* or kubernetes alone/,
    );
    expect(() => parseBenchArgs(['--engine', 'kubernetes'])).toThrow(/--engine: kubernetes needs --registry/);
    expect(() => parseBenchArgs(['--engine', 'docker,kubernetes', '--registry', 'r:5000'])).toThrow(/--engine: kubernetes measures alone/);
  });

  it('takes repeated scenarios and variants, and every option', () => {
    const options = parseBenchArgs([
      '--scenario',
      'go-hello',
      '--scenario',
      'x.yaml',
      '--variant',
      'scratch',
      '--repeat',
      '3',
      '--warm-repeat',
      '0',
      '--timeout',
      '10',
      '--out',
      'out',
      '--registry',
      'localhost:5000',
      '--bases',
      'local',
      '--quick',
      '--warmup',
      '2',
      '--seed',
      '42',
      '--drop-caches',
    ]);
    expect(options).toMatchObject({
      scenarios: ['go-hello', 'x.yaml'],
      variantFilter: ['scratch'],
      repeat: 3,
      warmRepeat: 0,
      timeoutMs: 10_000,
      outDir: path.resolve('out'),
      registry: 'localhost:5000',
      bases: 'local',
      quick: true,
      warmup: 2,
      seed: 42,
      dropCaches: true,
    });
  });

  it('takes network profiles by name and custom ones', () => {
    expect(parseBenchArgs(['--profiles', 'none,cloud', '--network', '50mbit,30ms'])!.profiles).toEqual([
      null,
      { name: 'cloud', bitsPerSecond: 100_000_000, rttMs: 20 },
      { name: '50mbit,30ms', bitsPerSecond: 50_000_000, rttMs: 30 },
    ]);
    expect(parseBenchArgs(['--network', '5,100'])!.profiles).toEqual([{ name: '5mbit,100ms', bitsPerSecond: 5_000_000, rttMs: 100 }]);
  });

  it('takes mirrors per upstream registry', () => {
    expect(parseBenchArgs(['--mirror', 'docker.io=127.0.0.1:5000', '--mirror', 'gcr.io=harbor.example.com/gcr/'])!.mirrors).toEqual([
      { registry: 'docker.io', via: '127.0.0.1:5000' },
      { registry: 'gcr.io', via: 'harbor.example.com/gcr' },
    ]);
  });

  it('answers --help with nothing to run', () => {
    expect(parseBenchArgs(['--help'])).toBeUndefined();
  });

  it.each([
    [['--repeat', '0'], '--repeat: must be an integer ≥ 1, got "0"'],
    [['--bases', 'cloud'], '--bases: must be upstream, local or auto, got "cloud"'],
    [['--frobnicate'], "Unknown option '--frobnicate'"],
    [['--profiles', 'none,warp'], 'network profile "warp": use one of'],
    [['--profiles', 'cloud,cloud'], 'network profile "cloud" is given twice'],
    [['--mirror', '127.0.0.1:5000'], '--mirror: "127.0.0.1:5000" is not REGISTRY=HOST[/PREFIX]'],
    [['--mirror', 'docker.io=a:1', '--mirror', 'docker.io=b:2'], '--mirror: docker.io is given two mirrors'],
  ])('rejects %j with a usage message', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(UsageError);
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});

describe('the list of commands in basebench --help', () => {
  it('gives each command one line that fits 100 columns', () => {
    const width = Math.max(...COMMANDS.map((item) => item.name.length)) + 2;
    const lines = COMMANDS.map((item) => `  ${item.name.padEnd(width)}${item.title}`);
    expect(lines.filter((line) => line.includes('\n') || line.length > 100)).toEqual([]);
    expect(COMMANDS.filter((item) => item.title.trim() === '' || /[,:;]$/.test(item.title)).map((item) => item.name)).toEqual([]);
  });
});

describe("each command's help", () => {
  it('wraps every option between words to fit 110 columns, whatever width its text was written at', () => {
    const overlong = COMMANDS.flatMap((item) =>
      helpText(item)
        .split('\n')
        .filter((line) => line.length > 110)
        .map((line) => `${item.name}: ${line}`),
    );
    expect(overlong).toEqual([]);
    expect(wrapWords('a bb  ccc\ndddd', 6)).toEqual(['a bb', 'ccc', 'dddd']);
    expect(wrapWords('averyveryverylongword x', 6)).toEqual(['averyveryverylongword', 'x']);
  });
});
