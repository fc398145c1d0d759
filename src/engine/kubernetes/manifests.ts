/**
 * What the cluster engine creates, as plain objects (pure, unit-tested): every object carries the
 * run's label, so the run's end, a signal or `basebench clean` finds and deletes it all.
 */

const CLUSTER_LABEL = 'basebench.run';

/** The namespace a run keeps everything in: deleting it deletes the rest. */
export function runNamespace(runId: string): { metadata: { name: string; labels: Record<string, string> } } {
  return { metadata: { name: `basebench-${runId.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`, labels: { [CLUSTER_LABEL]: runId } } };
}

/** The measured pod: pinned to one node (no scheduler in the timed path), the image as a kubelet gets it. */
export function measuredPod(options: {
  name: string;
  runId: string;
  node: string;
  image: string;
  port: number;
  /** Always for a cold sample (the node has just been purged), IfNotPresent for a warm one. */
  pullPolicy: 'Always' | 'IfNotPresent';
}): object {
  return {
    metadata: { name: options.name, labels: { [CLUSTER_LABEL]: options.runId, 'basebench.role': 'measured' } },
    spec: {
      nodeName: options.node,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'app', image: options.image, imagePullPolicy: options.pullPolicy, ports: [{ containerPort: options.port }] }],
    },
  };
}

/** A helper on every node (tolerating every taint), idle until the run execs into it. */
function everyNode(runId: string, role: string, container: object, volumes: object[] = []): object {
  const labels = { [CLUSTER_LABEL]: runId, 'basebench.role': role };
  return {
    metadata: { name: `basebench-${role}`, labels },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          tolerations: [{ operator: 'Exists' }],
          terminationGracePeriodSeconds: 0,
          containers: [{ name: role, command: ['sleep', 'infinity'], ...container }],
          ...(volumes.length > 0 ? { volumes } : {}),
        },
      },
    },
  };
}

/**
 * One pod per node, privileged, with the node's containerd socket: it removes an image through the
 * node's runtime and shows it gone (`ctr` in the CRI's namespace k8s.io), for cold samples.
 */
export function purgerDaemonSet(options: { runId: string; image: string; criSocket: string }): object {
  return everyNode(
    options.runId,
    'purger',
    { image: options.image, securityContext: { privileged: true }, volumeMounts: [{ name: 'cri', mountPath: '/run/cri.sock' }] },
    [{ name: 'cri', hostPath: { path: options.criSocket, type: 'Socket' } }],
  );
}

/** One pod per node that asks the measured pod for its first correct response, from the same node. */
export function proberDaemonSet(options: { runId: string; image: string }): object {
  return everyNode(options.runId, 'prober', { image: options.image });
}

/** The purger's commands: remove an image by reference, then list what the node still holds of it. */
export const purgeCommands = {
  remove: (ref: string) => ['ctr', '--address', '/run/cri.sock', '--namespace', 'k8s.io', 'images', 'rm', '--sync', ref],
  images: ['ctr', '--address', '/run/cri.sock', '--namespace', 'k8s.io', 'images', 'ls', '--quiet'],
  content: ['ctr', '--address', '/run/cri.sock', '--namespace', 'k8s.io', 'content', 'ls', '--quiet'],
};

/**
 * The prober's loop, in bash (its /dev/tcp needs no HTTP client in the image): ask every 10 ms until
 * the answer has the expected status and body, up to a deadline; prints "ready" or "timeout".
 */
export function probeScript(options: {
  ip: string;
  port: number;
  path: string;
  status: number;
  body: string;
  timeoutMs: number;
}): string[] {
  const request = `GET ${options.path} HTTP/1.0\\r\\nHost: ${options.ip}\\r\\n\\r\\n`;
  const deadline = Math.ceil(options.timeoutMs / 10);
  const script =
    `for i in $(seq 1 ${deadline}); do ` +
    `if { exec 3<>/dev/tcp/${options.ip}/${options.port}; } 2>/dev/null; then printf '${request}' >&3; ` +
    `answer=$(cat <&3); exec 3>&-; ` +
    `case "$answer" in "HTTP/1."?" ${options.status} "*) ` +
    `case "$answer" in *${JSON.stringify(options.body)}*) echo ready; exit 0;; esac;; esac; ` +
    'fi; sleep 0.01; done; echo timeout; exit 1';
  return ['bash', '-c', script];
}
