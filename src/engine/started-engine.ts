/** What starting an engine gives the run, and what it leaves behind that a dead run's cleanup must find. */
import type { Engine } from './clients.js';

/** Something an engine start creates that would outlive a run that dies: told before it is made. */
export type Leftover =
  | { process: { pid: number; command: string } }
  | { folder: string }
  | { bridge: string }
  | { namespace: string }
  /** A cgroup the engine's containers were put under (every controller's folder of that name). */
  | { cgroup: string }
  /** A namespace of the run's in a cluster (everything the cluster engine creates is in it). */
  | { cluster: { context: string; namespace: string } };

export interface StartedService {
  engine: Engine;
  endpoint: string;
  /** How the harness started it, for the provenance. */
  origin: string;
  stop(): Promise<void>;
  /** The host PID of a container process the engine reports in its own PID namespace (absent: the host's already). */
  hostPid?: (pid: number) => Promise<number | undefined>;
  /** Blobs (and, where the store has them, snapshots) among these that the engine still holds once the images are gone. */
  storedBlobs?: (digests: readonly string[]) => Promise<string[]>;
}
