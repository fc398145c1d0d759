import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_STATE_ROOT } from '../../src/engine/open-engines.js';
import type { RunResults } from '../../src/results/types.js';
import { measuredRun } from '../fixtures/bench-options.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';
import { linkSetup } from '../fixtures/host-links.js';

/**
 * What the host has that the cri engine must leave alone: its links and bridges (with their
 * addresses), its firewall, its named network namespaces, and the host's own containerd (the one
 * the host's Docker Engine uses: same process, same socket, same namespaces).
 */
async function hostState(): Promise<string> {
  const links = (await execa('ip', ['-o', 'link', 'show'])).stdout
    .split('\n')
    .map((line) =>
      linkSetup(line)
        .replace(/^\d+: /, '')
        .replace(/qlen \d+/, ''),
    )
    .sort();
  const addresses = (await execa('ip', ['-o', 'addr', 'show'])).stdout
    .split('\n')
    .map((line) => line.replace(/^\d+: /, ''))
    .sort();
  const firewall = [
    (await execa('iptables', ['-S'], { reject: false })).stdout,
    (await execa('iptables', ['-t', 'nat', '-S'], { reject: false })).stdout,
  ];
  const namespaces = (await execa('ip', ['netns', 'list'], { reject: false })).stdout;
  // The host's containerd: Debian's dockerd runs its own (pid file under /run/docker), a system one has /run/containerd.
  const pidFile = ['/run/docker/containerd/containerd.pid', '/run/containerd/containerd.pid'].find((file) => existsSync(file));
  const hostContainerd = pidFile ? `${pidFile}: ${readFileSync(pidFile, 'utf8').trim()}` : 'no host containerd';
  const moby = pidFile
    ? (await execa('ctr', ['--address', pidFile.replace('containerd.pid', 'containerd.sock'), 'namespaces', 'ls', '-q'], { reject: false }))
        .stdout
    : '';
  const forwarding = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
  return [...links, ...addresses, ...firewall, namespaces, hostContainerd, moby, forwarding].join('\n');
}

/** The floor and a Go variant on docker and on the cri engine, interleaved: cold (gzip and zstd), warm. */
describe('a run on the cri engine beside docker', () => {
  const outDir = suiteTempDir();
  let results: RunResults;
  let before: string;

  beforeAll(async () => {
    before = await hostState();
    results = await measuredRun({
      quick: true,
      variantFilter: ['go-hello/scratch'],
      floor: true,
      repeat: 1,
      warmRepeat: 1,
      outDir: outDir(),
      engines: [
        { name: 'docker', kind: 'docker' },
        { name: 'cri', kind: 'cri' },
      ],
      compressions: ['gzip', 'zstd'],
    });
  });

  it("records containerd's CRI and its image settings", () => {
    const cri = results.provenance.engines!.find((engine) => engine.name === 'cri')!;
    expect(cri).toMatchObject({ product: 'containerd', apiVersion: 'CRI v1', imageStore: 'containerd', zstd: { reads: true } });
    expect(cri.version).toMatch(/^1\.7\./);
    expect(cri.cri).toEqual({ snapshotter: 'overlayfs', maxConcurrentDownloads: 3, discardUnpackedLayers: false });
  });

  it('proves every cold sample on the cri engine cold, by the registry, in both compressions', () => {
    const cold = results.variants
      .flatMap((variant) => variant.samples)
      .filter((sample) => sample.engine === 'cri' && sample.kind === 'cold');
    expect(cold.map((sample) => sample.compression).sort()).toEqual(['gzip', 'gzip', 'zstd', 'zstd']);
    for (const sample of cold) {
      expect(sample.state, sample.error).toBe('completed');
      expect(sample.pull?.proof).toBe('registry-log');
      expect(sample.pull?.bytesServed).toBeGreaterThan(0);
    }
  });

  it("times a pod's phases in the order a kubelet makes them", () => {
    const samples = results.variants.flatMap((variant) => variant.samples).filter((sample) => sample.engine === 'cri');
    expect(samples.length).toBeGreaterThanOrEqual(6);
    for (const sample of samples) {
      expect(sample.state, sample.error).toBe('completed');
      expect(sample.sandboxMs).toBeGreaterThan(0);
      expect(sample.createMs).toBeGreaterThan(sample.sandboxMs!);
      // containerd stamps StartedAt once runc's start returns: after the start call began, before it returned.
      const uncertainty = results.provenance.clocks!.wallUncertaintyMs + 1;
      expect(sample.timeline?.processStartedMs).toBeGreaterThan(-uncertainty);
      expect(sample.timeline!.processStartedMs!).toBeLessThanOrEqual(sample.startMs! + uncertainty);
      expect(sample.timeline!.listeningMs!).toBeGreaterThan(0);
      expect(sample.startToFirstResponseMs).toBeGreaterThanOrEqual(sample.timeline!.listeningMs!);
      expect(sample.memory?.processes?.rssBytes).toBeGreaterThan(0);
    }
  });

  it('reports the pod phases beside the engine comparison', () => {
    const report = readFileSync(`${outDir()}/latest/report.md`, 'utf8');
    expect(report).toContain("a pod's cold start through the CRI, phase by phase");
    expect(report).toMatch(/\| floor\/scratch \| cri \|/);
  });

  it("leaves the host's links, firewall, namespaces and containerd as they were, and nothing of the node", async () => {
    expect(await hostState()).toBe(before);
    expect(existsSync(ENGINE_STATE_ROOT) ? readdirSync(ENGINE_STATE_ROOT).filter((name) => name.includes(results.runId)) : []).toEqual([]);
    const cgroups = existsSync('/sys/fs/cgroup/pids')
      ? readdirSync('/sys/fs/cgroup/pids').filter((name) => name.startsWith('basebench-'))
      : [];
    expect(cgroups).toEqual([]);
  });
});
