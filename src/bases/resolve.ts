import type { ImageClient } from '../engine/clients.js';
import { registryHostOf } from '../engine/credentials.js';
import type { BaseSource, ResolvedBase } from '../results/types.js';
import { findBase, type BaseCatalog, type BaseEntry } from './catalog.js';
import { ensureLocalBase, type LocalBaseContext } from './local-bases.js';

export type BasesMode = 'upstream' | 'local' | 'auto';

export type { ResolvedBase };

/** A base this run can't have, with the reason reports show for the variants that need it. */
export class BaseUnavailable extends Error {
  constructor(
    readonly base: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'BaseUnavailable';
  }
}

export type SourceDecision = { source: Exclude<BaseSource, 'image'> } | { unavailable: string };

/** Pure: where a base comes from, given the mode and whether its upstream registry answered. */
export function decideSource(entry: BaseEntry, mode: BasesMode, upstreamReachable: boolean): SourceDecision {
  if (entry.local && 'empty' in entry.local) return { source: 'empty' };
  if (mode === 'upstream')
    return upstreamReachable ? { source: 'upstream' } : { unavailable: `upstream ${entry.upstream} is not reachable (--bases upstream)` };
  if (mode === 'auto' && upstreamReachable) return { source: 'upstream' };
  if (entry.local) return { source: 'local' };
  const why = mode === 'auto' ? `upstream ${entry.upstream} is not reachable and ` : '';
  return { unavailable: `${why}no local stand-in exists: ${entry.offline ?? 'no recipe'}` };
}

const REACHABILITY_TIMEOUT_MS = 5000;

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Resolves logical base names for one run, each once. In auto mode each upstream registry is
 * asked once (with a short timeout); one that doesn't answer sends its bases to local stand-ins.
 */
export class BaseResolver {
  private readonly resolved = new Map<string, Promise<ResolvedBase>>();
  private readonly unreachableHosts = new Set<string>();

  constructor(
    private readonly catalog: BaseCatalog,
    private readonly mode: BasesMode,
    private readonly local: LocalBaseContext,
    private readonly images: ImageClient,
  ) {}

  /**
   * A runtime base a scenario names by image reference: as the engine has it (its image ID), else
   * as its registry has it (its digest); unavailable, with why, when neither.
   */
  async resolveImage(ref: string): Promise<ResolvedBase> {
    const local = await this.images.inspect(ref).catch(() => undefined);
    if (local) return { name: ref, source: 'image', ref, digest: local.repoDigests[0]?.split('@')[1] ?? local.id };
    try {
      return { name: ref, source: 'image', ref, digest: await withTimeout(this.images.remoteDigest(ref), REACHABILITY_TIMEOUT_MS) };
    } catch (error) {
      throw new BaseUnavailable(
        ref,
        `image ${ref} is not in the engine and its registry did not answer (${(error as Error).message.split('\n')[0]})`,
      );
    }
  }

  resolve(name: string): Promise<ResolvedBase> {
    let pending = this.resolved.get(name);
    if (!pending) {
      pending = this.resolveOnce(name);
      this.resolved.set(name, pending);
    }
    return pending;
  }

  private async upstreamDigest(entry: BaseEntry): Promise<string | undefined> {
    if (this.mode === 'local') return undefined;
    const host = registryHostOf(entry.upstream);
    if (this.unreachableHosts.has(host)) return undefined;
    try {
      return await withTimeout(this.images.remoteDigest(entry.upstream), REACHABILITY_TIMEOUT_MS);
    } catch (error) {
      this.unreachableHosts.add(host);
      this.local.log.info(`Upstream ${host} did not answer for ${entry.upstream} (${(error as Error).message.split('\n')[0]})`);
      return undefined;
    }
  }

  private async resolveOnce(name: string): Promise<ResolvedBase> {
    const entry = findBase(this.catalog, name);
    if (!entry) throw new BaseUnavailable(name, `unknown base "${name}"`);
    const digest = entry.local && 'empty' in entry.local ? undefined : await this.upstreamDigest(entry);
    const decision = decideSource(entry, this.mode, digest !== undefined);
    if ('unavailable' in decision) throw new BaseUnavailable(name, decision.unavailable);
    switch (decision.source) {
      case 'empty':
        return { name, source: 'empty', ref: 'scratch', digest: '' };
      case 'upstream':
        return { name, source: 'upstream', ref: entry.upstream, digest: digest! };
      case 'local': {
        const local = await ensureLocalBase(entry, this.local);
        return {
          name,
          source: 'local',
          ref: local.ref,
          digest: local.imageId,
          recipeHash: local.recipeHash,
          standsInFor: entry.upstream,
          ...(entry.note ? { note: entry.note } : {}),
          obtained: local.obtained,
          obtainMs: local.obtainMs,
        };
      }
    }
  }
}
