import type { Engine, ImageClient } from '../engine/clients.js';
import type { Logger } from '../common/log.js';
import { PROJECT_ROOT } from '../common/project-root.js';
import { registryHostOf } from '../engine/credentials.js';
import type { BaseSource, ResolvedBase } from '../results/types.js';
import { defaultCatalogFile, findBase, loadCatalog, type BaseCatalog, type BaseEntry } from './catalog.js';
import { defaultBaseCacheDir, ensureLocalBase, type LocalBaseContext } from './local-bases.js';
import { throughMirror, type Mirror } from './mirror.js';

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
    private readonly mirrors: readonly Mirror[] = [],
  ) {}

  /** The reference to pull: the upstream one, or its mirror's (recorded with what it stands for). */
  private pullable(upstream: string): { ref: string; mirror?: { upstream: string; via: string } } {
    const mirrored = throughMirror(upstream, this.mirrors);
    return mirrored ? { ref: mirrored.ref, mirror: { upstream, via: mirrored.mirror.via } } : { ref: upstream };
  }

  /**
   * A runtime base a scenario names by image reference: as the engine has it (its image ID), else
   * as its registry has it (its digest); unavailable, with why, when neither.
   */
  async resolveImage(name: string): Promise<ResolvedBase> {
    const local = await this.images.inspect(name).catch(() => undefined);
    if (local) return { name, source: 'image', ref: name, digest: local.repoDigests[0]?.split('@')[1] ?? local.id };
    const { ref, mirror } = this.pullable(name);
    try {
      const digest = await withTimeout(this.images.remoteDigest(ref), REACHABILITY_TIMEOUT_MS);
      return { name, source: 'image', ref, digest, ...(mirror ? { mirror } : {}) };
    } catch (error) {
      throw new BaseUnavailable(
        name,
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

  private async upstreamDigest(ref: string): Promise<string | undefined> {
    if (this.mode === 'local') return undefined;
    const host = registryHostOf(ref);
    if (this.unreachableHosts.has(host)) return undefined;
    try {
      return await withTimeout(this.images.remoteDigest(ref), REACHABILITY_TIMEOUT_MS);
    } catch (error) {
      this.unreachableHosts.add(host);
      this.local.log.info(`Upstream ${host} did not answer for ${ref} (${(error as Error).message.split('\n')[0]})`);
      return undefined;
    }
  }

  private async resolveOnce(name: string): Promise<ResolvedBase> {
    const entry = findBase(this.catalog, name);
    if (!entry) throw new BaseUnavailable(name, `unknown base "${name}"`);
    const { ref, mirror } = this.pullable(entry.upstream);
    const digest = entry.local && 'empty' in entry.local ? undefined : await this.upstreamDigest(ref);
    const decision = decideSource(entry, this.mode, digest !== undefined);
    if ('unavailable' in decision) throw new BaseUnavailable(name, decision.unavailable);
    switch (decision.source) {
      case 'empty':
        return { name, source: 'empty', ref: 'scratch', digest: '' };
      case 'upstream':
        return { name, source: 'upstream', ref, digest: digest!, ...(mirror ? { mirror } : {}) };
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
          ...(entry.fidelity ? { differs: entry.fidelity.differs } : {}),
          ...(entry.fidelity?.bytecode ? { bytecode: entry.fidelity.bytecode } : {}),
          obtained: local.obtained,
          obtainMs: local.obtainMs,
        };
      }
    }
  }
}

/** The catalog's bases through a resolver on one engine (what the bases command and the harness's benchmarks share). */
export function catalogResolver(engine: Pick<Engine, 'images'>, mode: BasesMode, log: Logger) {
  const catalog = loadCatalog(defaultCatalogFile(PROJECT_ROOT));
  return {
    catalog,
    resolver: new BaseResolver(catalog, mode, { images: engine.images, log, catalog, cacheDir: defaultBaseCacheDir() }, engine.images),
  };
}
