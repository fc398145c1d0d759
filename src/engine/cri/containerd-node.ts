/**
 * A Kubernetes node's container runtime without the kubelet: Debian trixie's containerd 1.7 (CRI
 * plugin built in), started by the run with its own root, state, socket, configuration, cgroup and
 * network namespace, so that nothing of the host's containerd (which the host's Docker Engine uses),
 * bridges or firewall is read or written:
 * - containerd runs in a network namespace of the run's (`nsenter --net`, so it keeps the host's
 *   mounts); CNI's bridge plugin makes its bridge, and host-local its addresses, in there;
 * - the registry on the host's 127.0.0.1 is reached at the same address inside that namespace,
 *   through two socat relays joined by a unix socket in the node's folder (sockets on the file
 *   system cross network namespaces; nothing is routed);
 * - the binaries come from the Debian package, unpacked into basebench's cache: the host's own
 *   containerd package is never replaced.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { execa } from 'execa';
import type { Logger } from '../../common/log.js';
import { pollUntil } from '../../common/poll.js';
import { removeNamespace } from '../host-network.js';
import { removeEngineFolder } from '../host-mounts.js';
import { removeCgroup } from '../host-cgroups.js';
import { type ContainerdBinaries, containerdBinaries } from './containerd-package.js';
import { aptInstall, canProvision } from '../provision.js';
import type { Leftover } from '../clients.js';
import { connectCri, type CriClient } from './cri-client.js';

/** Where containerd's CRI plugin finds its CNI plugins: Debian's containernetworking-plugins. */
const CNI_BIN_DIR = '/usr/lib/cni';
const RUNC = '/usr/sbin/runc';
/** The measured containers' limits on every engine (MEASURED_CONTAINER), inherited from containerd here. */
const NPROC = 1000;
const NOFILE = 1024;

/** The settings that shape a pull and a pod start, written into the node's config and recorded with the results. */
const CRI_SETTINGS = {
  snapshotter: 'overlayfs',
  maxConcurrentDownloads: 3,
  discardUnpackedLayers: false,
  cni: "bridge (host-local addresses, no masquerade) in the node's own network namespace",
  cgroupDriver: 'cgroupfs',
} as const;

/** Installs what a node needs from the host's own Debian release: CNI plugins, runc, socat. */
async function ensureHostParts(log: Logger): Promise<void> {
  const missing = [
    ...(existsSync(path.join(CNI_BIN_DIR, 'bridge')) ? [] : ['containernetworking-plugins']),
    ...(existsSync(RUNC) ? [] : ['runc']),
    ...(existsSync('/usr/bin/socat') ? [] : ['socat']),
  ];
  if (missing.length === 0) return;
  if (!canProvision()) throw new Error(`the cri engine needs ${missing.join(', ')} (Debian/Ubuntu: apt-get install ${missing.join(' ')})`);
  await aptInstall(missing, log);
}

/** The node's containerd configuration (version 2, as containerd 1.7 reads it). */
export function containerdConfig(dir: string, pauseRef: string): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return [
    'version = 2',
    `root = "${dir}/root"`,
    `state = "${dir}/state"`,
    `[grpc]`,
    `  address = "${dir}/containerd.sock"`,
    `[ttrpc]`,
    `  address = "${dir}/containerd.sock.ttrpc"`,
    `[plugins."io.containerd.internal.v1.opt"]`,
    `  path = "${dir}/opt"`,
    `[${cri}]`,
    `  sandbox_image = "${pauseRef}"`,
    // Pods' network namespaces under the node's state folder, not the host's /run/netns.
    '  netns_mounts_under_state_dir = true',
    `  max_concurrent_downloads = ${CRI_SETTINGS.maxConcurrentDownloads}`,
    // A negative oom_score_adj (the pause container's -998) needs CAP_SYS_RESOURCE, which some hosts (this one) withhold.
    '  restrict_oom_score_adj = true',
    `  [${cri}.containerd]`,
    `    snapshotter = "${CRI_SETTINGS.snapshotter}"`,
    `    discard_unpacked_layers = ${CRI_SETTINGS.discardUnpackedLayers}`,
    '    default_runtime_name = "runc"',
    `    [${cri}.containerd.runtimes.runc]`,
    '      runtime_type = "io.containerd.runc.v2"',
    `      [${cri}.containerd.runtimes.runc.options]`,
    `        BinaryName = "${RUNC}"`,
    `        Root = "${dir}/runc"`,
    '        SystemdCgroup = false',
    `  [${cri}.cni]`,
    `    bin_dir = "${CNI_BIN_DIR}"`,
    `    conf_dir = "${dir}/cni"`,
    '    max_conf_num = 1',
    `  [${cri}.registry]`,
    `    config_path = "${dir}/certs.d"`,
    '',
  ].join('\n');
}

/** The pod network: a bridge inside the node's namespace, addresses from host-local (its state in the node's folder). */
export function cniConfig(dir: string): string {
  return JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'basebench',
      plugins: [
        {
          type: 'bridge',
          bridge: 'cni0',
          isGateway: true,
          ipMasq: false,
          ipam: { type: 'host-local', ranges: [[{ subnet: '10.88.0.0/16' }]], dataDir: `${dir}/cni-ipam` },
        },
      ],
    },
    null,
    2,
  );
}

/** hosts.toml for a registry on 127.0.0.1: plain HTTP, pull and resolve. */
export function registryHostsToml(host: string): string {
  return [`server = "http://${host}"`, '', `[host."http://${host}"]`, '  capabilities = ["pull", "resolve"]', ''].join('\n');
}

export interface ContainerdNode {
  name: string;
  /** The CRI socket. */
  socket: string;
  dir: string;
  /** The network namespace containerd runs in (a name under /run/netns). */
  namespace: string;
  /** Every pod's cgroup sits under this parent (cgroupfs). */
  cgroupParent: string;
  cri: CriClient;
  binaries: ContainerdBinaries;
  /** containerd's log file. */
  logFile: string;
  /** Makes 127.0.0.1:port of the host reachable at the same address inside the node (a registry or its proxy). */
  reach(port: number): Promise<void>;
  /** `ctr` against this node, in the CRI's namespace k8s.io. */
  ctr(args: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

export interface NodeOptions {
  name: string;
  runId: string;
  dir: string;
  /** The pause image: its name, and its `docker save` tarball from the engine that built it. */
  pause: { ref: string; save: () => Promise<NodeJS.ReadableStream> };
  log: Logger;
  leaves?: (leftover: Leftover) => void;
}

/** containerd in the node's network namespace, under the measured containers' limits, its output to its log. */
function spawnContainerd(binaries: ContainerdBinaries, dir: string, namespace: string, logFile: string): ChildProcess {
  const output = openSync(logFile, 'a');
  try {
    return spawn(
      'nsenter',
      [
        `--net=/run/netns/${namespace}`,
        '--',
        // The CRI has no ulimits and containerd 1.7's default spec sets none: containers inherit containerd's, set here.
        'prlimit',
        `--nproc=${NPROC}:${NPROC}`,
        `--nofile=${NOFILE}:${NOFILE}`,
        '--',
        path.join(binaries.dir, 'containerd'),
        '--config',
        path.join(dir, 'config.toml'),
      ],
      // Its own shim first on PATH (containerd finds containerd-shim-runc-v2 there), never the host's 1.6 one.
      {
        env: { ...process.env, PATH: `${binaries.dir}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}` },
        stdio: ['ignore', output, output],
      },
    );
  } finally {
    closeSync(output);
  }
}

/**
 * 127.0.0.1:port of the host at the same address inside the node's namespace: socat on the host
 * (unix socket → TCP), socat inside (TCP → the same unix socket), and the registry's hosts.toml.
 */
async function relayRegistry(options: {
  dir: string;
  namespace: string;
  port: number;
  relays: ChildProcess[];
  leaves: (leftover: Leftover) => void;
}): Promise<void> {
  const { dir, namespace, port, relays } = options;
  const relaySocket = path.join(dir, 'relay', `${port}.sock`);
  const host = spawn('socat', [`UNIX-LISTEN:${relaySocket},fork,unlink-early`, `TCP:127.0.0.1:${port}`], { stdio: 'ignore' });
  relays.push(host);
  if (host.pid) options.leaves({ process: { pid: host.pid, command: 'socat' } });
  await pollUntil(async () => existsSync(relaySocket), { timeoutMs: 5000, intervalMs: 10 });
  const inside = spawn(
    'nsenter',
    [`--net=/run/netns/${namespace}`, '--', 'socat', `TCP-LISTEN:${port},bind=127.0.0.1,fork,reuseaddr`, `UNIX-CONNECT:${relaySocket}`],
    { stdio: 'ignore' },
  );
  relays.push(inside);
  const hostDir = path.join(dir, 'certs.d', `127.0.0.1:${port}`);
  mkdirSync(hostDir, { recursive: true });
  writeFileSync(path.join(hostDir, 'hosts.toml'), registryHostsToml(`127.0.0.1:${port}`));
  const listening = await pollUntil(
    async () =>
      (await execa('ip', ['netns', 'exec', namespace, 'ss', '-Hltn', `sport = :${port}`], { reject: false })).stdout.trim() !== '',
    { timeoutMs: 5000, intervalMs: 10 },
  );
  if (!listening) throw new Error(`the relay to 127.0.0.1:${port} did not listen inside ${namespace}`);
}

/**
 * Starts one node: namespace, configuration, containerd, the pause image imported. Everything it
 * makes is told to `leaves` first; `stop` removes it all (pods, containerd and its shims, relays,
 * namespace, cgroup, folder), and so does a failed start.
 */
export async function startContainerdNode(options: NodeOptions): Promise<ContainerdNode> {
  await ensureHostParts(options.log);
  const binaries = await containerdBinaries(options.log);
  const { dir } = options;
  const namespace = `bb-${options.runId.replace(/\D/g, '').slice(-10)}-${options.name}`.slice(0, 40);
  const cgroupParent = `basebench-${options.runId}-${options.name}`;
  const leaves = options.leaves ?? (() => {});
  leaves({ folder: dir });
  leaves({ namespace });
  leaves({ cgroup: cgroupParent });
  for (const sub of ['cni', 'certs.d', 'relay', 'probe', 'pods']) mkdirSync(path.join(dir, sub), { recursive: true });
  writeFileSync(path.join(dir, 'config.toml'), containerdConfig(dir, options.pause.ref));
  writeFileSync(path.join(dir, 'cni', '10-basebench.conflist'), cniConfig(dir));
  const socket = path.join(dir, 'containerd.sock');
  const logFile = path.join(dir, 'containerd.log');
  const relays: ChildProcess[] = [];
  let daemon: ChildProcess | undefined;
  let cri: CriClient | undefined;
  const stop = async () => {
    if (cri) {
      for (const sandbox of await cri.listPodSandboxes({}).catch(() => [])) {
        await cri.stopPodSandbox(sandbox.id).catch(() => {});
        await cri.removePodSandbox(sandbox.id).catch(() => {});
      }
      cri.close();
    }
    if (daemon?.pid && daemon.exitCode === null) {
      const exited = new Promise((resolve) => daemon!.once('exit', resolve));
      daemon.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
    }
    for (const relay of relays) relay.kill('SIGTERM');
    removeCgroup(cgroupParent);
    await removeNamespace(namespace);
    await removeEngineFolder(dir);
  };
  try {
    await execa('ip', ['netns', 'add', namespace]);
    await execa('ip', ['netns', 'exec', namespace, 'ip', 'link', 'set', 'lo', 'up']);
    daemon = spawnContainerd(binaries, dir, namespace, logFile);
    if (daemon.pid) leaves({ process: { pid: daemon.pid, command: 'containerd' } });
    const client = connectCri(socket);
    cri = client;
    const up = await pollUntil(
      async () =>
        existsSync(socket) &&
        (await client.version().then(
          () => true,
          () => false,
        )),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    if (!up) throw new Error(`containerd did not answer on ${socket} within 30 s; its log: ${tail(logFile)}`);
    const ctr = async (args: readonly string[]) =>
      (await execa(path.join(binaries.dir, 'ctr'), ['--address', socket, '--namespace', 'k8s.io', ...args])).stdout;
    const pauseTarball = path.join(dir, 'pause.tar');
    await pipeline(await options.pause.save(), createWriteStream(pauseTarball));
    await ctr(['images', 'import', pauseTarball]);
    rmSync(pauseTarball);
    const reached = new Set<number>();
    const reach = async (port: number) => {
      if (reached.has(port)) return;
      reached.add(port);
      await relayRegistry({ dir, namespace, port, relays, leaves });
    };
    options.log.info(
      `Started ${options.name}: containerd ${binaries.packageVersion} (pid ${daemon.pid}) in network namespace ${namespace}, ` +
        `CRI on ${socket}`,
    );
    return { name: options.name, socket, dir, namespace, cgroupParent, cri: client, binaries, logFile, reach, ctr, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}
