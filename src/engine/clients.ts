/**
 * What the harness needs from a container engine, one small interface per resource, and what
 * starting one gives the run. No dockerode types here: unit tests implement these directly.
 */
import type { ImageStore } from '../results/types.js';

export interface LocalImage {
  id: string;
  tags: string[];
  /** Layer diff IDs (uncompressed content digests), in order. */
  diffIds: string[];
}

/**
 * One step of an image's history, named by every step beneath it: two images share a layer only
 * with everything under it, so the same key in two images is the same bytes on disk once.
 */
export interface ImageLayer {
  key: string;
  bytes: number;
}

export interface ImageDetails extends LocalImage {
  sizeBytes: number;
  repoDigests: string[];
  /** As the image config says, e.g. "linux/amd64" or "linux/arm64/v8". */
  platform: string;
}

/** One progress line of a pull or push, as the engine streams it. */
export interface ProgressEvent {
  status?: string;
  id?: string;
  progress?: string;
  aux?: { Tag?: string; Digest?: string; Size?: number };
}

export interface BuildRequest {
  contextDir: string;
  /** Relative to contextDir. */
  dockerfile: string;
  tag: string;
  buildArgs: Record<string, string>;
  /** Labels on the built image (a run labels its images with its id and pid, so a dead run's can be found). */
  labels?: Record<string, string>;
  /** Receives every line of build output, for the log file and progress. */
  onOutput: (line: string) => void;
}

export interface ImageClient {
  build(request: BuildRequest): Promise<void>;
  /** Resolves with the manifest digest the registry reported. */
  /** Pushes; `signal` gives the push up (the engine's request is closed), rejecting with its reason. */
  push(ref: string, onEvent?: (event: ProgressEvent) => void, signal?: AbortSignal): Promise<string>;
  pull(ref: string, onEvent?: (event: ProgressEvent) => void): Promise<void>;
  inspect(ref: string): Promise<ImageDetails | undefined>;
  list(): Promise<LocalImage[]>;
  /** The ids of the images carrying the label (images a build made carry its labels, tagged or not). */
  listLabelled(label: string, value: string): Promise<string[]>;
  remove(idOrRef: string): Promise<void>;
  /** Its layers, base first, from the image's history (what it holds on disk, shared or not). */
  layers(ref: string): Promise<ImageLayer[]>;
  /** Gives an image another reference. */
  tag(ref: string, newRef: string): Promise<void>;
  /** Creates an image from a root filesystem tarball stream. */
  importRootfs(tarball: NodeJS.ReadableStream, ref: string): Promise<void>;
  save(ref: string): Promise<NodeJS.ReadableStream>;
  load(tarball: NodeJS.ReadableStream): Promise<void>;
  /** The digest of an image in its remote registry, without pulling it. */
  remoteDigest(ref: string): Promise<string>;
  /** A path in the image's filesystem, without running anything in it; undefined if absent. */
  statPath(ref: string, path: string): Promise<PathStat | undefined>;
  /** The files under a path in the image (a file or a folder), with their contents; undefined if absent. */
  readTree(ref: string, path: string): Promise<ImageFile[] | undefined>;
}

export interface ImageFile {
  /** Relative to the parent of the path asked for, as `docker cp` names them. */
  name: string;
  content: Buffer;
}

export interface PathStat {
  size: number;
  /** Go os.FileMode bits, as the engine reports them. */
  mode: number;
  /** Set when the path is a symbolic link. */
  linkTarget: string;
}

export interface ContainerSpec {
  image: string;
  containerPort: number;
  /** Published on 127.0.0.1 only. */
  hostPort: number;
  labels: Record<string, string>;
  /** Set explicitly so every engine runs the app under the same limits (see MEASURED_CONTAINER). */
  ulimits?: ReadonlyArray<{ name: string; soft: number; hard: number }>;
}

export interface ExitInfo {
  exitCode: number;
}

export interface RunningContainer {
  id: string;
  /**
   * Where the create went, on an engine that creates a pod first (the CRI): RunPodSandbox (the
   * pause container and CNI) and CreateContainer, each timed alone; absent elsewhere.
   */
  phases?: { sandboxMs: number; createMs: number };
  /**
   * Resolves once the engine is watching for the container's exit; `exited` then settles
   * when it exits. Call before start so that even an instant exit is seen.
   */
  watchExit(): Promise<ExitWatch>;
  /**
   * Streams what the container writes to stdout from its start, line by line, to `onLine`; call
   * before start. Resolves once attached, with a function that detaches.
   */
  followOutput(onLine: (line: string) => void): Promise<() => void>;
  start(): Promise<void>;
  logTail(lines: number): Promise<string>;
  /** The container's init process as the engine sees it (State.Pid): in the host's PID namespace only if the engine is. */
  pid(): Promise<number | undefined>;
  /** When the engine says the container's process started (State.StartedAt, RFC 3339 with nanoseconds). */
  startedAt(): Promise<string | undefined>;
  /** Memory the running container uses now, as its cgroup reports it. */
  memory(): Promise<MemoryUsage | undefined>;
  remove(): Promise<void>;
}

export interface MemoryUsage {
  /** Resident anonymous memory (cgroup v1 "rss", v2 "anon"): the processes' private pages; absent when the engine doesn't say. */
  anonBytes?: number;
  /** File pages mapped into the processes (cgroup v1 "mapped_file", v2 "file_mapped"): binaries and libraries, shareable. */
  fileMappedBytes?: number;
  /** The cgroup's whole usage, page cache included. */
  usageBytes: number;
}

export interface ContainerClient {
  create(spec: ContainerSpec): Promise<RunningContainer>;
  /** The names of the containers carrying the label, running or not. */
  listLabelled(label: string, value: string): Promise<string[]>;
  /** Removes every container carrying the label, running or not; returns how many. */
  removeLabelled(label: string, value: string): Promise<number>;
}

export interface EngineFacts {
  /** "Docker Engine" or "Podman", from the engine's own version answer. */
  product: string;
  version: string;
  apiVersion: string;
  storageDriver: string;
  cgroupVersion: string;
  operatingSystem: string;
  kernel: string;
  /**
   * Where pulled images live: Docker's classic layer store, the containerd image store
   * (Docker with the containerd snapshotter), or containers/storage (Podman).
   */
  imageStore: ImageStore;
  /** The OCI runtime containers start with, and its version where the engine says. */
  runtime: string;
  /** Where the engine keeps images (DockerRootDir; Podman's graph root), as the engine's host sees it. */
  dataRoot?: string;
  /** A CRI runtime's image settings, as it reports its configuration. */
  cri?: CriImageSettings;
}

/** The CRI settings that shape a pull (containerd's CRI plugin names them so). */
export interface CriImageSettings {
  snapshotter: string;
  maxConcurrentDownloads: number;
  discardUnpackedLayers: boolean;
}

export interface Engine {
  images: ImageClient;
  containers: ContainerClient;
  facts(): Promise<EngineFacts>;
  /** Whether the engine answers its API now. */
  answers(): Promise<boolean>;
}

/** Wrapped in an object because a promise resolved with a promise would wait for the exit. */
export interface ExitWatch {
  exited: Promise<ExitInfo>;
}

/* What starting an engine gives the run, and what it leaves behind that a dead run's cleanup must find. */

/** Something an engine start creates that would outlive a run that dies: told before it is made. */
export type Leftover =
  | { process: { pid: number; command: string } }
  | { folder: string }
  | { bridge: string }
  | { namespace: string }
  /** A cgroup the engine's containers were put under (every controller's folder of that name). */
  | { cgroup: string }
  /** The host firewall as it was (`iptables -S` per table) before an engine whose network plugins add CNI chains to it. */
  | { firewall: Record<string, string[]> }
  /** A namespace of the run's in a cluster (everything the cluster engine creates is in it). */
  | { cluster: { context: string; namespace: string } };

/** Something on the host every engine of a kind shares, which one run at a time may hold: named, and why. */
export interface SharedResource {
  name: string;
  why: string;
}

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
