/** What the harness's own benchmarks share: one page of figures in the output folder, also printed. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { makeFolder } from '../src/common/output-folder.js';
import { harnessFacts } from '../src/pipeline/provenance.js';
import { harnessText } from '../src/report/provenance-text.js';

/** Writes <outDir>/<name> and prints it. */
export function writeBenchmarkPage(outDir: string, name: string, text: string): void {
  makeFolder(outDir);
  writeFileSync(path.join(outDir, name), text);
  process.stdout.write(text);
}

/** Where a page's figures come from: the harness at its commit, the host's CPU and kernel, Node.js. */
export async function provenanceLine(): Promise<string> {
  const cpus = os.cpus();
  return (
    `${harnessText(await harnessFacts())}; ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, kernel ${os.release()}; ` +
    `Node.js ${process.version}, ${process.platform} ${process.arch}`
  );
}
