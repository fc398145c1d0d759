import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { readRun } from '../../src/results/read-run.js';
import { measuredRun } from '../fixtures/bench-options.js';
import { SMALL_RUN } from '../fixtures/small-run.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

/** Runs whose registry folder (under TMPDIR) sits on a small tmpfs. */
describe('a run that would fill a disk', () => {
  const tempDir = suiteTempDir();
  const mounted: string[] = [];
  afterAll(async () => {
    for (const folder of mounted) await execa('umount', [folder], { reject: false });
  });

  async function withSmallTmp<T>(name: string, megabytes: number, run: (folder: string) => Promise<T>): Promise<T> {
    const folder = path.join(tempDir(), name);
    mkdirSync(folder);
    await execa('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', folder]);
    mounted.push(folder);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = folder;
    try {
      return await run(folder);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  }

  it('refuses before building, naming the folder, what it needs and what is free', async () => {
    await withSmallTmp('small', 32, async (small) => {
      await expect(
        measuredRun({ scenarios: ['go-hello'], variantFilter: ['scratch'], outDir: path.join(tempDir(), 'out') }),
      ).rejects.toThrow(
        new RegExp(
          `not enough disk space for this run: .*for the registry's storage \\(${small}/basebench-registry-\\w+\\), and 0\\.0 GB is free`,
        ),
      );
    });
  });

  it('records a push that fills the disk with why, and goes on or stops cleanly', async () => {
    // An earlier run that says the images are tiny lets the estimate pass: the disk fills during the push instead.
    const outDir = path.join(tempDir(), 'filled');
    const earlier = structuredClone(SMALL_RUN);
    earlier.variants = ['go-hello/scratch', 'go-hello/debian-slim'].map((id) => ({
      ...SMALL_RUN.variants[0]!,
      id,
      image: { ...SMALL_RUN.variants[0]!.image!, compressedBytes: 1000, uncompressedBytes: 1000 },
    }));
    mkdirSync(path.join(outDir, 'latest'), { recursive: true });
    writeFileSync(path.join(outDir, 'latest', 'results.json'), JSON.stringify(earlier));
    const results = await withSmallTmp('tiny', 12, () =>
      measuredRun({ scenarios: ['go-hello'], variantFilter: ['scratch', 'debian-slim'], outDir }),
    );
    // What didn't fit is recorded with why: the registry's own error, or the registry dying with the push on its full
    // disk. A registry that can't start again on that disk stops the run cleanly (registry-lost), its results kept.
    expect(['completed', 'registry-lost']).toContain(results.state);
    const full = /no space left on device|the registry's disk is full \(\d+\.\d MB free\)/;
    const failed = results.variants.filter((variant) => variant.state === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const variant of failed) expect(variant.reason).toMatch(full);
    // The engine's retries (five over about 50 s) can't succeed on a full disk: the push is given up at the first.
    expect(failed.some((variant) => /the engine's retries of \S+ were given up/.test(variant.reason!))).toBe(true);
    expect(readRun(path.join(outDir, results.runId)).state).toBe(results.state);
  });
});
