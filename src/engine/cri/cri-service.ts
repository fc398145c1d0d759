/** The cri engine as a run starts it: the pause image built on the host engine, a containerd node, the engine over it. */
import type { Logger } from '../../common/log.js';
import type { ImageClient, Leftover, StartedService } from '../clients.js';
import { startContainerdNode } from './containerd-node.js';
import { criEngine, criStoredContent } from './cri-engine.js';
import { pauseImage } from './pause-image.js';

export async function startCriService(options: {
  name: string;
  runId: string;
  dir: string;
  /** The host engine's images: it builds the pause image (and, when no Docker-API engine is measured, every image). */
  hostImages: ImageClient;
  builderRef: () => Promise<string>;
  log: Logger;
  leaves?: (leftover: Leftover) => void;
}): Promise<StartedService> {
  const pauseRef = await pauseImage(options.hostImages, await options.builderRef());
  const node = await startContainerdNode({
    name: options.name,
    runId: options.runId,
    dir: options.dir,
    pause: { ref: pauseRef, save: () => options.hostImages.save(pauseRef) },
    log: options.log,
    ...(options.leaves ? { leaves: options.leaves } : {}),
  });
  return {
    engine: criEngine(node),
    endpoint: `unix://${node.socket}`,
    origin:
      `Debian trixie's containerd ${node.binaries.packageVersion} started by this run, driven through the CRI as a kubelet ` +
      `would; own root, socket and network namespace ${node.namespace}, pause image built from floor/pause, CNI bridge ` +
      'inside that namespace, registry reached through a unix-socket relay',
    stop: node.stop,
    storedBlobs: criStoredContent(node),
  };
}
