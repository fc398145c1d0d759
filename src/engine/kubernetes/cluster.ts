/**
 * The cluster engine (`--engine kubernetes[=CONTEXT]`): any cluster from the kubeconfig, through
 * @kubernetes/client-node (loaded only when this engine is used). The run keeps everything in a
 * namespace of its own (labelled with its id) and deletes it at the end or on a signal; per node a
 * privileged purger (for cold samples) and a prober (for the first response from the same node).
 * Nothing here can run on the machine basebench is developed on (no kubelet to be had): the logic
 * a sample shares with the cri engine is tested there, this file is the API glue, run by the
 * weekly workflow's kind job.
 */
import { PassThrough } from 'node:stream';
import type { CoreV1Api, KubeConfig, V1Pod } from '@kubernetes/client-node';
import type { Logger } from '../../common/log.js';
import { pollUntil } from '../../common/poll.js';
import type { Engine, EngineFacts } from '../clients.js';
import { type PodEvent, type PodPhases, podPhases } from './kubelet-events.js';
import { measuredPod, probeScript, proberDaemonSet, purgeCommands, purgerDaemonSet, runNamespace } from './manifests.js';

export interface ClusterOptions {
  /** A kubeconfig context; the current one if absent. */
  context?: string;
  runId: string;
  log: Logger;
  /** Where the nodes' containerd listens (kind, k3s with containerd, most distributions: this). */
  criSocket?: string;
}

export interface PodStart {
  /** Harness times, ms from the create call: the pod's container running, the first correct response. */
  runningMs?: number;
  respondedMs?: number;
  phases: PodPhases;
  error?: string;
}

export interface ClusterSession {
  name: string;
  nodes: string[];
  /** Starts the purger and prober on every node, from an image with bash and ctr (node-tools), and waits for them. */
  prepare(nodeTools: string): Promise<void>;
  facts(): Promise<EngineFacts>;
  /** Removes an image from a node through its runtime; what the node still holds of it (blobs among `digests`, the image). */
  purge(node: string, ref: string, digests: readonly string[]): Promise<string[]>;
  /** Creates the pod on the node, watches it to running, and probes it from the node's prober. */
  startPod(
    node: string,
    ref: string,
    target: { port: number; path: string; status: number; body: string },
    cold: boolean,
    timeoutMs: number,
  ): Promise<PodStart>;
  close(): Promise<void>;
}

/** Whether a name the node lists is the image's tag or one of its repository's digest references. */
export function namesImage(name: string, ref: string): boolean {
  const repository = ref.replace(/:[^:/]+$/, '');
  return name === ref || name.startsWith(`${repository}@sha256:`);
}

/** The core/v1 events of one pod, reduced to what the phases read. */
async function eventsOf(core: CoreV1Api, namespace: string, pod: string): Promise<PodEvent[]> {
  const list = await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${pod}` });
  return list.items.map((event) => ({
    reason: event.reason ?? '',
    message: event.message ?? '',
    time: String(event.eventTime ?? event.firstTimestamp ?? event.lastTimestamp ?? ''),
  }));
}

/** Deletes a dead run's namespace (and so everything it made there) in a cluster of the kubeconfig. */
export async function deleteClusterNamespace(context: string, namespace: string): Promise<void> {
  const k8s = await import('@kubernetes/client-node');
  const config = new k8s.KubeConfig();
  config.loadFromDefault();
  if (context) config.setCurrentContext(context);
  await config.makeApiClient(k8s.CoreV1Api).deleteNamespace({ name: namespace });
}

/**
 * The cluster as the run's engine list holds it: its samples are pods (measure/cluster-sample.ts), so
 * the image and container calls of a Docker-style engine say where to look instead.
 */
export function clusterStandIn(cluster: ClusterSession): Engine {
  const pods = async (): Promise<never> => {
    throw new Error('the kubernetes engine starts pods, not containers: see measure/cluster-sample.ts');
  };
  return {
    images: {
      build: pods,
      push: pods,
      pull: pods,
      inspect: pods,
      list: pods,
      listLabelled: async () => [],
      remove: pods,
      layers: pods,
      tag: pods,
      importRootfs: pods,
      save: pods,
      load: pods,
      remoteDigest: pods,
      statPath: pods,
      readTree: pods,
    },
    containers: { create: pods, listLabelled: async () => [], removeLabelled: async () => 0 },
    facts: () => cluster.facts(),
    answers: async () => true,
  };
}

/**
 * One measured pod: created on its node, polled until the API says its container runs, asked for
 * its first correct response by the node's prober, its phases read from its events, then deleted.
 */
async function startPod(
  api: { core: CoreV1Api; namespace: string; runId: string },
  pod: { name: string; node: string; ref: string; cold: boolean },
  target: { port: number; path: string; status: number; body: string },
  timeoutMs: number,
  probe: (command: string[]) => Promise<{ ok: boolean; output: string }>,
): Promise<PodStart> {
  const { core, namespace } = api;
  const created = performance.now();
  await core.createNamespacedPod({
    namespace,
    body: measuredPod({
      name: pod.name,
      runId: api.runId,
      node: pod.node,
      image: pod.ref,
      port: target.port,
      pullPolicy: pod.cold ? 'Always' : 'IfNotPresent',
    }),
  });
  let status: V1Pod | undefined;
  let runningMs: number | undefined;
  const running = await pollUntil(
    async () => {
      status = await core.readNamespacedPod({ name: pod.name, namespace });
      if (status.status?.containerStatuses?.[0]?.state?.running) runningMs ??= performance.now() - created;
      return runningMs !== undefined || status.status?.phase === 'Failed' || status.status?.phase === 'Succeeded';
    },
    { timeoutMs, intervalMs: 20 },
  );
  const result: PodStart = { phases: {} };
  if (running && runningMs !== undefined && status?.status?.podIP) {
    const answered = await probe(probeScript({ ip: status.status.podIP, ...target, timeoutMs }));
    if (answered.ok) result.respondedMs = performance.now() - created;
    else result.error = `no HTTP ${target.status} containing ${JSON.stringify(target.body)} from the pod within ${timeoutMs} ms`;
    result.runningMs = runningMs;
  } else {
    const state = JSON.stringify(status?.status?.containerStatuses?.[0]?.state ?? {});
    result.error = `pod did not run: ${status?.status?.phase ?? 'unknown'} ${state}`;
  }
  result.phases = podPhases(await eventsOf(core, namespace, pod.name), 'app');
  await core.deleteNamespacedPod({ name: pod.name, namespace, gracePeriodSeconds: 0 }).catch(() => {});
  return result;
}

export async function openCluster(options: ClusterOptions): Promise<ClusterSession> {
  const k8s = await import('@kubernetes/client-node');
  const config: KubeConfig = new k8s.KubeConfig();
  config.loadFromDefault();
  if (options.context) config.setCurrentContext(options.context);
  const core = config.makeApiClient(k8s.CoreV1Api);
  const apps = config.makeApiClient(k8s.AppsV1Api);
  const exec = new k8s.Exec(config);
  const namespaceObject = runNamespace(options.runId);
  const namespace = namespaceObject.metadata.name;
  const nodes = (await core.listNode()).items
    .filter((node) => !node.spec?.unschedulable && node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    .map((node) => node.metadata!.name!);
  if (nodes.length === 0) throw new Error(`no ready, schedulable node in the cluster of context ${config.getCurrentContext()}`);
  await core.createNamespace({ body: namespaceObject });
  const close = async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => {});
  };
  let purgers = new Map<string, string>();
  let probers = new Map<string, string>();
  const helpers = async (role: string) =>
    new Map(
      (await core.listNamespacedPod({ namespace, labelSelector: `basebench.role=${role}` })).items
        .filter((pod) => pod.status?.phase === 'Running')
        .map((pod) => [pod.spec!.nodeName!, pod.metadata!.name!]),
    );
  const prepare = async (nodeTools: string) => {
    const criSocket = options.criSocket ?? '/run/containerd/containerd.sock';
    await apps.createNamespacedDaemonSet({ namespace, body: purgerDaemonSet({ runId: options.runId, image: nodeTools, criSocket }) });
    await apps.createNamespacedDaemonSet({ namespace, body: proberDaemonSet({ runId: options.runId, image: nodeTools }) });
    const ready = await pollUntil(
      async () => (await helpers('purger')).size >= nodes.length && (await helpers('prober')).size >= nodes.length,
      { timeoutMs: 180_000, intervalMs: 1000 },
    );
    if (!ready) throw new Error('the purger and prober pods did not run on every node within 180 s');
    purgers = await helpers('purger');
    probers = await helpers('prober');
  };
  try {
    const run = async (pod: string, container: string, command: string[]): Promise<{ ok: boolean; output: string }> => {
      const stdout = new PassThrough();
      const chunks: Buffer[] = [];
      stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      const status = await new Promise<string>((resolve, reject) => {
        exec
          .exec(namespace, pod, container, command, stdout, null, null, false, (answer) => resolve(answer.status ?? 'Failure'))
          .catch(reject);
      });
      return { ok: status === 'Success', output: Buffer.concat(chunks).toString('utf8') };
    };
    let podCount = 0;
    return {
      name: `kubernetes (${config.getCurrentContext()})`,
      nodes,
      prepare,
      facts: async () => {
        const version = await config.makeApiClient(k8s.VersionApi).getCode();
        const info = (await core.readNode({ name: nodes[0]! })).status?.nodeInfo;
        return {
          product: 'Kubernetes',
          version: version.gitVersion.replace(/^v/, ''),
          apiVersion: `kubelet ${info?.kubeletVersion ?? 'unknown'}`,
          storageDriver: 'unknown',
          cgroupVersion: 'unknown',
          operatingSystem: info?.osImage ?? 'unknown',
          kernel: info?.kernelVersion ?? 'unknown',
          imageStore: 'containerd',
          runtime: info?.containerRuntimeVersion ?? 'unknown',
        };
      },
      purge: async (node, ref, digests) => {
        const purger = purgers.get(node)!;
        const listed = async () => (await run(purger, 'purger', purgeCommands.images)).output.split('\n').map((line) => line.trim());
        // The CRI keeps the image under its tag and under its digest (repo@sha256:…): both must go.
        const names = (await listed()).filter((name) => namesImage(name, ref));
        for (const name of names) await run(purger, 'purger', purgeCommands.remove(name));
        const content = new Set((await run(purger, 'purger', purgeCommands.content)).output.split('\n').map((line) => line.trim()));
        return [...(await listed()).filter((name) => namesImage(name, ref)), ...digests.filter((digest) => content.has(digest))];
      },
      startPod: async (node, ref, target, cold, timeoutMs) => {
        podCount += 1;
        const pod = { name: `bb-${podCount}-${Date.now().toString(36)}`, node, ref, cold };
        return startPod({ core, namespace, runId: options.runId }, pod, target, timeoutMs, (command) =>
          run(probers.get(node)!, 'prober', command),
        );
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
