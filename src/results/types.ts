/** The shape of results.json: the source of truth every report is rendered from. */

export type BaseSource = 'upstream' | 'local' | 'empty';

export interface ResolvedBaseRecord {
  /** Logical name from the base catalog, e.g. "debian-bookworm-slim". */
  name: string;
  /** "local" means a stand-in built here from Debian packages, never the upstream image. */
  source: BaseSource;
  /** The reference the build used, e.g. "debian:bookworm-slim" or "basebench-local/debian-bookworm-slim:1a2b…". */
  ref: string;
  /** Upstream: the repository digest. Local: the image ID (recipeHash says what it was built from). */
  digest: string;
  recipeHash?: string;
  /** What a stand-in stands in for, and what differs from it, so no reader mistakes it for the upstream image. */
  standsInFor?: string;
  note?: string;
  /** For local bases: found in the engine, loaded from the cache, or built, and how long that took. */
  obtained?: 'present' | 'loaded' | 'built';
  obtainMs?: number;
  /** What the article's base table compares, read off the image; absent if reading it failed. */
  facts?: BaseFacts;
  factsError?: string;
}

export interface BaseFacts {
  /** Layers + config as pushed to this run's registry. */
  compressedBytes: number;
  uncompressedBytes: number;
  layerCount: number;
  /** Counted from the image's own package database. */
  packages: { count: number; database: 'dpkg status' | 'dpkg status.d' | 'apk' | 'none' };
  /** /bin/sh present. */
  shell: boolean;
  /** apt, dpkg or apk, if present. */
  packageManager: string | null;
  /** From trivy or grype when one is on PATH; scanner null means not scanned. */
  cves: { scanner: null } | { scanner: string; count: number } | { scanner: string; error: string };
}

export interface BaseUse extends ResolvedBaseRecord {
  /** What the variant uses the base for: its build stage, its UPX stage, or the image it ships on. */
  role: 'builder' | 'packer' | 'runtime';
}

/** A blob of an image as its registry manifest lists it. */
export interface LayerBlob {
  digest: string;
  size: number;
  mediaType: string;
}

/** The same image pushed with other layer compression: same config and diff IDs, other blobs. */
export interface RecompressedImage {
  compression: 'zstd';
  ref: string;
  digest: string;
  compressedBytes: number;
  layers: LayerBlob[];
}

export type Compression = 'gzip' | 'zstd';

export interface ImageFacts {
  ref: string;
  /** Manifest digest reported by the registry on push. */
  digest: string;
  /** Sum of layer and config blob sizes in the registry manifest: the bytes a cold pull transfers. */
  compressedBytes: number;
  /** Size of the image once extracted, as the engine reports it. */
  uncompressedBytes: number;
  layerCount: number;
  /** Layer diff IDs, used to prove the cache is cold before each cold sample. */
  diffIds: string[];
  /** The compressed layer blobs (gzip), which a cold pull must fetch in full from the registry. */
  layers?: LayerBlob[];
  config?: LayerBlob;
  /** The same image with zstd layers (--compression zstd). */
  recompressed?: RecompressedImage[];
  /** Size of the app's binary inside the image, for variants that declare one. */
  binaryBytes?: number;
}

export interface ProbeCost {
  attempts: number;
  /** CPU time the harness process used while probing (user + system). */
  cpuMs: number;
}

export interface PullFacts {
  /** Layers the pull downloaded and extracted ("Pull complete"). */
  layersPulled: number;
  /** Layers the engine already had ("Already exists"): must be 0 for a cold sample. */
  layersAlreadyPresent: number;
  /**
   * From the pull request to the last layer's "Download complete": the transfer. The engine
   * extracts layers while later ones download, so the rest of the pull (extractTailMs) is the
   * extraction that could not overlap a download.
   */
  transferMs?: number;
  extractTailMs?: number;
  /** Bytes the throttling proxy carried from the registry for this pull (shaped profiles only). */
  bytesTransferred?: number;
  /**
   * How the pull was shown to be cold: the registry's own log of the blobs it sent in full during
   * the pull (every engine), or the engine's progress stream ("Pull complete" for every layer,
   * only where the registry is not this run's).
   */
  proof?: 'registry-log' | 'engine-stream';
  /** Layer and config bytes the registry sent during the pull, from its log. */
  bytesServed?: number;
}

export type SampleKind = 'cold' | 'warm';

export interface Sample {
  kind: SampleKind;
  repetition: number;
  /** The round of the interleaved schedule the sample was taken in. */
  round?: number;
  /** A warm-up sample: recorded, never counted in a statistic. */
  warmup?: boolean;
  /** The network profile a cold sample pulled through; absent means the direct path (none). */
  profile?: string;
  /** The engine the sample ran on (provenance.engines); absent in runs before engines were named: the first. */
  engine?: string;
  /** Layer compression of the image a cold sample pulled; absent means gzip. */
  compression?: 'zstd';
  state: 'completed' | 'failed';
  /** Milliseconds on the monotonic clock; pull is absent for warm samples. */
  pullMs?: number;
  createMs?: number;
  startMs?: number;
  startToFirstResponseMs?: number;
  /** Cold: pull + create + start + first response. Warm: create + start + first response. */
  totalMs?: number;
  pull?: PullFacts;
  probe?: ProbeCost;
  /** The container's memory right after its first correct response (outside the timed phases). */
  memory?: { rssBytes: number; usageBytes: number };
  httpStatus?: number;
  error?: string;
  exitCode?: number;
  logTail?: string;
}

/** pending until measured; partial: some samples failed, others completed (the reason names the first failure). */
export type VariantState = 'pending' | 'completed' | 'partial' | 'failed' | 'skipped';

export interface VariantResult {
  /** "<app>/<variant>" */
  id: string;
  app: string;
  language: string;
  variant: string;
  scenarioFile: string;
  state: VariantState;
  reason?: string;
  logTail?: string;
  bases: BaseUse[];
  /** The variant packs its binary with UPX; `unpackedVariant` is the same build without packing. */
  upx?: { unpackedVariant: string };
  image?: ImageFacts;
  buildMs?: number;
  samples: Sample[];
}

/** An engine the run measured on: what it is, and how the run reached it. */
export interface EngineRecord {
  name: string;
  product: string;
  version: string;
  apiVersion: string;
  storageDriver: string;
  cgroupVersion: string;
  operatingSystem: string;
  imageStore: 'classic' | 'containerd' | 'containers-storage';
  runtime: string;
  endpoint: string;
  origin: string;
  /** What the engine's pull progress stream says, and so how finely the transfer/extraction split is known. */
  pullProgress: string;
  /** Whether it reads zstd layers, or why not. */
  zstd: { reads: true } | { reads: false; reason: string };
}

export interface Provenance {
  harness: { version: string; gitCommit: string; gitDirty: boolean };
  /** The engine that built and pushed the images (the first of `engines`). */
  engine: {
    version: string;
    apiVersion: string;
    storageDriver: string;
    cgroupVersion: string;
    operatingSystem: string;
  };
  /** Every engine samples were taken on, in the order given; absent in runs before engines were named. */
  engines?: EngineRecord[];
  /** Set on every measured container, on every engine alike. */
  container?: { network: string; ulimits: string[]; user: string; privileges: string };
  host: {
    kernel: string;
    cpuModel: string;
    cpuCount: number;
    memoryBytes: number;
    platform: string;
    nodeVersion: string;
  };
  registry: { url: string; kind: 'local-binary' | 'local-container' | 'external'; version: string };
  /** How bases were chosen for this run. Each variant's bases say which source was used. */
  bases: { mode: 'upstream' | 'local' | 'auto' };
}

export interface RunOptionsRecord {
  repeat: number;
  warmRepeat: number;
  /** Discarded samples taken before the measured ones, of each kind, per variant. */
  warmup: number;
  /** Seed of the shuffled, interleaved order; with the same variants it gives the same order. */
  seed: number;
  /** Whether the page cache was dropped before each cold sample. */
  dropCaches: boolean;
  timeoutMs: number;
  scenarios: string[];
  variantFilter: string[];
  /** The order samples were taken in, round by round ("variant@profile" for cold samples through a profile). */
  order: Array<{ round: number; kind: SampleKind; variants: string[] }>;
  /** Network profiles cold samples pulled through; the first is the one summaries lead with. */
  profiles: Array<{ name: string; bitsPerSecond?: number; rttMs?: number }>;
  /** Layer compressions cold samples pulled; absent means gzip only. */
  compressions?: Compression[];
}

export interface RunResults {
  schemaVersion: 1;
  runId: string;
  state: 'running' | 'completed' | 'interrupted';
  startedAt: string;
  finishedAt?: string;
  options: RunOptionsRecord;
  provenance: Provenance;
  /** Every base the run resolved, and those it could not have, with the reason. */
  bases: ResolvedBaseRecord[];
  unavailableBases: Array<{ name: string; reason: string }>;
  variants: VariantResult[];
  /** For a run merged from partial runs (e.g. one CI job per language): each part and its provenance. */
  mergedFrom?: Array<{ runId: string; startedAt: string; provenance: Provenance; variants: string[] }>;
}
