import { describe, expect, it } from 'vitest';
import type { ImageClient, LocalImage } from '../../src/engine/clients.js';
import { imagesSharingLayers, makeCold, WarmCacheError } from '../../src/measure/cold-cache.js';

/** An engine's image store in memory: enough of ImageClient for the cold-cache logic. */
function imageStore(initial: Array<LocalImage & { parent?: string; stuck?: boolean }>): ImageClient & { ids(): string[] } {
  const images = new Map(initial.map((image) => [image.id, image]));
  const unsupported = () => Promise.reject(new Error('not used here'));
  return {
    ids: () => [...images.keys()],
    list: async () => [...images.values()].map(({ id, tags, diffIds }) => ({ id, tags, diffIds })),
    listLabelled: unsupported,
    remove: async (id) => {
      const image = images.get(id);
      if (!image) return;
      if (image.stuck) return; // an engine that says yes and keeps the image
      if ([...images.values()].some((other) => other.parent === id)) throw new Error('conflict: image has dependent child images');
      images.delete(id);
    },
    build: unsupported,
    push: unsupported,
    pull: unsupported,
    inspect: unsupported,
    layers: unsupported,
    importRootfs: unsupported,
    save: unsupported,
    load: unsupported,
    remoteDigest: unsupported,
    statPath: unsupported,
    readTree: unsupported,
    tag: unsupported,
  };
}

const target = ['sha256:base', 'sha256:app'];

describe('the cold-cache step', () => {
  it('finds every local image holding any layer of the image under test', () => {
    const images = [
      { id: 'a', tags: [], diffIds: ['sha256:base'] },
      { id: 'b', tags: [], diffIds: ['sha256:other'] },
      { id: 'c', tags: [], diffIds: ['sha256:other', 'sha256:app'] },
    ];
    expect(imagesSharingLayers(target, images).map((image) => image.id)).toEqual(['a', 'c']);
  });

  it('removes sharing images children first and leaves unrelated ones', async () => {
    const store = imageStore([
      { id: 'base', tags: ['debian:slim'], diffIds: ['sha256:base'] },
      { id: 'builder', tags: ['builder'], diffIds: ['sha256:base', 'sha256:go'], parent: 'base' },
      // A metadata-only build step: same layers as its child, listed first, so its removal is refused once.
      { id: 'app-stage', tags: [], diffIds: target, parent: 'base' },
      { id: 'app', tags: ['app'], diffIds: target, parent: 'app-stage' },
      { id: 'unrelated', tags: ['other'], diffIds: ['sha256:other'] },
    ]);
    expect(await makeCold(store, target)).toBe(4);
    expect(store.ids()).toEqual(['unrelated']);
  });

  it('fails loudly when a layer is still present after the purge', async () => {
    const store = imageStore([{ id: 'pinned', tags: ['pinned:1'], diffIds: ['sha256:app'], stuck: true }]);
    const failure = await makeCold(store, target).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WarmCacheError);
    expect((failure as Error).message).toContain('pinned:1');
  });

  it("removes the image under each of its names where the list shows one name per config (Docker 26's containerd store)", async () => {
    // As the containerd store answered for an image and its zstd copy (one config): one entry, under the name pulled
    // last; once that name is gone, no entry at all, though the other name still holds the layers.
    const names = new Set(['reg/app:1', 'reg/app:1-zstd']);
    const shown = 'reg/app:1-zstd';
    const store: ImageClient = {
      ...imageStore([]),
      list: async () => (names.has(shown) ? [{ id: 'sha256:cfg', tags: [shown], diffIds: target }] : []),
      inspect: async (name) => (names.has(name) ? { id: 'sha256:cfg', tags: [name], diffIds: target } : undefined) as never,
      remove: async (idOrName) => {
        names.delete(idOrName === 'sha256:cfg' ? shown : idOrName);
      },
    };
    // By its listing alone, the gzip name stays behind, unlisted.
    await makeCold(store, target);
    expect([...names]).toEqual(['reg/app:1']);
    expect(await store.list()).toEqual([]);
    names.add('reg/app:1-zstd');
    await makeCold(store, target, ['reg/app:1', 'reg/app:1-zstd']);
    expect([...names]).toEqual([]);
  });

  it('fails loudly when one of the names is still there after the purge', async () => {
    const store: ImageClient = {
      ...imageStore([]),
      inspect: async (name) => ({ id: 'sha256:kept', tags: [name], diffIds: target }) as never,
    };
    await expect(makeCold(store, target, ['reg/app:1'])).rejects.toThrow(/still hold layers of the image under test: reg\/app:1/);
  });
});
