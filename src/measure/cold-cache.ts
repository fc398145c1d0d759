import type { ImageClient, LocalImage } from '../engine/clients.js';

/** Local images holding any of the given layers: all of them must go before a cold pull. */
export function imagesSharingLayers(diffIds: readonly string[], images: readonly LocalImage[]): LocalImage[] {
  const wanted = new Set(diffIds);
  return images.filter((image) => image.diffIds.some((diffId) => wanted.has(diffId)));
}

export class WarmCacheError extends Error {
  constructor(readonly leftovers: LocalImage[]) {
    super(
      `cache is not cold: ${leftovers.length} local image(s) still hold layers of the image under test: ` +
        leftovers.map((image) => image.tags[0] ?? image.id.slice(0, 19)).join(', '),
    );
    this.name = 'WarmCacheError';
  }
}

/**
 * Removes every local image sharing one of the image's layers, found by the engine's list and by
 * `names` (the references this run gave its images), then checks that none is left. Throws
 * WarmCacheError rather than let a warm pull pass as cold.
 *
 * The names matter where the list does not show every image: Docker 26's containerd image store
 * lists one entry per image config, under one of its names, so an image and its zstd copy (the same
 * config) are one entry, and removing that entry leaves the other name, unlisted, holding the
 * layers (its next pull then fetches nothing, or the content store keeps a shared blob).
 */
export async function makeCold(images: ImageClient, diffIds: readonly string[], names: readonly string[] = []): Promise<number> {
  const named = async () => {
    const found = await Promise.all(names.map(async (name) => ({ name, image: await images.inspect(name) })));
    return found.flatMap(({ name, image }) => (image && imagesSharingLayers(diffIds, [image]).length > 0 ? [{ name, image }] : []));
  };
  const byName = await named();
  for (const { name } of byName) await images.remove(name);
  const sharing = imagesSharingLayers(diffIds, await images.list());
  await removeChildrenFirst(images, sharing);
  const listed = imagesSharingLayers(diffIds, await images.list());
  const unlisted = (await named()).map(({ image }) => image).filter((image) => !listed.some((other) => other.id === image.id));
  const leftovers = [...listed, ...unlisted];
  if (leftovers.length > 0) throw new WarmCacheError(leftovers);
  return byName.length + sharing.length;
}

/**
 * The engine refuses to remove an image that has child images (intermediate build stages),
 * even with force. Children have at least as many layers as their parents, so try the
 * deepest first, and retry refusals while each pass still removes something.
 */
async function removeChildrenFirst(images: ImageClient, targets: readonly LocalImage[]): Promise<void> {
  let pending = [...targets].sort((a, b) => b.diffIds.length - a.diffIds.length);
  while (pending.length > 0) {
    const refused: LocalImage[] = [];
    let lastError: unknown;
    for (const image of pending) {
      try {
        await images.remove(image.id);
      } catch (error) {
        refused.push(image);
        lastError = error;
      }
    }
    if (refused.length === pending.length) throw lastError;
    pending = refused;
  }
}
