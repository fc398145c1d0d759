import os from 'node:os';
import { type FreeSpace, freeBytes } from '../common/disk-space.js';
import path from 'node:path';
import type { EngineSession } from '../engine/open-engines.js';
import type { RunResults } from '../results/types.js';

/** What a variant is assumed to take when no earlier run measured it: generous, as a full JDK image is. */
const UNKNOWN_IMAGE = { engineBytes: 1.5e9, registryBytes: 0.6e9 };
/** Build cache, bases and the engine's own bookkeeping on top of the images. */
const ENGINE_MARGIN_BYTES = 2e9;

export interface SpaceNeed {
  /** On each engine's data root: every image (warm rounds pull them all) and the bases. */
  engineBytes: number;
  /** In the run's registry storage: every image, once per compression. */
  registryBytes: number;
  /** How many variants had no earlier measurement and were assumed. */
  assumed: number;
}

/** Pure: the space a run of these variants needs, from what an earlier run measured of the same variants. */
export function estimateSpace(variantIds: readonly string[], compressions: number, earlier?: RunResults): SpaceNeed {
  const known = new Map((earlier?.variants ?? []).flatMap((variant) => (variant.image ? [[variant.id, variant.image] as const] : [])));
  let engineBytes = ENGINE_MARGIN_BYTES;
  let registryBytes = 0;
  let assumed = 0;
  for (const id of variantIds) {
    const image = known.get(id);
    if (!image) assumed += 1;
    engineBytes += image ? image.uncompressedBytes : UNKNOWN_IMAGE.engineBytes;
    registryBytes += (image ? image.compressedBytes : UNKNOWN_IMAGE.registryBytes) * compressions;
  }
  return { engineBytes, registryBytes, assumed };
}

const gigabytes = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;

/**
 * Refuses a run that would fill a disk, before anything is built: each engine's data root (as
 * this machine sees it; a remote engine's is not checked) and the registry's folder, summed per
 * filesystem. Returns what was checked, for the log.
 */
export function checkSpace(
  need: SpaceNeed,
  engines: readonly EngineSession[],
  registryFolder = os.tmpdir(),
  free: FreeSpace = freeBytes,
): string {
  const wants = new Map<string, { bytes: number; what: string[] }>();
  const want = (folder: string | undefined, bytes: number, what: string) => {
    if (!folder) return;
    const available = free(folder);
    if (available === undefined) return;
    // Folders on one filesystem share its free space: key by the free figure and the root-most folder seen.
    const key = `${available}`;
    const entry = wants.get(key) ?? { bytes: 0, what: [] };
    entry.bytes += bytes;
    entry.what.push(`${what} (${folder})`);
    wants.set(key, entry);
  };
  for (const engine of engines) {
    const local = engine.endpoint.startsWith('unix://');
    want(local ? engine.facts.dataRoot : undefined, need.engineBytes, `engine ${engine.name}'s data root`);
  }
  want(path.resolve(registryFolder), need.registryBytes, "the registry's storage");
  const problems = [...wants.entries()]
    .filter(([available, entry]) => entry.bytes > Number(available))
    .map(
      ([available, entry]) =>
        `needs about ${gigabytes(entry.bytes)} for ${entry.what.join(' and ')}, and ${gigabytes(Number(available))} is free`,
    );
  const assumed =
    need.assumed > 0
      ? ` (${need.assumed} variant(s) never measured before were assumed at ${gigabytes(UNKNOWN_IMAGE.engineBytes)} each)`
      : '';
  if (problems.length > 0) {
    throw new Error(`not enough disk space for this run: it ${problems.join('; it ')}${assumed}. Free some space, or run fewer variants.`);
  }
  const amounts = `about ${gigabytes(need.engineBytes)} per engine and ${gigabytes(need.registryBytes)} for the registry`;
  return `Disk: ${amounts}${assumed}; enough is free`;
}
