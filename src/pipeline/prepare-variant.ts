import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Engine } from '../engine/clients.js';
import { dockerCredentials, splitReference } from '../engine/credentials.js';
import type { Logger } from '../common/log.js';
import { fetchManifestFacts } from '../registry/manifest.js';
import { pushToRegistry } from '../registry/push.js';
import { pushRecompressed } from '../registry/recompress.js';
import type { Registry } from '../registry/registry.js';
import type { BaseUse, ImageFacts } from '../results/types.js';
import type { PlannedVariant } from './plan.js';
import { TailBuffer } from '../common/tail-buffer.js';

export interface PrepareContext {
  /** The run's id, on the labels of the images it builds. */
  runLabel: string;
  engine: Engine;
  registry: Registry;
  logDir: string;
  log: Logger;
}

export type Prepared = { ok: true; image: ImageFacts; buildMs: number } | { ok: false; reason: string; logTail: string };

/** The build args that hand each resolved base to the variant's Dockerfile. */
const BUILD_ARG_FOR_ROLE: Record<BaseUse['role'], string> = {
  builder: 'BUILDER_IMAGE',
  packer: 'PACKER_IMAGE',
  runtime: 'BASE_IMAGE',
};

type ManifestFacts = Awaited<ReturnType<typeof fetchManifestFacts>>;

/**
 * The image as the registry holds it, with gzip layers. An engine on the containerd image store (Docker 26, the
 * default of Docker 29) pushes layers it imported (the stand-in bases, loaded from tarballs) as uncompressed tars,
 * which no upstream base is: their pulls would move several times the bytes. Such layers are gzipped here, at the
 * level Docker uses, and the image pushed again under its tag; the variant records it (gzippedByHarness).
 */
async function gzippedWhereUncompressed(
  pushed: ManifestFacts & { digest: string },
  ref: string,
  repositoryPath: string,
  context: PrepareContext,
): Promise<ManifestFacts & { digest: string }> {
  const uncompressed = pushed.layers.filter((layer) => /\.tar$/.test(layer.mediaType));
  if (uncompressed.length === 0) return pushed;
  context.log.info(`${ref}: the engine pushed ${uncompressed.length} layer(s) uncompressed; pushing it again with them gzipped`);
  const copy = await pushRecompressed(
    {
      ...(context.registry.storage ? { workRoot: context.registry.storage } : {}),
      registryUrl: context.registry.url,
      host: context.registry.host,
      repository: repositoryPath,
      tag: splitReference(ref).tag,
      config: pushed.config!,
      layers: pushed.layers,
    },
    'gzip',
  );
  const facts = await fetchManifestFacts(context.registry.url, repositoryPath, copy.digest, dockerCredentials(context.registry.host));
  return { ...facts, digest: copy.digest };
}

/** Build, push to the registry, and read back the image facts the reports need. */
export async function prepareVariant(planned: PlannedVariant, bases: readonly BaseUse[], context: PrepareContext): Promise<Prepared> {
  const { variant, scenario } = planned;
  const ref = `${context.registry.host}/basebench/${scenario.app.name}:${variant.name}`;
  mkdirSync(context.logDir, { recursive: true });
  const logFile = path.join(context.logDir, `${scenario.app.name}-${variant.name}.build.log`);
  const logStream = createWriteStream(logFile);
  const tail = new TailBuffer(30);
  const buildArgs: Record<string, string> = { ...variant.buildArgs };
  for (const base of bases) buildArgs[BUILD_ARG_FOR_ROLE[base.role]] = base.ref;

  context.log.info(`Building ${planned.id} (log: ${logFile})`);
  const started = performance.now();
  try {
    await context.engine.images.build({
      contextDir: scenario.app.contextDir,
      dockerfile: path.relative(scenario.app.contextDir, variant.dockerfilePath),
      tag: ref,
      buildArgs,
      labels: { 'basebench.run': context.runLabel, 'basebench.pid': String(process.pid) },
      onOutput: (line) => {
        logStream.write(`${line}\n`);
        tail.push(line);
        if (/^Step \d+\/\d+/.test(line)) context.log.info(`  ${planned.id}: ${line}`);
      },
    });
  } catch (error) {
    logStream.end(`ERROR: ${(error as Error).message}\n`);
    tail.push((error as Error).message);
    context.log.warn(`Build of ${planned.id} failed: ${(error as Error).message}`);
    return { ok: false, reason: `build failed: ${(error as Error).message}`, logTail: tail.text() };
  }
  const buildMs = performance.now() - started;
  logStream.end();

  try {
    context.log.info(`Pushing ${ref}`);
    const digest = await pushToRegistry(context.engine.images, context.registry, ref);
    const details = await context.engine.images.inspect(ref);
    if (!details) throw new Error(`${ref} vanished from the engine after its build`);
    const { repository } = splitReference(ref);
    const repositoryPath = repository.slice(context.registry.host.length + 1);
    const pushed = await fetchManifestFacts(context.registry.url, repositoryPath, digest, dockerCredentials(context.registry.host));
    const manifest = await gzippedWhereUncompressed({ ...pushed, digest }, ref, repositoryPath, context);
    const binary = variant.binary === undefined ? undefined : await context.engine.images.statPath(ref, variant.binary);
    if (variant.binary !== undefined && !binary) throw new Error(`the image has no ${variant.binary} (variants[].binary)`);
    const image: ImageFacts = {
      ref,
      digest: manifest.digest,
      compressedBytes: manifest.compressedBytes,
      uncompressedBytes: details.sizeBytes,
      layerCount: manifest.layerBytes.length,
      diffIds: details.diffIds,
      layers: manifest.layers,
      config: manifest.config,
      platform: details.platform,
      ...(binary ? { binaryBytes: binary.size } : {}),
      ...(manifest.digest !== digest ? { gzippedByHarness: true } : {}),
    };
    context.log.info(
      `Pushed ${planned.id}: ${(image.compressedBytes / 1e6).toFixed(1)} MB compressed, ${(image.uncompressedBytes / 1e6).toFixed(1)} ` +
        `MB on disk, ${image.layerCount} layer(s)`,
    );
    return { ok: true, image, buildMs };
  } catch (error) {
    return { ok: false, reason: `push or image facts failed: ${(error as Error).message}`, logTail: tail.text() };
  }
}
