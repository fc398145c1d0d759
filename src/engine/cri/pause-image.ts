/** The pod sandbox image of the cri engine: built from floor/pause on the host engine, once per source and builder. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../common/project-root.js';
import type { ImageClient } from '../clients.js';

const PAUSE_DIR = path.join(PROJECT_ROOT, 'floor', 'pause');

/** Builds the pause image if the host engine lacks it; its reference names its source's hash. */
export async function pauseImage(images: ImageClient, builderRef: string): Promise<string> {
  const hash = createHash('sha256')
    .update(readFileSync(path.join(PAUSE_DIR, 'pause.c')))
    .update(readFileSync(path.join(PAUSE_DIR, 'Dockerfile')))
    .update(builderRef)
    .digest('hex')
    .slice(0, 12);
  const ref = `basebench.local/pause:${hash}`;
  if (await images.inspect(ref)) return ref;
  const output: string[] = [];
  try {
    await images.build({
      contextDir: PAUSE_DIR,
      dockerfile: 'Dockerfile',
      tag: ref,
      buildArgs: { BUILDER_IMAGE: builderRef },
      onOutput: (line) => output.push(line),
    });
  } catch (error) {
    throw new Error(`building the pause image failed: ${(error as Error).message}\n${output.slice(-10).join('\n')}`);
  }
  return ref;
}
