import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { findBase } from '../../src/bases/catalog.js';
import { defaultBaseCacheDir, ensureLocalBase } from '../../src/bases/local-bases.js';
import { connectEngine } from '../../src/engine/connect.js';
import { silentLogger } from '../../src/common/log.js';
import { percentile } from '../../src/common/stats.js';
import { measuredRun } from '../fixtures/bench-options.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';
import type { RunResults, VariantResult } from '../../src/results/types.js';
import { projectCatalog } from '../fixtures/catalog.js';

const QUICK_VARIANTS = [
  'go-hello/scratch',
  'go-hello/scratch-upx',
  'go-hello/distroless-static',
  'go-hello/debian-slim',
  'python-hello/distroless-python3',
  // The engine's floor, measured beside the variants in every run.
  'floor/scratch',
];

/** The quick subset of the matrix, end to end, on the real engine and a real registry. */
describe('a run of the quick matrix', () => {
  let results: RunResults;
  const tempDir = suiteTempDir();
  let outDir: string;

  beforeAll(async () => {
    outDir = tempDir();
    results = await measuredRun({ repeat: 2, baseCachedRepeat: 1, warmRepeat: 1, outDir, quick: true, floor: true });
  });

  const variant = (id: string): VariantResult => results.variants.find((candidate) => candidate.id === id)!;

  it('completes every variant, each answering HTTP 200 with the expected body on every sample', () => {
    expect(results.state).toBe('completed');
    expect(results.variants.map((candidate) => [candidate.id, candidate.state, candidate.reason])).toEqual(
      QUICK_VARIANTS.map((id) => [id, 'completed', undefined]),
    );
    for (const variant of results.variants) {
      // Base-cached samples only where the runtime base has layers to cache (not scratch).
      const onScratch = variant.bases.find((base) => base.role === 'runtime')!.name === 'scratch';
      // Kinds are shuffled together within a round: compared as a set of samples.
      expect(variant.samples.map((sample) => `${sample.kind}:${sample.state}:${sample.httpStatus}`).sort()).toEqual(
        ['cold:completed:200', 'cold:completed:200', ...(onScratch ? [] : ['base-cached:completed:200']), 'warm:completed:200'].sort(),
      );
      // And interleaved: the warm sample is taken in a round that also takes a cold one.
      const warmRound = variant.samples.find((sample) => sample.kind === 'warm')!.round;
      expect(variant.samples.some((sample) => sample.kind === 'cold' && sample.round === warmRound)).toBe(true);
      // Memory read from the container's processes, never 0.
      const memory = variant.samples.find((sample) => sample.kind === 'warm')!.memory!;
      expect(memory.processes?.rssBytes, variant.id).toBeGreaterThan(0);
    }
  });

  it("pulls only the app's layers on a base-cached sample: the base's were present, by the registry's log", () => {
    for (const id of ['go-hello/distroless-static', 'go-hello/debian-slim', 'python-hello/distroless-python3']) {
      const image = variant(id).image!;
      const baseLayers = image.anatomy!.layers.filter((layer) => layer.origin === 'base');
      const appLayers = image.anatomy!.layers.filter((layer) => layer.origin !== 'base');
      expect(baseLayers.length, id).toBeGreaterThan(0);
      const sample = variant(id).samples.find((candidate) => candidate.kind === 'base-cached')!;
      expect(sample.pull, id).toMatchObject({
        proof: 'registry-log',
        layersPulled: appLayers.length,
        layersAlreadyPresent: baseLayers.length,
      });
      // The registry sent the app's layers and the config, and nothing of the base.
      expect(sample.pull!.bytesServed, id).toBe(appLayers.reduce((sum, layer) => sum + layer.compressedBytes, 0) + image.config!.size);
    }
  });

  it("measures the engine's floor in the same rounds and reports each variant above it", () => {
    const floor = variant('floor/scratch');
    expect(floor.floor).toBe(true);
    expect(floor.image!.binaryBytes).toBeLessThan(2e6);
    // Every cold round holds one sample of the floor, so every variant's cold sample has a partner.
    const rounds = (id: string) =>
      new Set(
        variant(id)
          .samples.filter((sample) => sample.kind === 'cold')
          .map((sample) => sample.round),
      );
    expect(rounds('floor/scratch')).toEqual(rounds('go-hello/debian-slim'));
    const report = readFileSync(path.join(outDir, results.runId, 'report.md'), 'utf8');
    expect(report).toContain("## Above the engine's floor");
    expect(report).toMatch(/\| go-hello\/debian-slim \| -?[0-9.]+ (ms|s)/);
  });

  it("reads every variant's layers and its runtime base's files", () => {
    expect(variant('go-hello/debian-slim').image!.anatomy!.layers.map((layer) => [layer.origin, layer.createdBy])).toEqual([
      ['base', expect.any(String)],
      ['builder output', 'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/'],
      ['builder output', 'COPY --from=build /server /server'],
    ]);
    const kinds = (name: string) =>
      Object.fromEntries(results.bases.find((base) => base.name === name)!.facts!.anatomy!.kinds.map((kind) => [kind.kind, kind.bytes]));
    expect(kinds('debian-bookworm-slim')['C library']).toBeGreaterThan(1e6);
    expect(kinds('debian-bookworm-slim')['shell and core utilities']).toBeGreaterThan(1e6);
    expect(kinds('distroless-static-debian12')['shell and core utilities']).toBeUndefined();
    expect(kinds('distroless-python3-debian12')['language runtime']).toBeGreaterThan(5e6);
    expect(results.bases.find((base) => base.name === 'debian-bookworm-slim')!.facts!.anatomy!.setuid).toContain('/usr/bin/su');
  });

  it('pulls every layer from the registry on each cold sample', () => {
    for (const variant of results.variants) {
      for (const sample of variant.samples.filter((candidate) => candidate.kind === 'cold')) {
        expect(sample.pull).toMatchObject({ layersPulled: variant.image!.layerCount, layersAlreadyPresent: 0 });
        expect(sample.pullMs).toBeGreaterThan(0);
        // The registry sent every byte of the image: proven cold by the registry, not by the engine's word.
        expect(sample.pull).toMatchObject({ proof: 'registry-log', bytesServed: variant.image!.compressedBytes });
      }
    }
  });

  it('records image facts that match the registry and the engine', async () => {
    const [scratch, slim] = [variant('go-hello/scratch'), variant('go-hello/debian-slim')];
    expect(scratch!.image!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The slim variant carries a whole Debian userland on top of the same binary.
    expect(slim!.image!.compressedBytes).toBeGreaterThan(scratch!.image!.compressedBytes * 5);
    expect(slim!.image!.uncompressedBytes).toBeGreaterThan(slim!.image!.compressedBytes);
    const engine = await connectEngine(silentLogger);
    const facts = await engine.facts();
    expect(results.provenance.engines[0]).toMatchObject({
      name: 'docker',
      version: facts.version,
      storageDriver: facts.storageDriver,
      imageStore: facts.imageStore,
    });
  });

  it('says which base source each variant was measured on', () => {
    const runtime = variant('go-hello/debian-slim').bases.find((base) => base.role === 'runtime')!;
    expect(results.bases.find((base) => base.name === runtime.name)?.source).toBe(runtime.source);
    if (runtime.source === 'local') {
      expect(runtime.standsInFor).toBe('debian:bookworm-slim');
      expect(runtime.ref).toMatch(/^basebench-local\/debian-bookworm-slim:[0-9a-f]{12}$/);
    } else {
      expect(runtime.ref).toBe('debian:bookworm-slim');
    }
    expect(variant('go-hello/scratch').bases.find((base) => base.role === 'runtime')!.source).toBe('empty');
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
    expect(samples).toHaveLength(results.variants.reduce((sum, candidate) => sum + candidate.samples.length, 0));
  });

  it('builds a Debian slim base, a builder and distroless-style bases that variants answer HTTP on', () => {
    const used = new Set(results.variants.flatMap((candidate) => candidate.bases.map((base) => base.name)));
    for (const name of ['debian-bookworm-slim', 'go-builder', 'upx-packer', 'distroless-static-debian12', 'distroless-python3-debian12']) {
      expect(used).toContain(name);
      const base = results.bases.find((candidate) => candidate.name === name)!;
      expect(base.digest).toMatch(/^sha256:/);
      if (base.source === 'local') expect(base.standsInFor).toBe(findBase(projectCatalog(), name)!.upstream);
    }
  });

  it('gives distroless-style images no shell and no package manager', async () => {
    const engine = await connectEngine(silentLogger);
    const catalog = projectCatalog();
    for (const name of ['distroless-static-debian12', 'distroless-python3-debian12']) {
      const base = results.bases.find((candidate) => candidate.name === name)!;
      // The cold-cache purges may have removed it since; bring it back the way the run got it.
      if (base.source === 'local')
        await ensureLocalBase(findBase(catalog, name)!, {
          images: engine.images,
          log: silentLogger,
          catalog,
          cacheDir: defaultBaseCacheDir(),
        });
      else await engine.images.pull(base.ref);
      expect(await engine.images.statPath(base.ref, '/etc/passwd')).toBeDefined();
      for (const absent of ['/bin/sh', '/usr/bin/sh', '/bin/bash', '/usr/bin/dpkg', '/usr/bin/apt-get', '/sbin/apk']) {
        expect(await engine.images.statPath(base.ref, absent), `${name} has ${absent}`).toBeUndefined();
      }
    }
  });

  it('packs the binary of a UPX variant smaller than the unpacked one, and it still answers', () => {
    for (const [packed, unpacked] of [['go-hello/scratch-upx', 'go-hello/scratch']] as const) {
      expect(variant(packed).upx).toEqual({ unpackedVariant: unpacked });
      expect(variant(packed).state).toBe('completed');
      expect(variant(packed).image!.binaryBytes).toBeLessThan(variant(unpacked).image!.binaryBytes!);
      expect(variant(packed).image!.binaryBytes).toBeGreaterThan(0);
    }
  });

  it('leaves no container of the run behind, and no image tagged for its registry (variants, bases pushed for facts)', async () => {
    const engine = await connectEngine(silentLogger);
    expect(await engine.containers.removeLabelled('basebench.run', results.runId)).toBe(0);
    const host = new URL(results.provenance.registry.url).host;
    const tagged = (await engine.images.list()).flatMap((image) => image.tags.filter((tag) => tag.startsWith(`${host}/`)));
    expect(tagged).toEqual([]);
  });
});
