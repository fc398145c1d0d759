import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/common/log.js';
import { rehearse } from '../../src/pipeline/rehearsal.js';
import { readRunStates } from '../../src/pipeline/run-state.js';
import { benchOptions } from '../fixtures/bench-options.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

describe('a rehearsal of the upstream path (npm run rehearse)', () => {
  const outDir = suiteTempDir();

  it('resolves, pulls by reference through the mirror, builds and measures, and says the bytes are stand-ins', async () => {
    const results = await rehearse(
      benchOptions({ quick: true, variantFilter: ['go-hello/distroless-static', 'python-hello/distroless-python3'], outDir: outDir() }),
      silentLogger,
      new AbortController().signal,
    );
    expect(results.variants.map((variant) => [variant.id, variant.state])).toEqual([
      ['go-hello/distroless-static', 'completed'],
      ['python-hello/distroless-python3', 'completed'],
    ]);
    expect(results.provenance.bases.mode).toBe('upstream');
    expect(results.provenance.bases.rehearsal).toBe(true);
    const [dockerHub, gcr] = results.provenance.bases.mirrors!;
    expect(dockerHub!.registry).toBe('docker.io');
    expect(gcr).toEqual({ registry: 'gcr.io', via: `${dockerHub!.via}/gcr.io` });
    const pulled = results.bases.filter((base) => base.source !== 'empty');
    expect(pulled.map((base) => [base.name, base.source, base.mirror?.upstream, base.ref])).toEqual([
      ['go-builder', 'upstream', 'golang:1.23', `${dockerHub!.via}/library/golang:1.23`],
      ['distroless-static-debian12', 'upstream', 'gcr.io/distroless/static-debian12', `${gcr!.via}/distroless/static-debian12`],
      ['python-3.12-slim', 'upstream', 'python:3.12-slim', `${dockerHub!.via}/library/python:3.12-slim`],
      ['distroless-python3-debian12', 'upstream', 'gcr.io/distroless/python3-debian12', `${gcr!.via}/distroless/python3-debian12`],
    ]);
    for (const base of pulled) expect(base.digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    // Every line of the reports that names an upstream base says it is a rehearsal.
    const report = readFileSync(path.join(outDir(), results.runId, 'report.md'), 'utf8');
    const naming = report.split('\n').filter((line) => /gcr\.io\/distroless\/(static|python3)-debian12 via/.test(line));
    expect(naming.length).toBeGreaterThanOrEqual(2);
    for (const line of naming) expect(line).toContain('rehearsal: stand-in bytes');

    // Nothing of the rehearsal's registry is left: not its tags in the engine, its process, its storage or its state.
    const tags = (await new Docker().listImages()).flatMap((image) => image.RepoTags ?? []);
    expect(tags.filter((tag) => tag.startsWith(`${dockerHub!.via}/`))).toEqual([]);
    expect(readRunStates().filter((state) => state.command === 'basebench rehearse')).toEqual([]);
    expect(
      await fetch(`http://${dockerHub!.via}/v2/`).then(
        () => 'answers',
        () => 'gone',
      ),
    ).toBe('gone');
    expect(existsSync(path.join(outDir(), results.runId, 'results.json'))).toBe(true);
  });
});
