/** The image the cluster engine's purger and prober run: Debian trixie with containerd's ctr, pushed where the nodes pull. */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../common/log.js';
import type { ImageClient } from '../clients.js';
import { containerdBinaries } from '../cri/containerd-package.js';

const DOCKERFILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'purger', 'Dockerfile');

export async function pushNodeTools(options: {
  images: ImageClient;
  baseRef: string;
  registryHost: string;
  workDir: string;
  log: Logger;
}): Promise<string> {
  const binaries = await containerdBinaries(options.log);
  const context = path.join(options.workDir, 'node-tools');
  mkdirSync(context, { recursive: true });
  try {
    copyFileSync(DOCKERFILE, path.join(context, 'Dockerfile'));
    copyFileSync(path.join(binaries.dir, 'ctr'), path.join(context, 'ctr'));
    const ref = `${options.registryHost}/basebench-helpers/node-tools:${binaries.packageVersion.replace(/[^A-Za-z0-9_.-]/g, '-')}`;
    await options.images.build({
      contextDir: context,
      dockerfile: 'Dockerfile',
      tag: ref,
      buildArgs: { BASE_IMAGE: options.baseRef },
      onOutput: () => {},
    });
    await options.images.push(ref);
    return ref;
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}
