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
 * Removes the image and every local image sharing one of its layers, then checks that none
 * of its layers is left. Throws WarmCacheError rather than let a warm pull pass as cold.
 */
export async function makeCold(images: ImageClient, diffIds: readonly string[]): Promise<number> {
  const sharing = imagesSharingLayers(diffIds, await images.list());
  await removeChildrenFirst(images, sharing);
  const leftovers = imagesSharingLayers(diffIds, await images.list());
  if (leftovers.length > 0) throw new WarmCacheError(leftovers);
  return sharing.length;
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
