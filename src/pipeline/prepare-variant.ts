import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedBase } from '../bases/resolve.js';
import type { Engine } from '../engine/clients.js';
import { dockerCredentials, splitReference } from '../engine/credentials.js';
import type { Logger } from '../log.js';
import { fetchManifestFacts } from '../registry/manifest.js';
import type { Registry } from '../registry/registry.js';
import type { BaseUse, ImageFacts } from '../results/types.js';
import type { PlannedVariant } from './plan.js';
import { TailBuffer } from './tail-buffer.js';

export interface PrepareContext {
  engine: Engine;
  registry: Registry;
  bases: ReadonlyMap<string, ResolvedBase>;
  logDir: string;
  log: Logger;
}

export type Prepared =
  | { ok: true; image: ImageFacts; bases: BaseUse[]; buildMs: number }
  | { ok: false; reason: string; logTail: string; bases: BaseUse[] };

function baseUse(role: BaseUse['role'], base: ResolvedBase): BaseUse {
  return { role, ...base };
}

/** Build, push to the registry, and read back the image facts the reports need. */
export async function prepareVariant(planned: PlannedVariant, context: PrepareContext): Promise<Prepared> {
  const { variant, scenario } = planned;
  const runtime = context.bases.get(variant.base);
  const builder = variant.builder === undefined ? undefined : context.bases.get(variant.builder);
  const bases = [...(builder ? [baseUse('builder', builder)] : []), ...(runtime ? [baseUse('runtime', runtime)] : [])];
  if (!runtime || (variant.builder !== undefined && !builder)) {
    return { ok: false, reason: 'a base it needs could not be resolved', logTail: '', bases };
  }
  const ref = `${context.registry.host}/basebench/${scenario.app.name}:${variant.name}`;
  mkdirSync(context.logDir, { recursive: true });
  const logFile = path.join(context.logDir, `${scenario.app.name}-${variant.name}.build.log`);
  const logStream = createWriteStream(logFile);
  const tail = new TailBuffer(30);
  const buildArgs: Record<string, string> = { ...variant.buildArgs, BASE_IMAGE: runtime.ref };
  if (builder) buildArgs.BUILDER_IMAGE = builder.ref;

  context.log.info(`Building ${planned.id} (log: ${logFile})`);
  const started = performance.now();
  try {
    await context.engine.images.build({
      contextDir: scenario.app.contextDir,
      dockerfile: path.relative(scenario.app.contextDir, variant.dockerfilePath),
      tag: ref,
      buildArgs,
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
    return { ok: false, reason: `build failed: ${(error as Error).message}`, logTail: tail.text(), bases };
  }
  const buildMs = performance.now() - started;
  logStream.end();

  try {
    context.log.info(`Pushing ${ref}`);
    const digest = await context.engine.images.push(ref);
    const details = await context.engine.images.inspect(ref);
    if (!details) throw new Error(`${ref} vanished from the engine after its build`);
    const { repository } = splitReference(ref);
    const repositoryPath = repository.slice(context.registry.host.length + 1);
    const manifest = await fetchManifestFacts(context.registry.url, repositoryPath, digest, dockerCredentials(context.registry.host));
    const image: ImageFacts = {
      ref,
      digest,
      compressedBytes: manifest.compressedBytes,
      uncompressedBytes: details.sizeBytes,
      layerCount: manifest.layerBytes.length,
      diffIds: details.diffIds,
    };
    context.log.info(
      `Pushed ${planned.id}: ${(image.compressedBytes / 1e6).toFixed(1)} MB compressed, ${(image.uncompressedBytes / 1e6).toFixed(1)} MB on disk, ${image.layerCount} layer(s)`,
    );
    return { ok: true, image, bases, buildMs };
  } catch (error) {
    return { ok: false, reason: `push failed: ${(error as Error).message}`, logTail: tail.text(), bases };
  }
}
