import { createReadStream, createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBase } from '../../src/bases/catalog.js';
import { defaultBaseCacheDir, ensureLocalBase } from '../../src/bases/local-bases.js';
import { silentLogger } from '../../src/common/log.js';
import { connectEngine } from '../../src/engine/connect.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';
import { projectCatalog } from '../fixtures/catalog.js';

describe("a Debian stand-in base under a user's Dockerfile", () => {
  const tempDir = suiteTempDir();

  it.each(['debian-bookworm-slim', 'debian-trixie'])(
    '%s: an apt-get install without cleanup leaves no packages, apt caches or translations, and lists compressed, as the official image',
    async (name) => {
      const engine = await connectEngine(silentLogger);
      const catalog = projectCatalog();
      const base = await ensureLocalBase(findBase(catalog, name)!, {
        images: engine.images,
        log: silentLogger,
        catalog,
        cacheDir: defaultBaseCacheDir(),
      });
      const contextDir = path.join(tempDir(), name);
      mkdirSync(contextDir);
      const tag = `basebench-test/stand-in-apt:${name}`;
      writeFileSync(
        path.join(contextDir, 'Dockerfile'),
        `FROM ${base.ref}\nRUN apt-get update && apt-get install -y --no-install-recommends hello && hello\n`,
      );
      try {
        await engine.images.build({ contextDir, dockerfile: 'Dockerfile', tag, buildArgs: {}, onOutput: () => {} });
        expect(await engine.images.statPath(tag, '/usr/bin/hello')).toBeDefined();
        const archives = (await engine.images.readTree(tag, '/var/cache/apt/archives'))!.map((file) => file.name);
        expect(archives.filter((file) => file.endsWith('.deb'))).toEqual([]);
        const caches = (await engine.images.readTree(tag, '/var/cache/apt'))!.map((file) => file.name);
        expect(caches.filter((file) => file.endsWith('.bin'))).toEqual([]);
        const lists = (await engine.images.readTree(tag, '/var/lib/apt/lists'))!.map((file) => file.name);
        expect(
          lists.some((file) => /_Packages\.(gz|lz4|xz)$/.test(file)),
          lists.join(', '),
        ).toBe(true);
        expect(lists.filter((file) => /Translation/.test(file))).toEqual([]);
      } finally {
        await engine.images.remove(tag);
      }
    },
  );

  it('is saved to its cache gzipped, and loaded back from there into an engine that lost it', async () => {
    const engine = await connectEngine(silentLogger);
    const catalog = projectCatalog();
    const name = 'distroless-static-debian12';
    const context = { images: engine.images, log: silentLogger, catalog, cacheDir: path.join(tempDir(), 'cache') };
    // Present first (from the usual cache), then gone: with an empty cache of its own, the next call must build.
    const present = await ensureLocalBase(findBase(catalog, name)!, { ...context, cacheDir: defaultBaseCacheDir() });
    await engine.images.remove(present.ref);

    // What a killed run was writing goes with the next save; what a live one is writing stays.
    const dead = `${name}-0123456789ab.tar.gz.${spawnSync(process.execPath, ['-e', '0']).pid}.partial`;
    const live = `${name}-0123456789ab.tar.gz.${process.ppid}.partial`;
    mkdirSync(context.cacheDir, { recursive: true });
    for (const file of [dead, live]) writeFileSync(path.join(context.cacheDir, file), 'half an archive');
    const built = await ensureLocalBase(findBase(catalog, name)!, context);
    expect(built.obtained).toBe('built');
    expect(readdirSync(context.cacheDir).filter((file) => file.endsWith('.partial'))).toEqual([live]);
    rmSync(path.join(context.cacheDir, live));
    const saved = readdirSync(context.cacheDir).filter((file) => file.startsWith(`${name}-`));
    expect(saved).toEqual([`${name}-${built.recipeHash.slice(0, 12)}.tar.gz`]);
    expect([...readFileSync(path.join(context.cacheDir, saved[0]!)).subarray(0, 2)]).toEqual([0x1f, 0x8b]);

    await engine.images.remove(built.ref);
    const loaded = await ensureLocalBase(findBase(catalog, name)!, context);
    expect(loaded.obtained).toBe('loaded');
    expect(loaded.imageId).toBe(built.imageId);

    // A bare archive, as an older basebench saved it, loads, and is then gzipped in its place.
    const gzipped = path.join(context.cacheDir, saved[0]!);
    const bare = gzipped.replace(/\.gz$/, '');
    await pipeline(createReadStream(gzipped), createGunzip(), createWriteStream(bare));
    const bareBytes = readFileSync(bare);
    rmSync(gzipped);
    await engine.images.remove(loaded.ref);
    const fromBare = await ensureLocalBase(findBase(catalog, name)!, context);
    expect(fromBare).toMatchObject({ obtained: 'loaded', imageId: built.imageId });
    expect(readdirSync(context.cacheDir).filter((file) => file.startsWith(`${name}-`))).toEqual(saved);
    expect(gunzipSync(readFileSync(gzipped)).equals(bareBytes)).toBe(true);
  });
});
