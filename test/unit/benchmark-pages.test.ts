import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { provenanceLine, writeBenchmarkPage } from '../../bench/page.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

describe("the pages of the harness's own benchmarks", () => {
  const tempDir = suiteTempDir();

  it('say where their figures come from: the harness at its commit, the CPU, the kernel', async () => {
    const line = await provenanceLine();
    expect(line).toMatch(/^basebench \d+\.\d+\.\d+ at ([0-9a-f]{12}|unknown \(not a git checkout\))( \(uncommitted changes\))?; /);
    expect(line).toContain(`${os.cpus().length} × ${os.cpus()[0]!.model.trim()}, kernel ${os.release()}; Node.js ${process.version}`);
  });

  it('are written under the output folder, which is made if missing', () => {
    const out = path.join(tempDir(), 'pages', 'nested');
    const print = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    writeBenchmarkPage(out, 'micro.md', '# figures\n');
    print.mockRestore();
    expect(readFileSync(path.join(out, 'micro.md'), 'utf8')).toBe('# figures\n');
  });
});
