import { execSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { outputFolderProblem } from '../../src/common/output-folder.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

/** Real mounts (root, as CI runs): a read-only one and an almost full one, each refused as an output folder. */
describe('output folders on mounts that cannot take a run', () => {
  const tempDir = suiteTempDir();
  const mounts: string[] = [];
  const mount = (name: string, options: string) => {
    const at = path.join(tempDir(), name);
    mkdirSync(at);
    execSync(`mount -t tmpfs -o ${options} basebench-test ${at}`);
    mounts.push(at);
    return at;
  };
  afterAll(() => {
    for (const at of mounts) execSync(`umount ${at}`);
  });

  it('refuses a read-only mount and a full one, and takes an ordinary folder', () => {
    expect(outputFolderProblem(path.join(mount('read-only', 'ro,size=16m'), 'results'))).toMatch(/is on a read-only mount$/);
    expect(outputFolderProblem(path.join(mount('small', 'size=1m'), 'results'))).toMatch(/has 1\.0 MB free; a run needs at least 64 MiB$/);
    expect(outputFolderProblem(path.join(tempDir(), 'results'))).toBeUndefined();
  });
});
