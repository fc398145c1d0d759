import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../src/engine/connect.js';
import { silentLogger } from '../../src/log.js';
import { percentile } from '../../src/measure/stats.js';
import { runBench } from '../../src/pipeline/run.js';
import type { RunResults } from '../../src/results/types.js';

/** The default Go scenario, end to end, on the real engine and a real registry. */
describe('a run of the Go scenario', () => {
  let results: RunResults;
  let outDir: string;

  beforeAll(async () => {
    outDir = mkdtempSync(path.join(os.tmpdir(), 'basebench-it-'));
    results = await runBench(
      { scenarios: ['go-hello'], variantFilter: [], repeat: 2, warmRepeat: 1, timeoutMs: 30_000, outDir, bases: 'auto', quick: false },
      silentLogger,
      new AbortController().signal,
    );
  });

  it('completes both variants, each answering HTTP 200 with the expected body on every sample', () => {
    expect(results.state).toBe('completed');
    expect(results.variants.map((variant) => [variant.id, variant.state, variant.reason])).toEqual([
      ['go-hello/scratch', 'completed', undefined],
      ['go-hello/debian-slim', 'completed', undefined],
    ]);
    for (const variant of results.variants) {
      expect(variant.samples.map((sample) => `${sample.kind}:${sample.state}:${sample.httpStatus}`)).toEqual([
        'cold:completed:200',
        'cold:completed:200',
        'warm:completed:200',
      ]);
    }
  });

  it('pulls every layer from the registry on each cold sample', () => {
    for (const variant of results.variants) {
      for (const sample of variant.samples.filter((candidate) => candidate.kind === 'cold')) {
        expect(sample.pull).toEqual({ layersPulled: variant.image!.layerCount, layersAlreadyPresent: 0 });
        expect(sample.pullMs).toBeGreaterThan(0);
      }
    }
  });

  it('records image facts that match the registry and the engine', async () => {
    const [scratch, slim] = results.variants;
    expect(scratch!.image!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The slim variant carries a whole Debian userland on top of the same binary.
    expect(slim!.image!.compressedBytes).toBeGreaterThan(scratch!.image!.compressedBytes * 5);
    expect(slim!.image!.uncompressedBytes).toBeGreaterThan(slim!.image!.compressedBytes);
    const engine = await connectEngine(silentLogger);
    const facts = await engine.facts();
    expect(results.provenance.engine.version).toBe(facts.version);
    expect(results.provenance.engine.storageDriver).toBe(facts.storageDriver);
  });

  it('says which base source each variant was measured on', () => {
    const runtime = results.variants[1]!.bases.find((base) => base.role === 'runtime')!;
    expect(results.bases.find((base) => base.name === runtime.name)?.source).toBe(runtime.source);
    if (runtime.source === 'local') {
      expect(runtime.standsInFor).toBe('debian:bookworm-slim');
      expect(runtime.ref).toMatch(/^basebench-local\/debian-bookworm-slim:[0-9a-f]{12}$/);
    } else {
      expect(runtime.ref).toBe('debian:bookworm-slim');
    }
    expect(results.variants[0]!.bases.find((base) => base.role === 'runtime')!.source).toBe('empty');
  });

  it('writes reports whose numbers come from this run', () => {
    const dir = path.join(outDir, results.runId);
    for (const file of ['results.json', 'samples.csv', 'summary.csv', 'summary.md']) {
      expect(readFileSync(path.join(dir, file), 'utf8').length).toBeGreaterThan(100);
      expect(existsSync(path.join(outDir, 'latest', file))).toBe(true);
    }
    const written = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as RunResults;
    expect(written).toEqual(JSON.parse(JSON.stringify(results)));
    const summary = parse(readFileSync(path.join(dir, 'summary.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    for (const variant of results.variants) {
      const row = summary.find((candidate) => candidate.variant_id === variant.id)!;
      const pulls = variant.samples.filter((sample) => sample.kind === 'cold').map((sample) => sample.pullMs!);
      expect(Number(row.pull_median_ms)).toBeCloseTo(percentile(pulls, 0.5)!, 1);
      expect(row.image_digest).toBe(variant.image!.digest);
    }
    const samples = parse(readFileSync(path.join(dir, 'samples.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(samples).toHaveLength(6);
  });

  it('leaves no container of the run behind', async () => {
    const engine = await connectEngine(silentLogger);
    expect(await engine.containers.removeLabelled('basebench.run', results.runId)).toBe(0);
  });
});
