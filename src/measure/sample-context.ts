/**
 * What a sample needs from the run: the engine and how to reach it, the registry's log, the probe
 * and the clocks. The same container settings on every engine, recorded with every run.
 */
import type { Engine } from '../engine/clients.js';
import type { Logger } from '../common/log.js';
import type { RegistryAccessLog } from '../registry/access-log.js';
import type { Clocks } from './timeline.js';
import type { HttpExpectation } from './http-probe.js';

export interface MeasureContext {
  engine: Engine;
  /** The engine's name in this run, recorded on every sample. */
  engineName: string;
  log: Logger;
  runLabel: string;
  timeoutMs: number;
  /** The registry's log of what it served: proves a pull transferred every layer, on any engine. */
  accessLog?: RegistryAccessLog;
  /**
   * How the probe waits: the socket watch (default off) and the pause between attempts (default 1 ms). bench:overhead
   * compares them: reading /proc/<pid>/net/tcp walks every socket on the host, so on a busy host the watch costs the
   * harness more CPU than the HTTP attempts it saves (results/overhead.md).
   */
  probe?: ProbeStrategy;
  /** Offsets that put the engine's and the app's timestamps on the harness's clock; no timeline without them. */
  clocks?: Clocks;
  /** The engine's stream can split a pull into transfer and extraction (engine/capabilities.ts); default yes. */
  splitsPull?: boolean;
  /**
   * Every name the run gave its images (each variant's, its copies'): a cold purge removes those sharing a layer with the
   * image, as an engine's list may not show them all (cold-cache.ts, makeCold).
   */
  imageNames?: () => string[];
  /** Blobs among these the image store still holds after the images are gone (the containerd store keeps content). */
  storedBlobs?: (digests: readonly string[]) => Promise<string[]>;
  /** The host PID of a container process as the engine reports it (the engine may run in a PID namespace of its own). */
  hostPid?: (pid: number) => Promise<number | undefined>;
  /** After a purge, before the timed pull: write back (or drop) the page cache and let writeback settle; the dirty bytes left. */
  quietDisk?: () => Promise<number | undefined>;
}

/** Same on every engine, and recorded: explicit because Podman's defaults fail here and engines' defaults differ. */
export const MEASURED_CONTAINER = {
  network: 'bridge, one port published on 127.0.0.1',
  ulimits: [
    { name: 'nofile', soft: 1024, hard: 1024 },
    { name: 'nproc', soft: 1000, hard: 1000 },
  ],
  user: "the image's own",
  privileges: 'none added: default capabilities, no host mounts, no host network',
} as const;

/**
 * How the probe waits for the first response. intervalMs: the pause between HTTP attempts;
 * appLine: follow the container's stdout, poll every 50 ms once the app prints its
 * "basebench-timeline entered" line, and cut the pause short (then poll every 1 ms) when it prints
 * its listening line; socketWatch: read the container's listening sockets before each attempt.
 */
export interface ProbeStrategy {
  socketWatch: boolean;
  intervalMs: number;
  appLine?: boolean;
}

/**
 * The default: 10 ms between attempts while the app starts (50 ms once it says it entered main),
 * 1 ms once it prints its listening line; apps that print no line get 10 ms throughout.
 * bench:overhead (results/overhead.md) measures it against 1 ms and 10 ms polling and the socket watch.
 */
export const DEFAULT_PROBE: ProbeStrategy = { socketWatch: false, intervalMs: 10, appLine: true };

export interface ProbeTarget {
  id: string;
  containerPort: number;
  path: string;
  expect: HttpExpectation;
}
