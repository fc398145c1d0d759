/** What the harness's own benchmarks share: one page of figures in the output folder, also printed. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeFolder } from '../src/common/output-folder.js';

/** Writes <outDir>/<name> and prints it. */
export function writeBenchmarkPage(outDir: string, name: string, text: string): void {
  makeFolder(outDir);
  writeFileSync(path.join(outDir, name), text);
  process.stdout.write(text);
}
