import { z } from 'zod';
import { type RepeatField, SAMPLE_KIND_NAMES, SAMPLE_KINDS } from './sample-kinds.js';
import { baseUse, imageAnatomy, resolvedBaseRecord } from './base-schema.js';

/**
 * The shape of results.json, the source of truth every report is rendered from: one zod schema
 * per record, and the TypeScript types inferred from them (types.ts), so each fact has one type.
 * The bases and their anatomy are in base-schema.ts, the sample kinds in sample-kinds.ts. Runs
 * written by older versions are upgraded on reading (read-run.ts).
 */
export const SCHEMA_VERSION = 2;

export const compression = z.enum(['gzip', 'zstd']);

/** A blob of an image as its registry manifest lists it. */
export const layerBlob = z.object({ digest: z.string(), size: z.number(), mediaType: z.string() });

/** The same image pushed with other layer compression: same config and diff IDs, other blobs. */
export const recompressedImage = z.object({
  compression: z.literal('zstd'),
  ref: z.string(),
  digest: z.string(),
  compressedBytes: z.number(),
  layers: z.array(layerBlob),
});

export const imageFacts = z.object({
  ref: z.string(),
  /** Manifest digest reported by the registry on push. */
  digest: z.string(),
  /** Sum of layer and config blob sizes in the registry manifest: the bytes a cold pull transfers. */
  compressedBytes: z.number(),
  /** Size of the image once extracted, as the engine reports it. */
  uncompressedBytes: z.number(),
  layerCount: z.number(),
  /** Layer diff IDs, used to prove the cache is cold before each cold sample. */
  diffIds: z.array(z.string()),
  /** The compressed layer blobs (gzip), which a cold pull must fetch in full from the registry. */
  layers: z.array(layerBlob).optional(),
  config: layerBlob.optional(),
  /** The same image with zstd layers (--compression zstd). */
  recompressed: z.array(recompressedImage).optional(),
  /** Size of the app's binary inside the image, for variants that declare one. */
  binaryBytes: z.number().optional(),
  /** The image's platform as its config says, e.g. "linux/amd64". */
  platform: z.string().optional(),
  /** The engine pushed some layers uncompressed (the containerd image store does for imported layers); the harness gzipped them. */
  gzippedByHarness: z.boolean().optional(),
  anatomy: imageAnatomy.optional(),
  anatomyError: z.string().optional(),
});

export const pullFacts = z.object({
  /** Layers the pull transferred in full: by the registry's log, or the engine's "Pull complete". */
  layersPulled: z.number(),
  /** Layers the engine reported as "Already exists": must be 0 for a cold sample. */
  layersAlreadyPresent: z.number(),
  /**
   * From the pull request to the last layer's "Download complete": the transfer. The engine
   * extracts layers while later ones download, so the rest of the pull (extractTailMs) is the
   * extraction that could not overlap a download.
   */
  transferMs: z.number().optional(),
  extractTailMs: z.number().optional(),
  /** Bytes the throttling proxy carried from the registry for this pull (shaped profiles only). */
  bytesTransferred: z.number().optional(),
  /**
   * How the pull was shown to be cold: the registry's own log of the blobs it sent in full during
   * the pull (every engine), or the engine's progress stream ("Pull complete" for every layer,
   * only where the registry is not this run's).
   */
  proof: z.enum(['registry-log', 'engine-stream']).optional(),
  /** Layer and config bytes the registry sent during the pull, from its log. */
  bytesServed: z.number().optional(),
});

/** cold, base-cached, warm: what each means is declared in sample-kinds.ts. */
export const sampleKind = z.enum(SAMPLE_KIND_NAMES);

export const sample = z.object({
  kind: sampleKind,
  repetition: z.number(),
  /** The round of the interleaved schedule the sample was taken in. */
  round: z.number().optional(),
  /** A warm-up sample: recorded, never counted in a statistic. */
  warmup: z.boolean().optional(),
  /** The network profile a cold sample pulled through; absent means the direct path (none). */
  profile: z.string().optional(),
  /** The engine the sample ran on (provenance.engines). */
  engine: z.string(),
  /** Layer compression of the image a cold sample pulled (warm samples: gzip, they pull nothing). */
  compression,
  state: z.enum(['completed', 'failed']),
  /** Milliseconds on the monotonic clock; pull is absent for warm samples. */
  pullMs: z.number().optional(),
  /** On the cri engine: RunPodSandbox (pause container and CNI) then CreateContainer; sandboxMs is the first part. */
  createMs: z.number().optional(),
  sandboxMs: z.number().optional(),
  startMs: z.number().optional(),
  startToFirstResponseMs: z.number().optional(),
  /** Cold: pull + create + start + first response. Warm: create + start + first response. */
  totalMs: z.number().optional(),
  pull: pullFacts.optional(),
  /**
   * The probe's work: HTTP attempts, the checks of the container's socket tables that made an
   * attempt unnecessary (socketWatch: whether they could be read), and the harness's CPU time.
   */
  probe: z
    .object({
      attempts: z.number(),
      cpuMs: z.number(),
      skipped: z.number().optional(),
      socketWatch: z.boolean().optional(),
      /** CPU time of the engine's port forwarder (docker-proxy) over the sample, where it is a visible process. */
      forwarderCpuMs: z.number().optional(),
      /** The attempt that got the correct response: sent (ms from the start call) and its duration to the whole response. */
      answer: z.object({ sentMs: z.number(), durationMs: z.number() }).optional(),
    })
    .optional(),
  /**
   * Where the start went, in ms from the start call: the process started (the engine's StartedAt,
   * to about a millisecond), the app entered main and was listening (its own lines). Absent phases
   * were not reported; clockShared false means the app's clock was not the harness's.
   */
  timeline: z
    .object({
      processStartedMs: z.number().optional(),
      enteredMs: z.number().optional(),
      listeningMs: z.number().optional(),
      clockShared: z.boolean(),
      /** Lines that started like a timeline line but could not be read. */
      malformedLines: z.number().optional(),
      /** Why app phases were left out or lines ignored. */
      note: z.string().optional(),
    })
    .optional(),
  /** Dirty and writeback page bytes when the timed pull began, after the purge's writeback settled (bounded). */
  dirtyBytesAtStart: z.number().optional(),
  /**
   * The container's memory right after its first correct response (outside the timed phases). `processes`: read from the
   * container's processes (/proc/PID/status and smaps_rollup), the figure reports use; `unknown`: why it could not be
   * read. The rest is the engine's own stats (its cgroup's charges), kept to check the two against each other.
   */
  memory: z
    .object({
      processes: z
        .object({
          count: z.number(),
          rssBytes: z.number(),
          pssBytes: z.number(),
          anonBytes: z.number(),
          fileBytes: z.number(),
          shmemBytes: z.number(),
        })
        .optional(),
      unknown: z.string().optional(),
      /** Resident anonymous memory (cgroup rss / anon); absent when the engine doesn't say. */
      rssBytes: z.number().optional(),
      /** File pages mapped into the processes (cgroup mapped_file / file_mapped), as charged to the container's cgroup. */
      fileMappedBytes: z.number().optional(),
      usageBytes: z.number().optional(),
    })
    .optional(),
  /**
   * On the cluster engine: the pod's start as the kubelet's events tell it (ms from the Scheduled event, the API server's
   * clock, second resolution) and the kubelet's own pull figures; the node it ran on.
   */
  pod: z
    .object({
      node: z.string(),
      pulledMs: z.number().optional(),
      createdMs: z.number().optional(),
      startedMs: z.number().optional(),
      /** The kubelet's "(Y including waiting)": the pull with the time it waited for other pulls. */
      pullIncludingWaitingMs: z.number().optional(),
      /** From the create call until the API said the container runs (harness clock, polled every 20 ms). */
      runningMs: z.number().optional(),
    })
    .optional(),
  httpStatus: z.number().optional(),
  error: z.string().optional(),
  exitCode: z.number().optional(),
  logTail: z.string().optional(),
});

/** pending until measured; partial: some samples failed, others completed (the reason names the first failure). */
export const variantState = z.enum(['pending', 'completed', 'partial', 'failed', 'skipped']);

export const variantResult = z.object({
  /** The engine's floor (floor/), measured beside the variants: not a variant of any scenario. */
  floor: z.boolean().optional(),
  /** "<app>/<variant>" */
  id: z.string(),
  app: z.string(),
  language: z.string(),
  variant: z.string(),
  scenarioFile: z.string(),
  state: variantState,
  reason: z.string().optional(),
  logTail: z.string().optional(),
  bases: z.array(baseUse),
  /** The variant packs its binary with UPX; `unpackedVariant` is the same build without packing. */
  upx: z.object({ unpackedVariant: z.string() }).optional(),
  /** The variant has Python bytecode compiled in; `withoutVariant` is the same image without it. */
  bytecode: z.object({ withoutVariant: z.string() }).optional(),
  image: imageFacts.optional(),
  buildMs: z.number().optional(),
  samples: z.array(sample),
  /**
   * Sampling until decided: after which measured round the variant was last sampled and why
   * (decided: its picks are decided or it is out of every pick; cap: --max-repeat; budget: --budget).
   */
  sampling: z.object({ rounds: z.number(), reason: z.enum(['decided', 'cap', 'budget']) }).optional(),
});

export const imageStore = z.enum(['classic', 'containerd', 'containers-storage']);

/** An engine the run measured on: what it is, and how the run reached it. */
export const engineRecord = z.object({
  name: z.string(),
  product: z.string(),
  version: z.string(),
  apiVersion: z.string(),
  storageDriver: z.string(),
  cgroupVersion: z.string(),
  operatingSystem: z.string(),
  imageStore,
  runtime: z.string(),
  endpoint: z.string(),
  origin: z.string(),
  /** What the engine's pull progress stream says, and so how finely the transfer/extraction split is known. */
  pullProgress: z.string(),
  /** A CRI runtime's settings that shape a pull (the cri engine), as it reports its configuration. */
  cri: z.object({ snapshotter: z.string(), maxConcurrentDownloads: z.number(), discardUnpackedLayers: z.boolean() }).optional(),
  /** Whether it reads zstd layers, or why not. */
  zstd: z.discriminatedUnion('reads', [z.object({ reads: z.literal(true) }), z.object({ reads: z.literal(false), reason: z.string() })]),
});

export const provenance = z.object({
  harness: z.object({ version: z.string(), gitCommit: z.string(), gitDirty: z.boolean() }),
  /** Every engine samples were taken on, in the order given; the first built the images. */
  engines: z.array(engineRecord).min(1),
  /** How samples' timelines were put on the harness's clock (measure/timeline.ts); absent in older runs. */
  clocks: z.object({ monotonicOffsetMs: z.number(), wallOffsetMs: z.number(), wallUncertaintyMs: z.number() }).optional(),
  /** Set on every measured container, on every engine alike. */
  container: z.object({ network: z.string(), ulimits: z.array(z.string()), user: z.string(), privileges: z.string() }).optional(),
  host: z.object({
    /** The machine's hostname: tells the hosts of merged parts apart. */
    name: z.string().optional(),
    /**
     * A digest of /etc/machine-id keyed to basebench (never the id itself): tells apart machines that share a name
     * and hardware (two runners both called "vm"). Absent in older runs and where the file is.
     */
    machine: z.string().optional(),
    kernel: z.string(),
    cpuModel: z.string(),
    cpuCount: z.number(),
    memoryBytes: z.number(),
    platform: z.string(),
    nodeVersion: z.string(),
  }),
  registry: z.object({ url: z.string(), kind: z.enum(['local-binary', 'local-container', 'external']), version: z.string() }),
  /** How bases were chosen for this run. Each variant's bases say which source was used. */
  bases: z.object({
    mode: z.enum(['upstream', 'local', 'auto']),
    /** Mirrors upstream references were rewritten to (--mirror). */
    mirrors: z.array(z.object({ registry: z.string(), via: z.string() })).optional(),
    /** A rehearsal of the upstream path: the "upstream" images are local stand-ins served under upstream names. */
    rehearsal: z.boolean().optional(),
  }),
});

const networkProfileRecord = z.object({ name: z.string(), bitsPerSecond: z.number().optional(), rttMs: z.number().optional() });

const repeatFields = Object.fromEntries(SAMPLE_KINDS.map((kind) => [kind.repeat.field, z.number().optional()])) as Record<
  RepeatField,
  z.ZodOptional<z.ZodNumber>
>;

export const runOptionsRecord = z.object({
  /** The base set: the article's releases or today's (absent in runs before there were two). */
  set: z.enum(['article', 'current']).optional(),
  /** Samples of each kind per variant (repeat, baseCachedRepeat, warmRepeat); a kind newer than the run is absent. */
  ...repeatFields,
  /** Discarded samples taken before the measured ones, of each kind, per variant. */
  warmup: z.number(),
  /** Seed of the shuffled, interleaved order; with the same variants it gives the same order. */
  seed: z.number(),
  /** Whether the page cache was dropped before each cold sample. */
  dropCaches: z.boolean(),
  timeoutMs: z.number(),
  scenarios: z.array(z.string()),
  variantFilter: z.array(z.string()),
  /** How the probe waited: the pause between attempts, and whether the app's listening line cut it short (absent: 1 ms polling). */
  probe: z.object({ intervalMs: z.number(), appLine: z.boolean(), socketWatch: z.boolean() }).optional(),
  /**
   * The order samples were taken in, round by round ("cold variant@profile+zstd on engine"); older runs took one kind per
   * round and name it once (kind), newer ones interleave kinds and name each slot's.
   */
  order: z.array(z.object({ round: z.number(), kind: sampleKind.optional(), variants: z.array(z.string()) })),
  /** Coverage of every interval a report states and decides by (absent in older runs: 0.95). */
  level: z.number().optional(),
  /**
   * Sampling until decided (--until-decided): the looks at the data, the coverage each look decides at (the overall level
   * split over the looks), the cap on rounds and the time budget. Absent: a fixed number of samples.
   */
  sequential: z
    .object({ looks: z.array(z.number()), lookLevel: z.number(), maxRounds: z.number(), budgetMs: z.number().optional() })
    .optional(),
  /** Network profiles cold samples pulled through; the first is the one summaries lead with. */
  profiles: z.array(networkProfileRecord).min(1),
  /** Layer compressions cold samples pulled. */
  compressions: z.array(compression).min(1),
});

/** One fan-out wave (--fan-out): N nodes pulling and starting one image at the same moment. */
export const fanOutWave = z.object({
  round: z.number(),
  warmup: z.boolean().optional(),
  variant: z.string(),
  /** How many nodes took part: the first N of fanOut.nodes. */
  nodes: z.number(),
  /** From the moment every pull was sent to the end of the slowest node's pull. */
  pullWaveMs: z.number().optional(),
  /** Layer and config bytes the registry sent during the wave, from its log. */
  bytesServed: z.number().optional(),
  /** One sample per node. */
  samples: z.array(sample),
});

export const runResults = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  runId: z.string(),
  /** engine-lost, registry-lost: the run stopped cleanly when one went away and did not come back. */
  /** killed: its process was found gone while the run said running (by clean or the next run), at foundDeadAt. */
  state: z.enum(['running', 'completed', 'interrupted', 'engine-lost', 'registry-lost', 'killed']),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  foundDeadAt: z.string().optional(),
  options: runOptionsRecord,
  provenance,
  /** Every base the run resolved, and those it could not have, with the reason. */
  bases: z.array(resolvedBaseRecord),
  unavailableBases: z.array(z.object({ name: z.string(), reason: z.string() })),
  variants: z.array(variantResult),
  /**
   * A fan-out run's waves (--fan-out): the levels asked for, the nodes by name (cri engines, or a cluster's nodes and
   * the cluster's name), each wave.
   */
  fanOut: z
    .object({ levels: z.array(z.number()), nodes: z.array(z.string()), cluster: z.string().optional(), waves: z.array(fanOutWave) })
    .optional(),
  /** For a run merged from partial runs (e.g. one CI job per language): each part and its provenance. */
  mergedFrom: z.array(z.object({ runId: z.string(), startedAt: z.string(), provenance, variants: z.array(z.string()) })).optional(),
});
