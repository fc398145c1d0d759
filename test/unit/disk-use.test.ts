import { existsSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/common/log.js';
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
