import { recordBuilt } from '../common/build-ledger.js';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { type Duplex, PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import type {
  BuildRequest,
  ContainerClient,
  ContainerSpec,
  Engine,
  EngineFacts,
  ExitInfo,
  ExitWatch,
  ImageClient,
  ImageDetails,
  ImageFile,
  ImageLayer,
  LocalImage,
  MemoryUsage,
  PathStat,
  ProgressEvent,
  RunningContainer,
} from './clients.js';
import { dockerCredentials, registryHostOf, splitReference } from './credentials.js';
import { followJsonLines } from './json-lines.js';
import { demultiplexLogs } from './log-frames.js';

function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}

function authFor(ref: string): { authconfig?: object } {
  const credentials = dockerCredentials(registryHostOf(ref));
  return credentials ? { authconfig: credentials } : {};
}

/**
 * The manifest digest a push stream reports: the classic image store says it in an aux message; the containerd image
 * store (Docker 26) only in its last status line, "TAG: digest: sha256:… size: N".
 */
export function pushedDigest(event: ProgressEvent): string | undefined {
  if (event.aux?.Digest) return event.aux.Digest;
  return typeof event.status === 'string' ? /\bdigest: (sha256:[0-9a-f]{64})\b/.exec(event.status)?.[1] : undefined;
}

class DockerImageClient implements ImageClient {
  constructor(private readonly docker: Docker) {}

  async build(request: BuildRequest): Promise<void> {
    const stream = await this.docker.buildImage(
      { context: request.contextDir, src: readdirSync(request.contextDir) },
      {
        t: request.tag,
        dockerfile: request.dockerfile,
        buildargs: request.buildArgs,
        ...(request.labels ? { labels: request.labels } : {}),
        rm: true,
        forcerm: true,
      },
    );
    // Each step's image (" ---> 1a2b3c4d5e6f"), recorded so that `clean --build-cache` can tell the stages it leaves untagged.
    const stages: string[] = [];
    try {
      await followJsonLines(stream, (line) => {
        if (typeof line.stream === 'string') {
          for (const text of line.stream.split('\n')) {
            const step = /^ ---> ([0-9a-f]{12,64})$/.exec(text);
            if (step) stages.push(step[1]!);
            if (text.trim()) request.onOutput(text);
          }
        } else if (typeof line.status === 'string') {
          request.onOutput(`${line.status}${line.id ? ` ${String(line.id)}` : ''}`);
        }
      });
    } finally {
      recordBuilt(stages);
    }
  }

  async push(ref: string, onEvent?: (event: ProgressEvent) => void, signal?: AbortSignal): Promise<string> {
    const { repository, tag } = splitReference(ref);
    const stream = (await this.docker.getImage(repository).push({ tag, ...authFor(ref) })) as unknown as NodeJS.ReadableStream;
    let digest = '';
    const follow = (line: Record<string, unknown>) => {
      digest = pushedDigest(line as ProgressEvent) ?? digest;
      onEvent?.(line as ProgressEvent);
    };
    await followJsonLines(stream, follow, signal);
    if (!digest) throw new Error(`push of ${ref} finished without reporting a digest`);
    return digest;
  }

  async pull(ref: string, onEvent?: (event: ProgressEvent) => void): Promise<void> {
    const stream = (await this.docker.pull(ref, authFor(ref))) as NodeJS.ReadableStream;
    await followJsonLines(stream, (line) => onEvent?.(line as ProgressEvent));
  }

  async inspect(ref: string): Promise<ImageDetails | undefined> {
    try {
      const info = await this.docker.getImage(ref).inspect();
      return {
        id: info.Id,
        tags: info.RepoTags ?? [],
        diffIds: info.RootFS?.Layers ?? [],
        sizeBytes: info.Size,
        repoDigests: info.RepoDigests ?? [],
        platform: [info.Os, info.Architecture, (info as { Variant?: string }).Variant].filter(Boolean).join('/'),
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async list(): Promise<LocalImage[]> {
    const summaries = await this.docker.listImages({ all: true });
    const images: LocalImage[] = [];
    for (const summary of summaries) {
      const details = await this.inspect(summary.Id);
      if (details) images.push({ id: details.id, tags: details.tags, diffIds: details.diffIds });
    }
    return images;
  }

  async layers(ref: string): Promise<ImageLayer[]> {
    // Newest first, as the engine answers; a step's key chains the steps under it (creation time, command, size).
    const history = (await this.docker.getImage(ref).history()) as Array<{ Created: number; CreatedBy: string; Size: number }>;
    let key = '';
    return history.reverse().map((step) => {
      key = createHash('sha256').update(`${key}\n${step.Created}\n${step.CreatedBy}\n${step.Size}`).digest('hex');
      return { key, bytes: step.Size };
    });
  }

  async listLabelled(label: string, value: string): Promise<string[]> {
    return (await this.docker.listImages({ all: true, filters: { label: [`${label}=${value}`] } })).map((summary) => summary.Id);
  }

  async remove(idOrRef: string): Promise<void> {
    try {
      await this.docker.getImage(idOrRef).remove({ force: true });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  async tag(ref: string, newRef: string): Promise<void> {
    const { repository, tag } = splitReference(newRef);
    await this.docker.getImage(ref).tag({ repo: repository, tag });
  }

  async importRootfs(tarball: NodeJS.ReadableStream, ref: string): Promise<void> {
    const { repository, tag } = splitReference(ref);
    const stream = await this.docker.importImage(tarball, { repo: repository, tag });
    await followJsonLines(stream);
  }

  async save(ref: string): Promise<NodeJS.ReadableStream> {
    return this.docker.getImage(ref).get();
  }

  async load(tarball: NodeJS.ReadableStream): Promise<void> {
    const stream = await this.docker.loadImage(tarball, { quiet: true });
    await followJsonLines(stream);
  }

  async remoteDigest(ref: string): Promise<string> {
    const info = await this.docker.getImage(ref).distribution();
    return info.Descriptor.digest;
  }

  async statPath(ref: string, filePath: string): Promise<PathStat | undefined> {
    return this.inspectFilesystem(ref, async (container) => {
      const response = (await container.infoArchive({ path: filePath })) as NodeJS.ReadableStream & { headers: Record<string, string> };
      response.resume(); // a HEAD response has no body, but must be read to free its socket
      const header = response.headers['x-docker-container-path-stat'];
      if (!header) throw new Error(`the engine sent no stat for ${filePath}`);
      const stat = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as PathStat;
      return { size: stat.size, mode: stat.mode, linkTarget: stat.linkTarget };
    });
  }

  async readTree(ref: string, filePath: string): Promise<ImageFile[] | undefined> {
    return this.inspectFilesystem(ref, async (container) => {
      const archive = (await container.getArchive({ path: filePath })) as NodeJS.ReadableStream;
      const extract = tar.extract();
      archive.pipe(extract);
      const files: ImageFile[] = [];
      for await (const entry of extract) {
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        if (entry.header.type === 'file') files.push({ name: entry.header.name, content: Buffer.concat(chunks) });
      }
      return files;
    });
  }

  /** Runs `read` on a container that is created, never started: the archive API reads its filesystem. */
  private async inspectFilesystem<T>(ref: string, read: (container: Docker.Container) => Promise<T>): Promise<T | undefined> {
    const container = await this.docker.createContainer({ Image: ref, Entrypoint: ['/nonexistent'], Cmd: [] });
    try {
      return await read(container);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    } finally {
      await container.remove({ force: true });
    }
  }
}

class DockerContainerClient implements ContainerClient {
  constructor(private readonly docker: Docker) {}

  async create(spec: ContainerSpec): Promise<RunningContainer> {
    const port = `${spec.containerPort}/tcp`;
    const container = await this.docker.createContainer({
      Image: spec.image,
      Labels: spec.labels,
      ExposedPorts: { [port]: {} },
      HostConfig: {
        PortBindings: { [port]: [{ HostIp: '127.0.0.1', HostPort: String(spec.hostPort) }] },
        ...(spec.ulimits ? { Ulimits: spec.ulimits.map((limit) => ({ Name: limit.name, Soft: limit.soft, Hard: limit.hard })) } : {}),
      },
    });
    return {
      id: container.id,
      watchExit: () => this.watchExit(container.id),
      followOutput: async (onLine) => {
        const stream = (await container.attach({ stream: true, stdout: true, stderr: false, logs: false })) as unknown as Duplex;
        const stdout = new PassThrough();
        let pending = '';
        stdout.on('data', (chunk: Buffer) => {
          const lines = (pending + chunk.toString('utf8')).split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) onLine(line);
        });
        // Without a TTY the stream is multiplexed (an 8-byte header per frame); the modem splits it.
        this.docker.modem.demuxStream(stream, stdout, new PassThrough());
        stream.on('error', () => {});
        return () => stream.destroy();
      },
      start: async () => {
        await container.start();
      },
      pid: async () => {
        const info = await container.inspect();
        return info.State?.Pid || undefined;
      },
      startedAt: async () => {
        const info = await container.inspect();
        return info.State?.StartedAt || undefined;
      },
      logTail: async (lines: number) => {
        try {
          const buffer = (await container.logs({ stdout: true, stderr: true, tail: lines, follow: false })) as Buffer;
          return demultiplexLogs(buffer).trimEnd();
        } catch (error) {
          return `(logs unavailable: ${(error as Error).message})`;
        }
      },
      memory: async (): Promise<MemoryUsage | undefined> => {
        const stats = (await container.stats({ stream: false, 'one-shot': true } as { stream: false })) as {
          memory_stats?: { usage?: number; stats?: Record<string, number> };
        };
        const memory = stats.memory_stats;
        if (!memory?.usage) return undefined;
        // cgroup v1 names, then v2's; a figure the engine doesn't give stays unknown, never 0.
        const anon = memory.stats?.rss ?? memory.stats?.anon;
        const fileMapped = memory.stats?.mapped_file ?? memory.stats?.file_mapped;
        return {
          ...(anon === undefined ? {} : { anonBytes: anon }),
          ...(fileMapped === undefined ? {} : { fileMappedBytes: fileMapped }),
          usageBytes: memory.usage,
        };
      },
      remove: async () => {
        try {
          await container.remove({ force: true });
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      },
    };
  }

  /**
   * The engine answers a wait request with its headers as soon as the wait is registered, so
   * once the stream opens a later exit can't be missed (dockerode's wait() only resolves at exit).
   */
  private watchExit(id: string): Promise<ExitWatch> {
    return new Promise((armed, failedToArm) => {
      this.docker.modem.dial(
        {
          path: `/containers/${id}/wait?`,
          method: 'POST',
          options: { condition: 'next-exit' },
          isStream: true,
          statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        },
        (error: unknown, result: unknown) => {
          if (error) {
            failedToArm(error);
            return;
          }
          const stream = result as NodeJS.ReadableStream;
          const exited = new Promise<ExitInfo>((resolve) => {
            let body = '';
            stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
            stream.on('end', () => {
              try {
                resolve({ exitCode: (JSON.parse(body) as { StatusCode: number }).StatusCode });
              } catch {
                resolve({ exitCode: -1 });
              }
            });
            stream.on('error', () => resolve({ exitCode: -1 }));
          });
          armed({ exited });
        },
      );
    });
  }

  async listLabelled(label: string, value: string): Promise<string[]> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [`${label}=${value}`] } });
    return containers.map((info) => info.Names[0]?.replace(/^\//, '') ?? info.Id.slice(0, 12));
  }

  async removeLabelled(label: string, value: string): Promise<number> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [`${label}=${value}`] } });
    await Promise.all(
      containers.map((info) =>
        this.docker
          .getContainer(info.Id)
          .remove({ force: true })
          .catch(() => {}),
      ),
    );
    return containers.length;
  }
}

/** Whether an engine answers the Docker API's ping now. */
export async function apiAnswers(docker: Docker): Promise<boolean> {
  try {
    await docker.ping();
    return true;
  } catch {
    return false;
  }
}

export function dockerEngine(docker: Docker): Engine {
  return {
    images: new DockerImageClient(docker),
    containers: new DockerContainerClient(docker),
    answers: () => apiAnswers(docker),
    async facts(): Promise<EngineFacts> {
      const [version, info] = await Promise.all([docker.version(), docker.info()]);
      const podman = (version.Components ?? []).some((component) => /podman/i.test(component.Name));
      const driverStatus = (info.DriverStatus ?? []) as Array<[string, string]>;
      const containerdStore = driverStatus.some(([key, value]) => key === 'driver-type' && /containerd\.snapshotter/.test(value));
      const runtimeName = String(info.DefaultRuntime ?? 'unknown');
      return {
        product: podman ? 'Podman' : 'Docker Engine',
        version: version.Version,
        apiVersion: version.ApiVersion,
        storageDriver: String(info.Driver ?? 'unknown'),
        cgroupVersion: String(info.CgroupVersion ?? 'unknown'),
        operatingSystem: String(info.OperatingSystem ?? 'unknown'),
        kernel: String(info.KernelVersion ?? version.KernelVersion ?? 'unknown'),
        imageStore: podman ? 'containers-storage' : containerdStore ? 'containerd' : 'classic',
        runtime: runtimeVersion(runtimeName, version.Components ?? [], info) ?? runtimeName,
        ...(typeof info.DockerRootDir === 'string' ? { dataRoot: info.DockerRootDir } : {}),
      };
    },
  };
}

/** "runc 1.1.5" from the version components (Podman) or the runc commit (Docker), where given. */
function runtimeVersion(
  name: string,
  components: ReadonlyArray<{ Name: string; Version: string }>,
  info: Record<string, unknown>,
): string | undefined {
  const component = components.find((item) => /OCI Runtime/i.test(item.Name));
  const fromComponent = component?.Version.match(/version\s+(\S+)/)?.[1];
  if (fromComponent) return `${name} ${fromComponent}`;
  const commit = (info.RuncCommit as { ID?: string } | undefined)?.ID;
  return commit ? `${name} (commit ${commit})` : undefined;
}
