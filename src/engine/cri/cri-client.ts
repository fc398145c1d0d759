/**
 * A CRI v1 client over gRPC on a unix socket: the calls a kubelet makes to its container runtime,
 * for the messages in cri-api.proto. Typed only as far as basebench reads the answers.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const PROTO_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cri-api.proto');

export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface PodSandboxConfig {
  metadata: { name: string; uid: string; namespace: string; attempt: number };
  hostname: string;
  logDirectory: string;
  labels: Record<string, string>;
  linux?: { securityContext?: { namespaceOptions?: { network?: 'POD' | 'NODE'; pid?: 'POD' | 'CONTAINER' | 'NODE' } } };
}

export interface ContainerConfig {
  metadata: { name: string; attempt: number };
  image: { image: string };
  labels: Record<string, string>;
  logPath: string;
}

export interface CriImage {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  /** protobuf uint64, as a decimal string. */
  size: string;
  pinned: boolean;
}

export interface CriContainerStatus {
  id: string;
  state: ContainerState;
  /** Nanoseconds since the epoch, as decimal strings (int64). */
  createdAt: string;
  startedAt: string;
  finishedAt: string;
  exitCode: number;
  reason: string;
  message: string;
  logPath: string;
}

export interface CriPodSandbox {
  id: string;
  state: 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
  labels: Record<string, string>;
}

/** The CRI calls basebench makes, each a promise; `info` maps are the runtime's verbose JSON. */
export interface CriClient {
  version(): Promise<{ runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }>;
  status(): Promise<{
    conditions: Array<{ type: string; status: boolean; reason: string; message: string }>;
    info: Record<string, string>;
  }>;
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  podSandboxStatus(id: string): Promise<{ state: string; ip: string; info: Record<string, string> }>;
  stopPodSandbox(id: string): Promise<void>;
  removePodSandbox(id: string): Promise<void>;
  listPodSandboxes(labels: Record<string, string>): Promise<CriPodSandbox[]>;
  createContainer(sandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  startContainer(id: string): Promise<void>;
  containerStatus(id: string, verbose?: boolean): Promise<{ status: CriContainerStatus; info: Record<string, string> }>;
  containerMemory(id: string): Promise<{ workingSetBytes?: number; usageBytes?: number; rssBytes?: number } | undefined>;
  listImages(): Promise<CriImage[]>;
  /** undefined when the runtime does not hold the image. */
  imageStatus(ref: string): Promise<{ image: CriImage; info: Record<string, string> } | undefined>;
  /** Resolves with the image's reference as the runtime stored it (its ID). */
  pullImage(ref: string): Promise<string>;
  removeImage(ref: string): Promise<void>;
  close(): void;
}

type Call = (request: object, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: unknown) => void) => void;

let definition: grpc.GrpcObject | undefined;

function services(): { RuntimeService: grpc.ServiceClientConstructor; ImageService: grpc.ServiceClientConstructor } {
  definition ??= grpc.loadPackageDefinition(
    protoLoader.loadSync(PROTO_FILE, { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true }),
  );
  const v1 = (definition.runtime as grpc.GrpcObject).v1 as grpc.GrpcObject;
  return {
    RuntimeService: v1.RuntimeService as grpc.ServiceClientConstructor,
    ImageService: v1.ImageService as grpc.ServiceClientConstructor,
  };
}

const decimal = (value: { value?: string } | null | undefined): number | undefined =>
  value?.value === undefined ? undefined : Number(value.value);

/**
 * Connects to a CRI runtime's socket. Every call has a deadline (`timeoutMs`, pulls `pullTimeoutMs`):
 * a runtime that stops answering fails the sample instead of hanging the run.
 */
export function connectCri(socket: string, timeoutMs = 60_000, pullTimeoutMs = 600_000): CriClient {
  const { RuntimeService, ImageService } = services();
  const address = `unix://${socket}`;
  const runtime = new RuntimeService(address, grpc.credentials.createInsecure());
  const images = new ImageService(address, grpc.credentials.createInsecure());
  const invoke = <T>(client: grpc.Client, method: string, request: object, deadlineMs = timeoutMs): Promise<T> =>
    new Promise((resolve, reject) => {
      const call = (client as unknown as Record<string, Call>)[method]!.bind(client);
      call(request, { deadline: Date.now() + deadlineMs }, (error, response) => {
        if (error) reject(new Error(`CRI ${method}: ${error.details || error.message}`));
        else resolve(response as T);
      });
    });
  const notFound = (error: Error) => /not found|NotFound|does not exist/i.test(error.message);
  return {
    version: () => invoke(runtime, 'Version', { version: 'v1' }),
    status: async () => {
      const answer = await invoke<{ status: { conditions: [] }; info: Record<string, string> }>(runtime, 'Status', { verbose: true });
      return { conditions: answer.status?.conditions ?? [], info: answer.info ?? {} };
    },
    runPodSandbox: async (config) => (await invoke<{ podSandboxId: string }>(runtime, 'RunPodSandbox', { config })).podSandboxId,
    podSandboxStatus: async (id) => {
      const answer = await invoke<{ status: { state: string; network?: { ip: string } }; info: Record<string, string> }>(
        runtime,
        'PodSandboxStatus',
        { podSandboxId: id, verbose: true },
      );
      return { state: answer.status.state, ip: answer.status.network?.ip ?? '', info: answer.info ?? {} };
    },
    stopPodSandbox: async (id) => {
      await invoke(runtime, 'StopPodSandbox', { podSandboxId: id });
    },
    removePodSandbox: async (id) => {
      await invoke(runtime, 'RemovePodSandbox', { podSandboxId: id });
    },
    listPodSandboxes: async (labels) =>
      (await invoke<{ items: CriPodSandbox[] }>(runtime, 'ListPodSandbox', { filter: { labelSelector: labels } })).items ?? [],
    createContainer: async (sandboxId, config, sandboxConfig) =>
      (await invoke<{ containerId: string }>(runtime, 'CreateContainer', { podSandboxId: sandboxId, config, sandboxConfig })).containerId,
    startContainer: async (id) => {
      await invoke(runtime, 'StartContainer', { containerId: id });
    },
    containerStatus: async (id, verbose = false) => {
      const answer = await invoke<{ status: CriContainerStatus; info: Record<string, string> }>(runtime, 'ContainerStatus', {
        containerId: id,
        verbose,
      });
      return { status: answer.status, info: answer.info ?? {} };
    },
    containerMemory: async (id) => {
      const answer = await invoke<{ stats?: { memory?: Record<string, { value?: string }> } }>(runtime, 'ContainerStats', {
        containerId: id,
      });
      const memory = answer.stats?.memory;
      if (!memory) return undefined;
      const figures = {
        workingSetBytes: decimal(memory.workingSetBytes),
        usageBytes: decimal(memory.usageBytes),
        rssBytes: decimal(memory.rssBytes),
      };
      return Object.fromEntries(Object.entries(figures).filter(([, value]) => value !== undefined));
    },
    listImages: async () => (await invoke<{ images: CriImage[] }>(images, 'ListImages', {})).images ?? [],
    imageStatus: async (ref) => {
      try {
        const answer = await invoke<{ image: CriImage | null; info: Record<string, string> }>(images, 'ImageStatus', {
          image: { image: ref },
          verbose: true,
        });
        return answer.image ? { image: answer.image, info: answer.info ?? {} } : undefined;
      } catch (error) {
        if (notFound(error as Error)) return undefined;
        throw error;
      }
    },
    pullImage: async (ref) => (await invoke<{ imageRef: string }>(images, 'PullImage', { image: { image: ref } }, pullTimeoutMs)).imageRef,
    removeImage: async (ref) => {
      await invoke(images, 'RemoveImage', { image: { image: ref } });
    },
    close: () => {
      runtime.close();
      images.close();
    },
  };
}
