import type { Mirror } from '../bases/mirror.js';
import type { BasesMode } from '../bases/resolve.js';
import type { EngineTarget } from '../engine/targets.js';
import type { NetworkProfile } from '../network/profiles.js';
import type { Compression } from '../results/types.js';
import type { RepeatField } from '../results/sample-kinds.js';
import type { BaseSet } from '../scenario/load.js';

/** A bench run's settings, resolved from the command line (cli/options.ts); samples per kind in repeat, … (sample-kinds.ts). */
export interface BenchOptions extends Record<RepeatField, number> {
  /** Scenario files or names under scenarios/; empty means every scenario there. */
  scenarios: string[];
  variantFilter: string[];
  timeoutMs: number;
  outDir: string;
  /** An existing registry to use instead of starting one. */
  registry?: string;
  bases: BasesMode;
  /** Upstream registries rewritten to mirrors (--mirror). */
  mirrors: Mirror[];
  /** Set by `basebench rehearse`: the upstream images are local stand-ins under upstream names. */
  rehearsal?: boolean;
  /** Which scenario files: the article's releases (scenario.yaml) or today's (scenario.current.yaml). */
  set: BaseSet;
  /** Measure the engine's floor beside the variants (default on; --no-floor). */
  floor: boolean;
  /** Only the variants marked `quick` in their scenario. */
  quick: boolean;
  /** The base catalog file; default scenarios/bases.yaml. */
  catalogFile?: string;
  /** Discarded samples of each kind per variant before the measured ones. */
  warmup: number;
  /** Seed of the shuffled, interleaved sample order. */
  seed: number;
  /** Drop the page cache before each cold sample (Linux, root). */
  dropCaches: boolean;
  /** Network profiles cold samples pull through; null is the direct path. */
  profiles: Array<NetworkProfile | null>;
  /** Engines every variant is measured on; the first builds and pushes. */
  engines: EngineTarget[];
  /** Layer compressions cold samples pull; gzip is what the builder pushes. */
  compressions: Compression[];
  /** Sample until the picks are decided (--until-decided): at most maxRounds measured rounds, and budgetMs. */
  untilDecided?: { maxRounds: number; budgetMs: number };
  /** Fan-out levels (--fan-out): waves of N cri nodes pulling and starting one image at once, for each N. */
  fanOut?: number[];
  /** How long to wait for an engine that stopped answering before the run stops as engine-lost (default 60 s). */
  engineWaitMs?: number;
}
