/** What the harness's own benchmarks share: one page of figures in the output folder, also printed. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { makeFolder } from '../src/common/output-folder.js';
import { harnessFacts } from '../src/pipeline/provenance.js';
import { harnessText } from '../src/report/provenance-text.js';
import { baseOrigin } from '../src/report/base-origin.js';
import type { ResolvedBase } from '../src/results/types.js';

/** Writes <outDir>/<name> and prints it. */
export function writeBenchmarkPage(outDir: string, name: string, text: string): void {
  makeFolder(outDir);
  writeFileSync(path.join(outDir, name), text);
  process.stdout.write(text);
}

/** An image a benchmark built and measured: its ID, and the base it was built on, resolved. */
export interface BuiltImage {
  name: string;
  imageId: string;
  base?: ResolvedBase;
}

/** "Images built here: NAME sha256:0123456789ab on BASE (local stand-in for …, sha256:…); …; ORDER." */
export function imagesLine(images: readonly BuiltImage[], order: string): string {
  const built = images.map(({ name, imageId, base }) => {
    const on = base ? ` on ${base.name} (${baseOrigin(base, false)}, ${base.digest.slice(0, 19)})` : '';
    return `${name} ${imageId.slice(0, 19)}${on}`;
  });
  return `Images built here: ${built.join('; ')}. ${order}`;
}

/** Where a page's figures come from: the harness at its commit, the host's CPU and kernel, Node.js. */
export async function provenanceLine(): Promise<string> {
  const cpus = os.cpus();
  return (
    `${harnessText(await harnessFacts())}; ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, kernel ${os.release()}; ` +
    `Node.js ${process.version}, ${process.platform} ${process.arch}`
  );
}
