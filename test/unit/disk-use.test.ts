import { existsSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtImages, recordBuilt } from '../../src/common/build-ledger.js';
import type { Logger } from '../../src/common/log.js';
import type { Engine, ImageLayer, LocalImage } from '../../src/engine/clients.js';
import { describeDiskUse, diskUse, trimDisk } from '../../src/pipeline/disk-use.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

const tempDir = suiteTempDir();

function cacheWith(name: string, files: Record<string, number>): string {
  const folder = path.join(tempDir(), name);
  mkdirSync(path.join(folder, 'bases'), { recursive: true });
  // Sparse files: the sizes a cache of GBs has, without writing them.
  for (const [file, bytes] of Object.entries(files)) {
    writeFileSync(path.join(folder, file), '');
    truncateSync(path.join(folder, file), bytes);
  }
  return folder;
}

function recording(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (message) => lines.push(message), warn: (message) => lines.push(`warning: ${message}`), error: () => {} };
}

describe('what basebench keeps on disk when no engine answers', () => {
  it('still counts the stand-in cache, nested folders included, and says the engine part is not counted', async () => {
    const folder = cacheWith('counted', { 'bases/go-builder.tar.gz': 3e9, 'bases/node.tar': 1.5e9, 'other.bin': 0.25e9 });
    const use = await diskUse(undefined, folder);
    expect(use).toEqual({ cache: { folder, bytes: 4.75e9 } });
    expect(describeDiskUse(use)).toBe(
      `Kept between runs: the stand-in cache ${folder} (4.75 GB; basebench clean --bases removes it). No Docker Engine ` +
        'answered, so the builder stages and stand-in images on it are not counted: start it and run clean again to see or trim them.',
    );
  });

  it('removes the cache with --bases and reports it empty after; a dry run and --build-cache alone keep it', async () => {
    const folder = cacheWith('trimmed', { 'bases/debian.tar.gz': 2e9 });
    const dry = recording();
    await trimDisk(undefined, folder, { buildCache: true, bases: true, dryRun: true }, dry);
    await trimDisk(undefined, folder, { buildCache: true, bases: false, dryRun: false }, recording());
    expect(existsSync(path.join(folder, 'bases/debian.tar.gz'))).toBe(true);
    expect(dry.lines).toHaveLength(1);

    const log = recording();
    await trimDisk(undefined, folder, { buildCache: false, bases: true, dryRun: false }, log);
    expect(existsSync(folder)).toBe(false);
    expect(log.lines[0]).toContain('(2.00 GB;');
    expect(log.lines[1]).toMatch(/^After: Kept between runs: the stand-in cache .* \(0\.00 GB; /);
  });
});

/**
 * The image list and removal as an engine answers them, no more: a parent with a child still
 * there is refused with the engine's 409, as Docker Engine refuses it. (Nothing here is measured.)
 */
function imagesWithParents(images: Array<LocalImage & { parent?: string }>): { engine: Engine; left: () => string[] } {
  let present = [...images];
  const client = {
    list: async () => present,
    // Each image adds one 100 MB layer on its parent's.
    layers: async (id: string): Promise<ImageLayer[]> => {
      const image = images.find((item) => item.id === id)!;
      return [...(image.parent ? await client.layers(image.parent) : []), { key: id, bytes: 100e6 }];
    },
    remove: async (id: string) => {
      if (present.some((item) => item.parent === id))
        throw new Error(
          `(HTTP code 409) conflict - unable to delete ${id.slice(7, 19)} (cannot be forced) - image has dependent child images \n`,
        );
      present = present.filter((item) => item.id !== id);
    },
  };
  return { engine: { images: client } as unknown as Engine, left: () => present.map((item) => item.id) };
}

describe('clean --build-cache', () => {
  const id = (n: number) => `sha256:${String(n).repeat(64)}`;

  it('removes a chain of builder stages child first, keeps one a tagged image builds on and says why, and forgets what went', async () => {
    const root = path.join(tempDir(), 'state');
    // Stage 1 ← 2 ← 3: a build's steps; stage 4 is under a tagged image; 5 is not basebench's (not in the ledger).
    const { engine, left } = imagesWithParents([
      { id: id(1), tags: [], diffIds: [] },
      { id: id(2), tags: [], diffIds: [], parent: id(1) },
      { id: id(3), tags: [], diffIds: [], parent: id(2) },
      { id: id(4), tags: [], diffIds: [] },
      { id: id(6), tags: ['basebench.local/pause:1'], diffIds: [], parent: id(4) },
      { id: id(5), tags: [], diffIds: [] },
    ]);
    recordBuilt(
      [1, 2, 3, 4].map((n) => String(n).repeat(12)),
      root,
    );
    const log = recording();
    await trimDisk(engine, cacheWith('stages', {}), { buildCache: true, bases: false, dryRun: false }, log, root);
    expect(left()).toEqual([id(4), id(6), id(5)]);
    expect(builtImages(root)).toEqual(['444444444444']);
    // Stages 1–3 hold 300 MB alone; stage 4's layer is the tagged image's too, so removing it frees nothing.
    expect(log.lines[0]).toMatch(
      /^Kept between runs: 4 untagged builder stage\(s\) on the engine \(0\.30 GB no other image holds; .*removes them, except 1 under/,
    );
    expect(log.lines[1]).toMatch(/^Kept 1 builder stage\(s\) the engine would not remove \(the last reason: .*dependent child images\)\.$/);
    expect(log.lines[2]).toMatch(/^After: Kept between runs: 1 untagged builder stage\(s\) on the engine \(0\.00 GB no other/);
  });
});
