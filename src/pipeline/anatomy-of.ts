import type { Logger } from '../common/log.js';
import { connectEngine } from '../engine/connect.js';
import { dockerCredentials } from '../engine/credentials.js';
import { baseLayerCount, readAnatomy } from '../measure/anatomy.js';
import { fetchManifestFacts } from '../registry/manifest.js';
import type { ImageAnatomy } from '../results/types.js';
import { startHelperRegistry } from './helper-registry.js';

export interface ImageAnatomyReport {
  ref: string;
  /** The image ID in the engine. */
  id: string;
  compressedBytes: number;
  anatomy: ImageAnatomy;
}

/**
 * The anatomy of images a user names, no scenario needed: each is taken from the engine (pulled
 * first if it isn't there, and removed again afterwards), pushed to a registry on 127.0.0.1 so its
 * layers are compressed as any registry would hold them, and read from there like a run's images.
 * With a base, the layers the image shares with it from the bottom are the base's and the rest the
 * app's; without one, every layer is sorted by path alone.
 */
export async function anatomyOfImages(refs: readonly string[], baseRef: string | undefined, log: Logger): Promise<ImageAnatomyReport[]> {
  const engine = await connectEngine(log);
  const pulledHere: string[] = [];
  const have = async (ref: string) => {
    const local = await engine.images.inspect(ref);
    if (local) return local;
    log.info(`Pulling ${ref}`);
    await engine.images.pull(ref).catch((error: Error) => {
      throw new Error(`${ref} is not in the engine, and pulling it failed: ${error.message.split('\n')[0]}`);
    });
    pulledHere.push(ref);
    const pulled = await engine.images.inspect(ref);
    if (!pulled) throw new Error(`${ref} is not in the engine after pulling it`);
    return pulled;
  };
  const { registry, close } = await startHelperRegistry(engine, log, 'anatomy');
  try {
    const baseDiffIds = baseRef ? (await have(baseRef)).diffIds : undefined;
    const reports: ImageAnatomyReport[] = [];
    for (const [index, ref] of refs.entries()) {
      const local = await have(ref);
      const repository = `basebench-anatomy/image-${index + 1}`;
      const pushed = `${registry.host}/${repository}:latest`;
      await engine.images.tag(ref, pushed);
      log.info(`Reading ${ref}`);
      const digest = await engine.images.push(pushed);
      const manifest = await fetchManifestFacts(registry.url, repository, digest, dockerCredentials(registry.host));
      const baseLayers = baseDiffIds ? baseLayerCount(local.diffIds, baseDiffIds) : manifest.layers.length;
      const image = { registryUrl: registry.url, repository, layers: manifest.layers, config: manifest.config };
      reports.push({ ref, id: local.id, compressedBytes: manifest.compressedBytes, anatomy: await readAnatomy(image, baseLayers) });
    }
    return reports;
  } finally {
    await close();
    for (const ref of pulledHere) await engine.images.remove(ref).catch(() => {});
  }
}
