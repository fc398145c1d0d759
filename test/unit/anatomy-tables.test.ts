import { describe, expect, it } from 'vitest';
import { finalStageInstructions } from '../../src/measure/anatomy.js';
import { describeLayers } from '../../src/measure/anatomy.js';
import { cacheTable, efficiencyTable, kindsTable, sharedLayersTable } from '../../src/report/anatomy-tables.js';
import type { ImageAnatomy, RunResults, Sample } from '../../src/results/types.js';
import { sampleOf, variantOf } from '../fixtures/builders.js';
import { SMALL_RUN } from '../fixtures/small-run.js';

const efficiency = {
  score: 1,
  hiddenBytes: 0,
  diveWastedBytes: 0,
  overwrittenFiles: 0,
  deletedFiles: 0,
  whiteouts: 0,
  opaqueDirectories: 0,
};
const baseAnatomy: ImageAnatomy = {
  layers: [{ digest: 'sha256:aaaaaaaaaaaaaaaa', compressedBytes: 29e6, fileBytes: 74e6, files: 4000, createdBy: '', origin: 'base' }],
  efficiency,
  kinds: [
    { kind: 'C library', files: 10, bytes: 4e6 },
    { kind: 'shell and core utilities', files: 300, bytes: 27e6 },
    { kind: 'other', files: 3690, bytes: 43e6 },
  ],
  setuid: ['/usr/bin/su'],
};

function runWithAnatomy(): RunResults {
  const run = structuredClone(SMALL_RUN);
  run.bases[0]!.facts = {
    compressedBytes: 29e6,
    uncompressedBytes: 74e6,
    layerCount: 1,
    packages: { count: 88, database: 'dpkg status' },
    shell: true,
    packageManager: 'apt',
    cves: { scanner: null },
    anatomy: baseAnatomy,
  };
  const variant = run.variants[0]!;
  variant.image!.anatomy = {
    layers: [
      baseAnatomy.layers[0]!,
      {
        digest: 'sha256:bbbbbbbbbbbbbbbb',
        compressedBytes: 2.2e6,
        fileBytes: 5e6,
        files: 1,
        createdBy: 'COPY --from=build /server /server',
        origin: 'builder output',
      },
    ],
    efficiency: { ...efficiency, score: 0.5, hiddenBytes: 3e6, diveWastedBytes: 6e6, overwrittenFiles: 1 },
    kinds: [...baseAnatomy.kinds, { kind: 'app', files: 1, bytes: 5e6 }],
    setuid: ['/usr/bin/su'],
  };
  const cached = (repetition: number, totalMs: number): Sample => ({
    kind: 'base-cached',
    repetition,
    state: 'completed',
    engine: 'docker',
    compression: 'gzip',
    pullMs: totalMs - 210,
    createMs: 10,
    startToFirstResponseMs: 200,
    totalMs,
  });
  variant.samples.push(cached(1, 500), cached(2, 400), cached(3, 450));
  return run;
}

describe('the anatomy tables', () => {
  const run = runWithAnatomy();

  it('put cold, base-cached and warm side by side, with the ratio', () => {
    const table = cacheTable(run);
    // Cold totals 1210, 1630, 1510 (median 1510); base-cached 400, 450, 500 (median 450); warm 186.
    expect(table.rows).toEqual([['go-hello/debian-slim', '31 MB', '2.2 MB', '1.51 s', '450 ms', '240 ms', '0.30×', '186 ms']]);
  });

  it('say the pick changes with the base cached only where a round-by-round interval decides it', () => {
    // Cold: scratch 50 ms faster in every round. Base cached: debian-slim has the lower median (400 against 410 ms), but
    // round by round the two swap by 120 ms: a tie, where a pick by medians said "debian-slim beats scratch".
    const rounds = [...Array(8).keys()].map((index) => index + 1);
    const swing = (round: number) => (round % 2 === 0 ? 60 : -60);
    const samples = (cold: number, cached: (round: number) => number) =>
      rounds.flatMap((round) => [
        sampleOf({ round, kind: 'cold', totalMs: cold + round }),
        sampleOf({ round, kind: 'base-cached', totalMs: cached(round) }),
      ]);
    const tied = structuredClone(SMALL_RUN);
    const image = tied.variants[0]!.image!;
    tied.variants = [
      variantOf(
        'go-hello/scratch',
        samples(1000, (round) => 410 - swing(round)),
        { image },
      ),
      variantOf(
        'go-hello/debian-slim',
        samples(1050, (round) => 400 + swing(round)),
        { image },
      ),
    ];
    const notes = cacheTable(tied).notes!.join('\n');
    expect(notes).not.toContain('beats');
    expect(notes).toMatch(/go: cold, scratch; with the base cached, a tie between debian-slim, scratch \(against scratch: no difference/);
    // Decided the other way round: debian-slim 40 ms faster with the base cached in every round.
    const decided = structuredClone(tied);
    decided.variants[1] = variantOf(
      'go-hello/debian-slim',
      samples(1050, (round) => 370 + round),
      { image },
    );
    decided.variants[0] = variantOf(
      'go-hello/scratch',
      samples(1000, (round) => 410 + round),
      { image },
    );
    expect(cacheTable(decided).notes!.join('\n')).toMatch(
      /go: cold, scratch; with the base cached, debian-slim \(against scratch: faster by 40 ms \(/,
    );
  });

  it('say what each base is made of, by kind, with setuid files and efficiency', () => {
    const table = kindsTable(run);
    expect(table.header.slice(0, 3)).toEqual(['base', 'files total', 'C library']);
    expect(table.rows[0]).toEqual([
      'debian-bookworm-slim',
      '74 MB',
      '4.0 MB',
      '0 MB',
      '0 MB',
      '0 MB',
      '0 MB',
      '0 MB',
      '27 MB',
      '43 MB',
      '1',
      '100%',
    ]);
  });

  it('count layers by origin and give hidden bytes and dive’s figures per variant', () => {
    expect(efficiencyTable(run).rows).toEqual([
      ['go-hello/debian-slim', '1 / 1 / 0', '2.2 MB', '50.0%', '3.0 MB', '6.0 MB', '1 / 0', '0 / 0'],
    ]);
  });

  it('list only the layers more than one variant ships', () => {
    expect(sharedLayersTable(run).rows).toEqual([]);
    const twice = structuredClone(run);
    twice.variants.push({ ...structuredClone(run.variants[0]!), id: 'go-hello/debian-slim-2', variant: 'debian-slim-2' });
    expect(sharedLayersTable(twice).rows.map((row) => row.slice(0, 4))).toEqual([
      ['aaaaaaaaaaaa', '29 MB', 'debian-bookworm-slim', '2'],
      ['bbbbbbbbbbbb', '2.2 MB', 'builder output', '2'],
    ]);
  });
});

describe('layer origins from the Dockerfile', () => {
  const dockerfile = [
    'ARG BASE_IMAGE=scratch',
    'FROM golang AS build',
    'RUN go build \\',
    '  -o /server .',
    'FROM $BASE_IMAGE',
    '# a comment',
    'COPY --from=build /server /server',
    'COPY www /www',
    'USER 65532',
  ].join('\n');

  it('takes the last stage’s COPY, ADD and RUN lines in order', () => {
    expect(finalStageInstructions(dockerfile)).toEqual(['COPY --from=build /server /server', 'COPY www /www']);
  });

  it('matches them to the layers above the base, and falls back on the history when they do not match one to one', () => {
    const layers = ['a', 'b', 'c'].map((digest) => ({ digest, size: 1, mediaType: 'gzip' }));
    const config = {
      history: [{ created_by: 'ADD rootfs.tar /' }, { empty_layer: true, created_by: 'CMD' }, { created_by: 'x' }, { created_by: 'y' }],
    };
    expect(describeLayers(layers, config, 1, finalStageInstructions(dockerfile))).toEqual([
      { createdBy: 'ADD rootfs.tar /', origin: 'base' },
      { createdBy: 'COPY --from=build /server /server', origin: 'builder output' },
      { createdBy: 'COPY www /www', origin: 'app' },
    ]);
    expect(describeLayers(layers, config, 2, finalStageInstructions(dockerfile))[2]).toEqual({ createdBy: 'y', origin: 'app' });
  });
});
