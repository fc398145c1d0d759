import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/common/log.js';
import { runBench } from '../../src/pipeline/run.js';
import { benchOptions } from '../fixtures/bench-options.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

/** A run whose registry folder sits on a 32 MB filesystem: refused before anything is built. */
describe('a run that would fill a disk', () => {
  const tempDir = suiteTempDir();
  let small: string | undefined;
  afterAll(async () => {
    if (small) await execa('umount', [small], { reject: false });
  });

  it('refuses before building, naming the folder, what it needs and what is free', async () => {
    small = path.join(tempDir(), 'small');
    mkdirSync(small);
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', small]);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = small;
    try {
      await expect(
        runBench(
          benchOptions({ scenarios: ['go-hello'], variantFilter: ['scratch'], outDir: path.join(tempDir(), 'out') }),
          silentLogger,
          new AbortController().signal,
        ),
      ).rejects.toThrow(
        new RegExp(
          `not enough disk space for this run: .*for the registry's storage \\(${small}/basebench-registry-\\w+\\), and 0\\.0 GB is free`,
        ),
      );
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});
