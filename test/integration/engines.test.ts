import { existsSync, readdirSync } from 'node:fs';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEngineTargets } from '../../src/engine/targets.js';
import { ENGINE_STATE_ROOT } from '../../src/engine/open-engines.js';
import { silentLogger } from '../../src/common/log.js';
import { coldPull } from '../../src/measure/cold-pull.js';
import { openSession } from '../../src/pipeline/bench-session.js';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import type { ImageFacts, RunResults } from '../../src/results/types.js';
import { benchOptions, measuredRun } from '../fixtures/bench-options.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';
import { linkSetup } from '../fixtures/host-links.js';
import { projectCatalog } from '../fixtures/catalog.js';

const ENGINES = parseEngineTargets(['docker,podman,docker-current,docker-current-containerd']);

/** What the host engine's network looks like: its bridge and its firewall rules (counters left out). */
async function hostNetwork(): Promise<string> {
  const bridge = linkSetup((await execa('ip', ['-o', 'link', 'show', 'dev', 'docker0'], { reject: false })).stdout);
  const address = (await execa('ip', ['-o', '-4', 'addr', 'show', 'dev', 'docker0'], { reject: false })).stdout;
  const rules = (await execa('iptables', ['-S'], { reject: false })).stdout;
  const nat = (await execa('iptables', ['-t', 'nat', '-S'], { reject: false })).stdout;
  return [bridge, address, rules, nat].join('\n');
}

const leftoverEngineFolders = () => (existsSync(ENGINE_STATE_ROOT) ? readdirSync(ENGINE_STATE_ROOT) : []);

/** The quick matrix on every engine this machine can run, gzip and zstd, interleaved in one run. */
describe('a run on docker, podman, docker-current and docker-current-containerd', () => {
  const outDir = suiteTempDir();
  let results: RunResults;
  let networkBefore: string;

  beforeAll(async () => {
    networkBefore = await hostNetwork();
    results = await measuredRun({
      quick: true,
      repeat: 1,
      warmRepeat: 1,
      outDir: outDir(),
      engines: ENGINES,
      compressions: ['gzip', 'zstd'],
    });
  });

  it('records each engine with its image store and runtime', () => {
    expect(results.provenance.engines!.map((engine) => [engine.name, engine.product, engine.imageStore])).toEqual([
      ['docker', 'Docker Engine', 'classic'],
      ['podman', 'Podman', 'containers-storage'],
      ['docker-current', 'Docker Engine', 'classic'],
      ['docker-current-containerd', 'Docker Engine', 'containerd'],
    ]);
    const byName = new Map(results.provenance.engines!.map((engine) => [engine.name, engine]));
    expect(byName.get('podman')).toMatchObject({
      product: 'Podman',
      imageStore: 'containers-storage',
      runtime: expect.stringMatching(/^runc/),
    });
    expect(byName.get('docker-current')).toMatchObject({
      product: 'Docker Engine',
      imageStore: 'classic',
      version: expect.stringMatching(/^2[6-9]\./),
    });
    expect(byName.get('docker-current-containerd')).toMatchObject({ product: 'Docker Engine', imageStore: 'containerd' });
    expect(results.provenance.container!.ulimits).toEqual(['nofile=1024:1024', 'nproc=1000:1000']);
  });

  it('answers on every engine, each cold pull proven cold by the bytes the registry sent', () => {
    expect(results.variants.map((variant) => [variant.id, variant.state, variant.reason])).toEqual(
      [
        'go-hello/scratch',
        'go-hello/scratch-upx',
        'go-hello/distroless-static',
        'go-hello/debian-slim',
        'python-hello/distroless-python3',
      ].map((id) => [id, 'completed', undefined]),
    );
    for (const variant of results.variants) {
      for (const sample of variant.samples.filter((item) => item.kind === 'cold')) {
        const image =
          sample.compression === 'zstd' ? variant.image!.recompressed!.find((copy) => copy.compression === 'zstd')! : variant.image!;
        expect(sample.pull, `${variant.id} on ${sample.engine}`).toMatchObject({
          proof: 'registry-log',
          layersPulled: variant.image!.layerCount,
          layersAlreadyPresent: 0,
          bytesServed: image.compressedBytes,
        });
      }
    }
  });

  it('takes zstd samples on the engines that read zstd, and none on Docker 20.10', () => {
    const zstdEngines = new Set(
      results.variants.flatMap((variant) =>
        variant.samples.filter((sample) => sample.compression === 'zstd').map((sample) => sample.engine),
      ),
    );
    const readers = results.provenance.engines!.filter((engine) => engine.zstd.reads).map((engine) => engine.name);
    expect([...zstdEngines].sort()).toEqual([...readers].sort());
    expect(readers).toEqual(expect.arrayContaining(['podman', 'docker-current', 'docker-current-containerd']));
    const zstdImage = results.variants.find((variant) => variant.id === 'go-hello/debian-slim')!.image!.recompressed![0]!;
    expect(zstdImage.layers.every((layer) => layer.mediaType === 'application/vnd.oci.image.layer.v1.tar+zstd')).toBe(true);
  });

  it("leaves the host engine's bridge and firewall as they were, and no engine, bridge or folder of its own", async () => {
    expect(await hostNetwork()).toBe(networkBefore);
    expect(leftoverEngineFolders().filter((name) => name.startsWith(results.runId))).toEqual([]);
    expect((await execa('ip', ['-o', 'link', 'show', 'type', 'bridge'])).stdout).not.toMatch(/ bb-[0-9a-f]{8}:/);
    // The host engine still starts a container with a published port once the inner engines are gone.
    const image = (
      await execa('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}', 'basebench-engine/docker-current'])
    ).stdout.split('\n')[0]!;
    const run = await execa('docker', ['run', '--rm', '-p', '127.0.0.1::80', '--entrypoint', 'true', image], { reject: false });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
  });
});

/** A pull that finds anything already present is not cold: caught on every engine. */
describe('a pull of an image the engine already has', () => {
  const outDir = suiteTempDir();

  it('fails as not cold on each engine', async () => {
    const catalog = projectCatalog();
    const session = await openSession(benchOptions({ outDir: outDir(), engines: ENGINES }), catalog, `test-${process.pid}`, silentLogger);
    try {
      const ref = `${session.registry.host}/basebench-test/warm:1`;
      const builder = session.builder.client.images;
      // A one-layer image of a few files: the harness's own folder is to hand and small enough.
      const { Readable } = await import('node:stream');
      const tar = await execa('tar', ['-c', '-C', PROJECT_ROOT, 'scenarios/go-hello'], { encoding: 'buffer' });
      await builder.importRootfs(Readable.from([tar.stdout]), ref);
      const digest = await builder.push(ref);
      const manifest = (await (
        await fetch(`${session.registry.url}/v2/basebench-test/warm/manifests/${digest}`, {
          headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
        })
      ).json()) as {
        config: { digest: string; size: number; mediaType: string };
        layers: Array<{ digest: string; size: number; mediaType: string }>;
      };
      const details = (await builder.inspect(ref))!;
      const image: ImageFacts = {
        ref,
        digest,
        compressedBytes: 0,
        uncompressedBytes: details.sizeBytes,
        layerCount: 1,
        diffIds: details.diffIds,
        layers: manifest.layers,
        config: manifest.config,
      };
      for (const engine of session.engines) {
        const context = {
          engine: engine.client,
          engineName: engine.name,
          log: silentLogger,
          runLabel: 'test',
          timeoutMs: 10_000,
          accessLog: session.registry.accessLog!,
        };
        await engine.client.images.pull(ref);
        const pulled = await coldPull(image, context);
        expect(pulled.ok, engine.name).toBe(false);
        if (!pulled.ok) expect(pulled.failure.error, engine.name).toMatch(/pull was not cold: the registry sent 0 of 1 layers in full/);
        if (engine.name === 'docker-current-containerd') {
          // The containerd store's content is what the purge must also find empty.
          expect(await engine.storedBlobs(manifest.layers.map((layer) => layer.digest))).toEqual([manifest.layers[0]!.digest]);
          await engine.client.images.remove(ref);
          expect(await engine.storedBlobs(manifest.layers.map((layer) => layer.digest))).toEqual([]);
        }
      }
    } finally {
      await session.close();
    }
  });
});

/**
 * Docker 26's containerd image store lists an image and its zstd copy (one config) as one entry under one name: a purge
 * by the list alone left the other name holding the layers, and the next cold pull fetched nothing. Built on that
 * engine too: its push reports the digest only in a status line, and it pushes the layers it imported (the stand-in
 * base's) uncompressed, which the harness gzips.
 */
describe('cold samples on the containerd image store, an image beside its zstd copy', () => {
  const outDir = suiteTempDir();

  it('are each proven cold, round after round, with warm samples between them', async () => {
    const results = await measuredRun({
      scenarios: ['go-hello'],
      variantFilter: ['distroless-static'],
      repeat: 3,
      warmRepeat: 1,
      seed: 7,
      outDir: outDir(),
      engines: parseEngineTargets(['docker-current-containerd']),
      compressions: ['gzip', 'zstd'],
    });
    const image = results.variants[0]!.image!;
    expect(image.gzippedByHarness).toBe(true);
    expect(image.layers!.filter((layer) => !/gzip$/.test(layer.mediaType))).toEqual([]);
    expect(image.compressedBytes).toBeLessThan(image.uncompressedBytes);
    const cold = results.variants[0]!.samples.filter((sample) => sample.kind === 'cold');
    expect(cold).toHaveLength(6);
    expect(cold.map((sample) => [sample.compression, sample.state, sample.error, sample.pull?.proof])).toEqual(
      cold.map((sample) => [sample.compression, 'completed', undefined, 'registry-log']),
    );
  });
});
