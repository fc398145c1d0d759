/** The part of results.json's shape (schema.ts) that describes bases: where each came from, its facts, its anatomy. */
import { z } from 'zod';

/** upstream: the catalog's official image; local: a stand-in built here; empty: scratch; image: named directly by a scenario. */
export const baseSource = z.enum(['upstream', 'local', 'empty', 'image']);

/** How a local stand-in was had: found in the engine, loaded from the cache, or built. */
export const baseObtained = z.enum(['present', 'loaded', 'built']);

/** Kinds of files an image's final filesystem is sorted into (measure/layer-files.ts says how). */
export const fileKind = z.enum([
  'app',
  'C library',
  'shared libraries',
  'language runtime',
  'certificates and time zones',
  'docs, man pages, locales',
  'package database',
  'shell and core utilities',
  'other',
]);

export const layerAnatomy = z.object({
  digest: z.string(),
  compressedBytes: z.number(),
  /** The sizes of the files it holds, summed; files: how many entries it has. */
  fileBytes: z.number(),
  files: z.number(),
  /** The instruction that made it: the Dockerfile's line where it could be matched, else the image history's. */
  createdBy: z.string(),
  /** base: the runtime base's own layers; builder output: copied from a build stage; app: the rest. */
  origin: z.enum(['base', 'builder output', 'app']),
});

/** dive's efficiency, and the bytes behind it (README: "Image anatomy"). */
export const layerEfficiency = z.object({
  /** Sum over paths of their smallest version over the sum of all their versions (1: nothing repeated or removed). */
  score: z.number(),
  /** Bytes in lower layers that a later layer overwrites or deletes. */
  hiddenBytes: z.number(),
  /** dive's "potential wasted space": every byte of every path more than one layer writes or deletes. */
  diveWastedBytes: z.number(),
  overwrittenFiles: z.number(),
  deletedFiles: z.number(),
  whiteouts: z.number(),
  opaqueDirectories: z.number(),
});

/** Where an image's bytes are: its layers, what stacking them wastes, and its final filesystem by kind of file. */
export const imageAnatomy = z.object({
  layers: z.array(layerAnatomy),
  efficiency: layerEfficiency,
  kinds: z.array(z.object({ kind: fileKind, files: z.number(), bytes: z.number() })),
  /** Executables with the setuid or setgid bit. */
  setuid: z.array(z.string()),
});

export const baseFacts = z.object({
  /** Layers + config as pushed to this run's registry. */
  compressedBytes: z.number(),
  uncompressedBytes: z.number(),
  layerCount: z.number(),
  /** Counted from the image's own package database. */
  packages: z.object({ count: z.number(), database: z.enum(['dpkg status', 'dpkg status.d', 'apk', 'none']) }),
  /** /bin/sh present. */
  shell: z.boolean(),
  /** apt, dpkg or apk, if present. */
  packageManager: z.string().nullable(),
  /** The base as pushed to this run's registry, and its layers: what a base-cached sample pulls first. */
  registryRef: z.string().optional(),
  diffIds: z.array(z.string()).optional(),
  anatomy: imageAnatomy.optional(),
  anatomyError: z.string().optional(),
  /** From trivy or grype when one is on PATH; scanner null means not scanned. */
  cves: z.union([
    z.object({ scanner: z.null() }),
    z.object({ scanner: z.string(), count: z.number() }),
    z.object({ scanner: z.string(), error: z.string() }),
  ]),
});

export const resolvedBase = z.object({
  /** Logical name from the base catalog, e.g. "debian-bookworm-slim". */
  name: z.string(),
  /** "local" means a stand-in built here from Debian packages, never the upstream image. */
  source: baseSource,
  /** The reference the build used, e.g. "debian:bookworm-slim" or "basebench-local/debian-bookworm-slim:1a2b…". */
  ref: z.string(),
  /** Upstream: the repository digest. Local: the image ID (recipeHash says what it was built from). */
  digest: z.string(),
  recipeHash: z.string().optional(),
  /** What a stand-in stands in for, and what differs from it, so no reader mistakes it for the upstream image. */
  standsInFor: z.string().optional(),
  note: z.string().optional(),
  /** A stand-in: what is known to differ from its upstream where it matters at start, and its Python bytecode (the catalog's). */
  differs: z.array(z.string()).optional(),
  bytecode: z.enum(['none', 'stdlib']).optional(),
  /** Where --mirror rewrote the reference: the upstream reference, and the mirror it was pulled through. */
  mirror: z.object({ upstream: z.string(), via: z.string() }).optional(),
  obtained: baseObtained.optional(),
  obtainMs: z.number().optional(),
});

export const resolvedBaseRecord = resolvedBase.extend({
  /** What the article's base table compares, read off the image; absent if reading it failed. */
  facts: baseFacts.optional(),
  factsError: z.string().optional(),
});

export const baseUse = resolvedBaseRecord.extend({
  /** What the variant uses the base for: its build stage, its UPX stage, or the image it ships on. */
  role: z.enum(['builder', 'packer', 'runtime']),
});
