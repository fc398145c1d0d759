/**
 * The engines a run measures on, as named on the command line (`--engine`). Pure: parsing
 * only; starting them is open-engines.ts.
 */

export type EngineTarget =
  /** The engine on DOCKER_HOST or the default socket, installed and started if none answers. */
  | { name: string; kind: 'docker' }
  /** Podman's Docker-compatible API, served by a `podman system service` this run starts. */
  | { name: string; kind: 'podman' }
  /** Debian trixie's Docker Engine in a container this run starts, with either image store. */
  | { name: string; kind: 'docker-current'; containerdStore: boolean }
  /** containerd 1.7 through the CRI, as a kubelet drives it, on a node this run starts (engine/cri). */
  | { name: string; kind: 'cri' }
  /** A Kubernetes cluster from the kubeconfig (a context of it, or the current one), through its API (engine/kubernetes). */
  | { name: string; kind: 'kubernetes'; context?: string }
  /** Any engine already serving the Docker API, e.g. `colima=unix:///…/docker.sock`. */
  | { name: string; kind: 'endpoint'; endpoint: string };

const ENGINE_NAMES = ['docker', 'podman', 'docker-current', 'docker-current-containerd', 'cri', 'kubernetes'] as const;

const NAME = /^[a-z0-9][a-z0-9._-]*$/;

function parseOne(text: string): EngineTarget {
  const cluster = /^kubernetes(?:=(.+))?$/.exec(text);
  if (cluster) return { name: 'kubernetes', kind: 'kubernetes', ...(cluster[1] ? { context: cluster[1] } : {}) };
  const assigned = text.match(/^([^=]+)=(.+)$/);
  if (assigned) {
    const [, name, endpoint] = assigned as unknown as [string, string, string];
    if (!NAME.test(name)) throw new Error(`engine name "${name}" must be lower-case letters, digits, ".", "_" or "-"`);
    if ((ENGINE_NAMES as readonly string[]).includes(name))
      throw new Error(`"${name}" is a built-in engine; give the endpoint another name`);
    if (!/^(unix:\/\/\/.+|tcp:\/\/[^/]+:\d+)$/.test(endpoint))
      throw new Error(`engine ${name}: endpoint "${endpoint}" must be unix:///PATH or tcp://HOST:PORT`);
    return { name, kind: 'endpoint', endpoint };
  }
  switch (text) {
    case 'docker':
      return { name: 'docker', kind: 'docker' };
    case 'podman':
      return { name: 'podman', kind: 'podman' };
    case 'docker-current':
      return { name: text, kind: 'docker-current', containerdStore: false };
    case 'docker-current-containerd':
      return { name: text, kind: 'docker-current', containerdStore: true };
    case 'cri':
      return { name: text, kind: 'cri' };
    default:
      throw new Error(`unknown engine "${text}": use ${ENGINE_NAMES.join(', ')}, kubernetes=CONTEXT or NAME=unix:///PATH|tcp://HOST:PORT`);
  }
}

/** "docker,podman" and repeated options alike; each engine once, in the order given. */
export function parseEngineTargets(texts: readonly string[]): EngineTarget[] {
  const targets = texts
    .flatMap((text) => text.split(','))
    .map((text) => text.trim())
    .filter(Boolean)
    .map(parseOne);
  if (targets.length === 0) return [{ name: 'docker', kind: 'docker' }];
  const names = targets.map((target) => target.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) throw new Error(`engine "${repeated}" is given twice`);
  return targets;
}

/** Dockerode connection options for a unix:// or tcp:// endpoint. */
export function endpointOptions(endpoint: string): { socketPath: string } | { host: string; port: number; protocol: 'http' } {
  if (endpoint.startsWith('unix://')) return { socketPath: endpoint.slice('unix://'.length) };
  const url = new URL(endpoint.replace(/^tcp:/, 'http:'));
  return { host: url.hostname, port: Number(url.port), protocol: 'http' };
}
