import type { ImageClient } from '../engine/clients.js';
import type { BaseSource } from '../results/types.js';
import type { BaseEntry } from './catalog.js';
import { ensureLocalBase, type LocalBaseContext } from './local-bases.js';

export type BasesMode = 'upstream' | 'local' | 'auto';

export interface ResolvedBase {
  name: string;
  source: BaseSource;
  ref: string;
  digest: string;
  recipeHash?: string;
  standsInFor?: string;
}

/** The image every reachability check asks the upstream registry about. */
const REACHABILITY_PROBE = 'debian:bookworm-slim';

/** auto: upstream when its registry answers within the timeout, else local stand-ins. */
export async function chooseBaseSource(
  mode: BasesMode,
  images: ImageClient,
  timeoutMs = 5000,
): Promise<{ resolved: 'upstream' | 'local'; note: string }> {
  if (mode === 'upstream') return { resolved: 'upstream', note: 'upstream images, as requested (--bases upstream)' };
  if (mode === 'local') return { resolved: 'local', note: 'local stand-ins built from Debian packages, as requested (--bases local)' };
  const reachable = await withTimeout(images.remoteDigest(REACHABILITY_PROBE), timeoutMs).then(
    () => true,
    () => false,
  );
  return reachable
    ? { resolved: 'upstream', note: `upstream images (auto: ${REACHABILITY_PROBE} answered)` }
    : {
        resolved: 'local',
        note: `local stand-ins built from Debian packages (auto: upstream registry did not answer for ${REACHABILITY_PROBE} within ${timeoutMs / 1000} s)`,
      };
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error) => (clearTimeout(timer), reject(error)),
    );
  });
}

/** Pure: which source and reference a logical base maps to for the chosen source. */
export function sourceFor(entry: BaseEntry, resolved: 'upstream' | 'local'): { source: BaseSource; ref: string } {
  if (entry.local.kind === 'empty') return { source: 'empty', ref: 'scratch' };
  return resolved === 'upstream' ? { source: 'upstream', ref: entry.upstream } : { source: 'local', ref: '' };
}

export async function resolveBase(
  entry: BaseEntry,
  resolved: 'upstream' | 'local',
  context: LocalBaseContext,
): Promise<ResolvedBase> {
  const { source, ref } = sourceFor(entry, resolved);
  if (source === 'empty') return { name: entry.name, source, ref, digest: '' };
  if (source === 'upstream') {
    const digest = await context.images.remoteDigest(ref);
    return { name: entry.name, source, ref, digest };
  }
  const local = await ensureLocalBase(entry, context);
  return {
    name: entry.name,
    source,
    ref: local.ref,
    digest: local.imageId,
    recipeHash: local.recipeHash,
    standsInFor: entry.upstream,
  };
}

