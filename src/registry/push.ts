/**
 * Pushes to the run's registry, giving up at once where no retry can succeed: Docker Engine retries a layer the
 * registry fails to take five times over about 50 s ("Retrying in N seconds"), and on a full disk every retry fails
 * the same way, so each image would cost the run those 50 s for nothing. (Podman 4.3 does not retry: its push of a
 * layer to a full registry failed with the registry's 500 in under a second, tried by hand.)
 */
import { freeBytes } from '../common/disk-space.js';
import type { ImageClient, ProgressEvent } from '../engine/clients.js';
import type { Registry } from './registry.js';

/** Under this, no layer fits: the registry's disk is full. */
const FULL_BELOW_BYTES = 1e6;

/** How a reason says it: a reason that already does needs no second note. */
export const DISK_FULL = "the registry's disk is full";

/** "the registry's disk is full (0.1 MB free)" where the storage of a registry this run started has under 1 MB left. */
export function registryDiskFull(registry: Pick<Registry, 'storage'>): string | undefined {
  const free = registry.storage ? freeBytes(registry.storage) : undefined;
  return free !== undefined && free < FULL_BELOW_BYTES ? `${DISK_FULL} (${(free / 1e6).toFixed(1)} MB free)` : undefined;
}

/** Pushes `ref` to the registry; a push the engine retries while the registry's disk is full is given up with that as why. */
export function pushToRegistry(images: ImageClient, registry: Pick<Registry, 'storage'>, ref: string): Promise<string> {
  const giveUp = new AbortController();
  const onEvent = (event: ProgressEvent) => {
    if (giveUp.signal.aborted || !event.status?.startsWith('Retrying in')) return;
    const full = registryDiskFull(registry);
    if (full) giveUp.abort(new Error(`${full}: the engine's retries of ${ref} were given up`));
  };
  return images.push(ref, onEvent, giveUp.signal);
}
