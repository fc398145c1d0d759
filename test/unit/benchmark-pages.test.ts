import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { imagesLine, provenanceLine, writeBenchmarkPage } from '../../bench/page.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

describe("the pages of the harness's own benchmarks", () => {
  const tempDir = suiteTempDir();

  it('say where their figures come from: the harness at its commit, the CPU, the kernel', async () => {
    const line = await provenanceLine();
    expect(line).toMatch(/^basebench \d+\.\d+\.\d+ at ([0-9a-f]{12}|unknown \(not a git checkout\))( \(uncommitted changes\))?; /);
    expect(line).toContain(`${os.cpus().length} × ${os.cpus()[0]!.model.trim()}, kernel ${os.release()}; Node.js ${process.version}`);
  });

  it("name the images they measured, the bases under them and the order's seed", () => {
    const base = {
      name: 'distroless-python3-debian12',
      source: 'local' as const,
      ref: 'basebench-local/distroless-python3-debian12:0123456789ab',
      digest: 'sha256:aaaaaaaaaaaabbbbbbbb',
      standsInFor: 'gcr.io/distroless/python3-debian12',
    };
    expect(
      imagesLine(
        [
          { name: 'python-hello/distroless-python3', imageId: 'sha256:0123456789abcdef', base },
          { name: 'go-hello/scratch', imageId: 'sha256:fedcba9876543210' },
        ],
        'Order: seeded with 31.',
      ),
    ).toBe(
      'Images built here: python-hello/distroless-python3 sha256:0123456789ab on distroless-python3-debian12 ' +
        '(local stand-in for gcr.io/distroless/python3-debian12, sha256:aaaaaaaaaaaa); go-hello/scratch sha256:fedcba987654. ' +
        'Order: seeded with 31.',
    );
  });

  it('are written under the output folder, which is made if missing', () => {
    const out = path.join(tempDir(), 'pages', 'nested');
    const print = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    writeBenchmarkPage(out, 'micro.md', '# figures\n');
    print.mockRestore();
    expect(readFileSync(path.join(out, 'micro.md'), 'utf8')).toBe('# figures\n');
  });
});
