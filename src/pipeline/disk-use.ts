/**
 * What basebench keeps on disk between runs, and trimming it: the untagged builder stages its
 * builds leave on the engine (known by the build ledger), the stand-in base images, and the
 * stand-in cache folder. A weekly runner or a laptop sees the sizes at the end of every run.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { builtImages, forgetBuilt, sameImage } from '../common/build-ledger.js';
import type { Logger } from '../common/log.js';
import { stateRoot } from '../common/state-root.js';
import type { Engine, ImageLayer } from '../engine/clients.js';

export interface DiskUse {
  /** What basebench left on the engine; undefined when no engine answered (the cache is still counted). */
  engine?: {
    /** Untagged images a basebench build left (earlier stages of multi-stage builds). */
    stages: Array<{ id: string }>;
    /** The stand-in base images on the engine (basebench-local/…). */
    standIns: Array<{ ref: string; id: string }>;
    /**
     * Bytes of the layers only the stages hold, and only the stand-ins: what removing them frees. Layers
     * another image builds on stay (a stage's base is a stand-in's layer; a variant keeps its stand-in's).
     */
    stagesOnlyBytes: number;
    standInsOnlyBytes: number;
    /** Stages another image builds on (a tagged image's own earlier steps): the engine keeps them while that image stays. */
    stagesUnderKept: number;
  };
  /** The stand-in cache folder (saved images, so a new engine needn't rebuild them). */
  cache: { folder: string; bytes: number };
}

function folderBytes(folder: string): number {
  let total = 0;
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) total += folderBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

/** The layers of every image outside the group, by key. */
const keysOutside = (group: ReadonlySet<string>, layersOf: ReadonlyMap<string, ImageLayer[]>) =>
  new Set([...layersOf].filter(([id]) => !group.has(id)).flatMap(([, layers]) => layers.map((layer) => layer.key)));

/** Bytes of the layers the group's images hold and no other image does (`outside`), each layer counted once. */
function bytesOnlyIn(
  group: ReadonlySet<string>,
  layersOf: ReadonlyMap<string, ImageLayer[]>,
  outside = keysOutside(group, layersOf),
): number {
  const inside = new Map([...group].flatMap((id) => layersOf.get(id) ?? []).map((layer) => [layer.key, layer.bytes]));
  return [...inside].reduce((total, [key, bytes]) => total + (outside.has(key) ? 0 : bytes), 0);
}

export async function diskUse(engine: Engine | undefined, cacheFolder: string, root = stateRoot()): Promise<DiskUse> {
  const cache = { folder: cacheFolder, bytes: folderBytes(cacheFolder) };
  if (!engine) return { cache };
  const ledger = builtImages(root);
  const images = await engine.images.list();
  const stages = images
    .filter((image) => image.tags.length === 0 && ledger.some((built) => sameImage(built, image.id)))
    .map((image) => ({ id: image.id }));
  const standIns = images.flatMap((image) =>
    image.tags.filter((tag) => tag.startsWith('basebench-local/')).map((ref) => ({ ref, id: image.id })),
  );
  // Every image's layers, the user's own included: a layer one of them holds is not freed by removing ours.
  const layersOf = new Map<string, ImageLayer[]>();
  for (const image of images) layersOf.set(image.id, await engine.images.layers(image.id).catch(() => []));
  const stageIds = new Set(stages.map((stage) => stage.id));
  const outsideStages = keysOutside(stageIds, layersOf);
  return {
    engine: {
      stages,
      standIns,
      stagesOnlyBytes: bytesOnlyIn(stageIds, layersOf, outsideStages),
      stagesUnderKept: stages.filter((stage) => outsideStages.has(layersOf.get(stage.id)?.at(-1)?.key ?? '')).length,
      standInsOnlyBytes: bytesOnlyIn(new Set(standIns.map((standIn) => standIn.id)), layersOf),
    },
    cache,
  };
}

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;

/** One paragraph: what is kept, what removing it frees, and the command that trims each part. */
export function describeDiskUse(use: DiskUse): string {
  const cache = `the stand-in cache ${use.cache.folder} (${gb(use.cache.bytes)}`;
  if (!use.engine)
    return (
      `Kept between runs: ${cache}; basebench clean --bases removes it). No Docker Engine answered, so the builder stages ` +
      'and stand-in images on it are not counted: start it and run clean again to see or trim them.'
    );
  const { stages, standIns, stagesOnlyBytes, standInsOnlyBytes, stagesUnderKept } = use.engine;
  const under = stagesUnderKept > 0 ? `, except ${stagesUnderKept} under images kept, which go with them` : '';
  return (
    `Kept between runs: ${stages.length} untagged builder stage(s) on the engine (${gb(stagesOnlyBytes)} no other image ` +
    `holds; basebench clean --build-cache removes them${under}), ${standIns.length} stand-in base image(s) (${gb(standInsOnlyBytes)} ` +
    `no other image holds) and ${cache}; basebench clean --bases removes both, rebuilt when next needed).`
  );
}

/**
 * Removes builder stages, a child before its parent: the engine refuses a stage another image
 * builds on, so passes repeat while one frees another. Returns the ids removed.
 */
async function removeStages(engine: Engine, stages: ReadonlyArray<{ id: string }>): Promise<{ removed: string[]; why?: string }> {
  const removed: string[] = [];
  let left = stages.map((stage) => stage.id);
  let why: string | undefined;
  while (left.length > 0) {
    const freed: string[] = [];
    for (const id of left)
      await engine.images.remove(id).then(
        () => freed.push(id),
        (error: Error) => {
          why = error.message.split('\n')[0]?.trim();
        },
      );
    if (freed.length === 0) break;
    removed.push(...freed);
    left = left.filter((id) => !freed.includes(id));
  }
  return { removed, ...(left.length > 0 ? { why } : {}) };
}

/** Removes what was asked, and says what it freed (sizes before and after). */
export async function trimDisk(
  engine: Engine | undefined,
  cacheFolder: string,
  what: { buildCache: boolean; bases: boolean; dryRun: boolean },
  log: Logger,
  root = stateRoot(),
): Promise<void> {
  const before = await diskUse(engine, cacheFolder, root);
  log.info(describeDiskUse(before));
  if (what.dryRun) return;
  if (what.buildCache && engine && before.engine) {
    const { removed, why } = await removeStages(engine, before.engine.stages);
    forgetBuilt(
      builtImages(root).filter((id) => removed.some((image) => sameImage(id, image))),
      root,
    );
    const kept = before.engine.stages.length - removed.length;
    // Usually a stage a tagged image builds on: it goes when that image does.
    if (kept > 0) log.info(`Kept ${kept} builder stage(s) the engine would not remove (the last reason: ${why}).`);
  }
  if (what.bases) {
    if (engine && before.engine)
      for (const image of before.engine.standIns)
        await engine.images.remove(image.ref).catch((error: Error) => log.warn(`kept ${image.ref}: ${error.message}`));
    rmSync(cacheFolder, { recursive: true, force: true });
  }
  if (what.buildCache || what.bases) log.info(`After: ${describeDiskUse(await diskUse(engine, cacheFolder, root))}`);
}
