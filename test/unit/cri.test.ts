import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeEngine, readsZstd, splitsPull } from '../../src/engine/capabilities.js';
import { cniConfig, containerdConfig, registryHostsToml } from '../../src/engine/cri/containerd-node.js';
import { chainIds, criImageSettings, loopbackPort, nanosToRfc3339 } from '../../src/engine/cri/cri-engine.js';
import { criLogTail, criLogText, followCriLog, parseCriLogLine } from '../../src/engine/cri/cri-log.js';
import { parseEngineTargets } from '../../src/engine/targets.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('the CRI log file', () => {
  it('reads an entry, its stream and whether the runtime split it', () => {
    expect(parseCriLogLine('2026-12-04T19:00:00.123456789Z stdout F basebench-timeline listening 12')).toEqual({
      time: '2026-12-04T19:00:00.123456789Z',
      stream: 'stdout',
      partial: false,
      text: 'basebench-timeline listening 12',
    });
    expect(parseCriLogLine('2026-12-04T19:00:00Z stderr P half a ')?.partial).toBe(true);
    expect(parseCriLogLine('not a log line')).toBeUndefined();
  });

  it('joins split entries per stream and keeps empty lines', () => {
    const content = [
      '2026-12-04T19:00:00Z stdout P hello ',
      '2026-12-04T19:00:00Z stderr F oops',
      '2026-12-04T19:00:00Z stdout F world',
      '2026-12-04T19:00:01Z stdout F ',
      '',
    ].join('\n');
    expect(criLogText(content)).toEqual(['oops', 'hello world', '']);
    expect(criLogText(content, 'stdout')).toEqual(['hello world', '']);
  });

  it('gives the last lines of a file, and nothing for a file not yet written', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bb-crilog-'));
    folders.push(dir);
    const file = path.join(dir, 'app.log');
    expect(criLogTail(file, 5)).toBe('');
    writeFileSync(file, ['a', 'b', 'c'].map((text) => `2026-12-04T19:00:00Z stdout F ${text}`).join('\n') + '\n');
    expect(criLogTail(file, 2)).toBe('b\nc');
  });

  it('follows stdout lines as they are written, from before the file exists', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bb-crilog-'));
    folders.push(dir);
    const file = path.join(dir, 'app.log');
    const seen: string[] = [];
    const stop = followCriLog(file, (line) => seen.push(line));
    await new Promise((resolve) => setTimeout(resolve, 50));
    writeFileSync(file, '2026-12-04T19:00:00Z stdout F basebench-timeline entered 1\n2026-12-04T19:00:00Z stderr F noise\n');
    appendFileSync(file, '2026-12-04T19:00:00Z stdout P basebench-timeline \n2026-12-04T19:00:00Z stdout F liste');
    await new Promise((resolve) => setTimeout(resolve, 60));
    appendFileSync(file, 'ning 2\n2026-12-04T19:00:00Z stdout F');
    await new Promise((resolve) => setTimeout(resolve, 60));
    stop();
    expect(seen).toEqual(['basebench-timeline entered 1', 'basebench-timeline listening 2']);
  });
});

describe('the CRI engine', () => {
  it('is named on the command line like the others', () => {
    expect(parseEngineTargets(['docker,cri'])).toEqual([
      { name: 'docker', kind: 'docker' },
      { name: 'cri', kind: 'cri' },
    ]);
    expect(() => parseEngineTargets(['cri=unix:///run/x.sock'])).toThrow(/built-in engine/);
  });

  it("names the snapshots of an image by its layers' chain IDs (OCI image spec)", () => {
    const a = 'sha256:aaaa';
    const b = 'sha256:bbbb';
    const [first, second] = chainIds([a, b]);
    expect(first).toBe(a);
    // printf 'sha256:aaaa sha256:bbbb' | sha256sum
    expect(second).toBe('sha256:2c4d8760379f05d0ad1ed610712309f0114e7345e6e6a351494cff030ffdf197');
    expect(chainIds([a, b, a])[2]).not.toBe(second);
    expect(chainIds([])).toEqual([]);
  });

  it('turns CRI nanosecond times into the RFC 3339 the timeline reads', () => {
    expect(nanosToRfc3339('1764874800123456789')).toBe('2025-12-04T19:00:00.123456789Z');
    expect(nanosToRfc3339('5')).toBe('1970-01-01T00:00:00.000000005Z');
    expect(nanosToRfc3339('0')).toBeUndefined();
    expect(nanosToRfc3339('')).toBeUndefined();
  });

  it('finds the loopback registry port a reference pulls from', () => {
    expect(loopbackPort('127.0.0.1:41234/basebench/go-hello:scratch')).toBe(41234);
    expect(loopbackPort('localhost:5000/x:y')).toBe(5000);
    expect(loopbackPort('registry.example.com:5000/x:y')).toBeUndefined();
  });

  it("reads the CRI's image settings from containerd's verbose status", () => {
    const info = {
      config: JSON.stringify({ containerd: { snapshotter: 'overlayfs', discardUnpackedLayers: true }, maxConcurrentDownloads: 3 }),
    };
    expect(criImageSettings(info)).toEqual({ snapshotter: 'overlayfs', maxConcurrentDownloads: 3, discardUnpackedLayers: true });
    expect(criImageSettings({})).toBeUndefined();
  });

  it("writes a node's configuration inside its own folder, never the host's containerd paths", () => {
    const config = containerdConfig('/var/lib/basebench/engines/run-cri', 'basebench.local/pause:abc');
    for (const line of config.split('\n').filter((text) => /(root|state|address|path|dir|under|Root) = "/.test(text))) {
      expect(line).toMatch(/"\/var\/lib\/basebench\/engines\/run-cri\/|"\/usr\/(lib\/cni|sbin\/runc)"/);
    }
    expect(config).toContain('sandbox_image = "basebench.local/pause:abc"');
    expect(config).not.toMatch(/\/run\/containerd|\/var\/lib\/containerd/);
    const cni = JSON.parse(cniConfig('/d')) as { plugins: Array<{ type: string; ipMasq?: boolean; ipam?: { dataDir: string } }> };
    expect(cni.plugins[0]).toMatchObject({ type: 'bridge', ipMasq: false, ipam: { dataDir: '/d/cni-ipam' } });
    expect(registryHostsToml('127.0.0.1:5000')).toContain('[host."http://127.0.0.1:5000"]');
  });

  it('reads zstd, and has no pull stream to split', () => {
    expect(readsZstd({ product: 'containerd', version: '1.7.24~ds1' })).toEqual({ reads: true });
    expect(splitsPull({ product: 'containerd', imageStore: 'containerd' })).toBe(false);
    expect(splitsPull({ product: 'Docker Engine', imageStore: 'containerd' })).toBe(true);
    const record = describeEngine(
      'cri',
      {
        product: 'containerd',
        version: '1.7.24~ds1',
        apiVersion: 'CRI v1',
        storageDriver: 'overlayfs',
        cgroupVersion: '1',
        operatingSystem: 'Debian',
        kernel: '6.1',
        imageStore: 'containerd',
        runtime: 'runc 1.1.5',
        cri: { snapshotter: 'overlayfs', maxConcurrentDownloads: 3, discardUnpackedLayers: false },
      },
      'unix:///x.sock',
      'started',
    );
    expect(record.pullProgress).toMatch(/PullImage answers once/);
    expect(record.cri?.maxConcurrentDownloads).toBe(3);
  });
});
