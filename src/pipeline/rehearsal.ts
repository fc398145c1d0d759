import { defaultCatalogFile, findBase, loadCatalog } from '../bases/catalog.js';
import { defaultBaseCacheDir, ensureLocalBase } from '../bases/local-bases.js';
import { canonicalReference, throughMirror, type Mirror } from '../bases/mirror.js';
import type { Logger } from '../common/log.js';
import { PROJECT_ROOT } from '../common/project-root.js';
import { connectEngine } from '../engine/connect.js';
import type { RunResults } from '../results/types.js';
import type { BenchOptions } from './options.js';
import { plannedVariants, runBench } from './run.js';
import { startHelperRegistry } from './helper-registry.js';

/** Mirrors on one registry for every upstream registry: docker.io at its root, others under their own name. */
function rehearsalMirrors(upstreamRefs: readonly string[], host: string): Mirror[] {
  const registries = [...new Set(upstreamRefs.filter((ref) => ref !== 'scratch').map((ref) => canonicalReference(ref).registry))];
  return registries.sort().map((registry) => ({ registry, via: registry === 'docker.io' ? host : `${host}/${registry}` }));
}

/**
 * A rehearsal of the upstream path, for machines the upstream registries can't be reached from:
 * a registry on 127.0.0.1 holds the local stand-ins under their upstream names
 * (library/debian:bookworm-slim, gcr.io/distroless/static-debian12…), and the run uses it as the
 * mirror of every upstream registry with --bases upstream. Resolving, pulling by reference,
 * digests, building and measuring are the upstream path's own code; the bytes are stand-ins,
 * which results.json records and every report line naming a base says.
 */
export async function rehearse(options: BenchOptions, log: Logger, signal: AbortSignal): Promise<RunResults> {
  const catalog = loadCatalog(options.catalogFile ?? defaultCatalogFile(PROJECT_ROOT));
  // The same variants the run will build, the floor's bases included.
  const planned = plannedVariants(options, catalog);
  const names = [
    ...new Set(
      planned.flatMap(({ variant }) => [variant.builder, variant.packer, variant.base].filter((base) => typeof base === 'string')),
    ),
  ];
  const entries = names.flatMap((name) => {
    const entry = findBase(catalog, name);
    return entry?.local && !('empty' in entry.local) ? [entry] : [];
  });
  const engine = await connectEngine(log);
  const { registry, close } = await startHelperRegistry(engine, log, 'rehearse');
  try {
    const mirrors = rehearsalMirrors(
      entries.map((entry) => entry.upstream),
      registry.host,
    );
    for (const entry of entries) {
      if (signal.aborted) break;
      const local = await ensureLocalBase(entry, { images: engine.images, log, catalog, cacheDir: defaultBaseCacheDir() });
      const upstreamName = throughMirror(entry.upstream, mirrors)!.ref;
      log.info(`Rehearsal: serving the stand-in ${entry.name} as ${upstreamName}`);
      await engine.images.tag(local.ref, upstreamName);
      await engine.images.push(upstreamName);
      // Gone from the engine again, so the run pulls it by reference as it would from upstream.
      await engine.images.remove(upstreamName);
    }
    return await runBench({ ...options, bases: 'upstream', mirrors, rehearsal: true }, log, signal);
  } finally {
    await close();
  }
}
