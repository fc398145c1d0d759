import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { fileKind, filesByKind, type LayerEntry, setuidFiles, stackLayers } from '../../src/measure/layer-files.js';
import { readLayerEntries } from '../../src/measure/layer-reader.js';

type Item = { name: string; size?: number; mode?: number; type?: 'file' | 'directory' | 'symlink' };

/** A real layer tarball, gzipped as a registry holds it, from names and sizes. */
async function layerTarball(items: readonly Item[]): Promise<Buffer> {
  const pack = tar.pack();
  const collected = (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  })();
  for (const item of items) {
    const type = item.type ?? 'file';
    if (type === 'file') pack.entry({ name: item.name, mode: item.mode ?? 0o644 }, Buffer.alloc(item.size ?? 0, 1));
    else if (type === 'symlink') pack.entry({ name: item.name, type, linkname: 'target' });
    else pack.entry({ name: item.name, type, mode: 0o755 });
  }
  pack.finalize();
  return gzipSync(await collected);
}

async function stackOf(...layers: Item[][]) {
  const entries: LayerEntry[][] = [];
  for (const items of layers) entries.push(await readLayerEntries(Readable.from(await layerTarball(items)), true));
  return stackLayers(entries);
}

describe('stacking layer tarballs: hidden bytes and efficiency', () => {
  it('reads entries from a gzipped tarball, paths without a leading ./ or /', async () => {
    const entries = await readLayerEntries(
      Readable.from(
        await layerTarball([
          { name: './etc/', type: 'directory' },
          { name: './etc/hosts', size: 7, mode: 0o600 },
        ]),
      ),
      true,
    );
    expect(entries).toEqual([
      { path: 'etc', type: 'directory', size: 0, mode: 0o755 },
      { path: 'etc/hosts', type: 'file', size: 7, mode: 0o600 },
    ]);
  });

  it('counts nothing as hidden when no layer touches another layer’s files', async () => {
    const stacked = await stackOf([{ name: 'a', size: 100 }], [{ name: 'b', size: 50 }]);
    expect(stacked.efficiency).toMatchObject({ score: 1, hiddenBytes: 0, diveWastedBytes: 0, overwrittenFiles: 0, deletedFiles: 0 });
    expect([...stacked.files.keys()]).toEqual(['a', 'b']);
  });

  it('hides an overwritten file’s earlier bytes; dive’s score is the smallest version over all versions', async () => {
    const stacked = await stackOf(
      [
        { name: 'app/data', size: 300 },
        { name: 'keep', size: 100 },
      ],
      [{ name: 'app/data', size: 100 }],
    );
    // Versions of app/data: 300 then 100 (minimum 100); keep: 100. Score = (100 + 100) / (400 + 100).
    expect(stacked.efficiency).toEqual({
      score: 200 / 500,
      hiddenBytes: 300,
      diveWastedBytes: 400,
      overwrittenFiles: 1,
      deletedFiles: 0,
      whiteouts: 0,
      opaqueDirectories: 0,
    });
    expect(stacked.files.get('app/data')).toMatchObject({ size: 100, layer: 1 });
  });

  it('deletes a file and a whole folder through whiteouts, all their bytes hidden', async () => {
    const stacked = await stackOf(
      [
        { name: 'var/cache/apt/pkgcache.bin', size: 1000 },
        { name: 'var/cache/apt/archives/x.deb', size: 4000 },
        { name: 'tmp/build.log', size: 10 },
        { name: 'bin/sh', size: 5 },
      ],
      [
        { name: 'var/cache/.wh.apt', size: 0 },
        { name: 'tmp/.wh.build.log', size: 0 },
      ],
    );
    expect(stacked.efficiency).toMatchObject({ hiddenBytes: 5010, deletedFiles: 3, whiteouts: 2, overwrittenFiles: 0 });
    // Deleted paths' minimum version is 0: only bin/sh counts in the numerator.
    expect(stacked.efficiency.score).toBeCloseTo(5 / 5015, 10);
    expect([...stacked.files.keys()]).toEqual(['bin/sh']);
  });

  it('empties a folder of lower layers’ files under an opaque whiteout, keeping what its own layer put there', async () => {
    const stacked = await stackOf(
      [
        { name: 'opt/app/old.jar', size: 800 },
        { name: 'opt/app/lib/a.so', size: 200 },
        { name: 'opt/other', size: 1 },
      ],
      [
        { name: 'opt/app/new.jar', size: 500 },
        { name: 'opt/app/.wh..wh..opq', size: 0 },
      ],
    );
    expect(stacked.efficiency).toMatchObject({ hiddenBytes: 1000, deletedFiles: 2, opaqueDirectories: 1, whiteouts: 0 });
    expect([...stacked.files.keys()].sort()).toEqual(['opt/app/new.jar', 'opt/other']);
  });

  it('replaces a file by a folder of the same name', async () => {
    const stacked = await stackOf(
      [{ name: 'conf', size: 40 }],
      [
        { name: 'conf', type: 'directory' },
        { name: 'conf/a', size: 2 },
      ],
    );
    expect(stacked.efficiency).toMatchObject({ hiddenBytes: 40, deletedFiles: 1 });
    expect([...stacked.files.keys()]).toEqual(['conf/a']);
  });
});

describe('the final filesystem by kind of file', () => {
  it.each([
    ['usr/lib/x86_64-linux-gnu/libc.so.6', 'C library'],
    ['lib/ld-musl-aarch64.so.1', 'C library'],
    ['usr/lib/aarch64-linux-gnu/libssl.so.3', 'shared libraries'],
    ['usr/lib/jvm/java-21-openjdk-amd64/lib/modules', 'language runtime'],
    ['usr/local/lib/python3.12/os.py', 'language runtime'],
    ['usr/lib/python3.11/os.py', 'language runtime'],
    ['nodejs/bin/node', 'language runtime'],
    ['usr/bin/node', 'language runtime'],
    ['usr/share/zoneinfo/UTC', 'certificates and time zones'],
    ['etc/ssl/certs/ca-certificates.crt', 'certificates and time zones'],
    ['usr/share/doc/libc6/copyright', 'docs, man pages, locales'],
    ['usr/share/locale/de/LC_MESSAGES/x.mo', 'docs, man pages, locales'],
    ['var/lib/dpkg/status', 'package database'],
    ['lib/apk/db/installed', 'package database'],
    ['usr/bin/bash', 'shell and core utilities'],
    ['bin/busybox', 'shell and core utilities'],
    ['etc/passwd', 'other'],
  ])('%s is %s', (entryPath, kind) => {
    expect(fileKind(entryPath, false)).toBe(kind);
  });

  it('counts the app’s layers as the app, whatever the paths, and lists setuid executables', async () => {
    const stacked = await stackOf(
      [
        { name: 'usr/bin/su', size: 70, mode: 0o4755 },
        { name: 'usr/bin/env', size: 30, mode: 0o755 },
        { name: 'etc/shadow', size: 5, mode: 0o2640 },
      ],
      [{ name: 'usr/bin/server', size: 900, mode: 0o755 }],
    );
    expect(filesByKind(stacked, 1)).toEqual([
      { kind: 'app', files: 1, bytes: 900 },
      { kind: 'shell and core utilities', files: 2, bytes: 100 },
      { kind: 'other', files: 1, bytes: 5 },
    ]);
    // etc/shadow is setgid but not executable: not an escalation path.
    expect(setuidFiles(stacked)).toEqual(['/usr/bin/su']);
  });
});
