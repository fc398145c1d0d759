import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputFolderProblem } from '../../src/common/output-folder.js';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

const tempDir = suiteTempDir();

/** `basebench bench --out DIR` as a user runs it, its exit awaited (a hang is caught by the test timeout). */
function benchWithOut(out: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, ['bin/basebench.js', 'bench', '--out', out], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

describe('the output folder, checked before anything starts', () => {
  it('refuses kernel file systems and a file in the way, naming the option', () => {
    expect(outputFolderProblem('/proc/x')).toBe('/proc (where /proc/x would be made) is on proc, a kernel file system, not a regular one');
    expect(outputFolderProblem('/sys/kernel/x')).toMatch(/^\/sys\/kernel \(where \/sys\/kernel\/x would be made\) is on sysfs/);
    const file = path.join(tempDir(), 'a-file');
    writeFileSync(file, '');
    expect(outputFolderProblem(path.join(file, 'reports'))).toBe(`${file} is a file, not a folder`);
    expect(outputFolderProblem(path.join(tempDir(), 'new', 'deeper'))).toBeUndefined();
    // A disk with less free than a run needs: asked for more than any disk here has.
    expect(outputFolderProblem(tempDir(), Number.MAX_SAFE_INTEGER)).toMatch(/MB free; a run needs at least/);
  });

  it('answers --out /proc/x with one error and exit 1 at once (it used to spin forever, deaf to SIGTERM)', async () => {
    const outcome = await benchWithOut('/proc/x');
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('error: --out: cannot write there: /proc (where /proc/x would be made) is on proc');
  });
});
