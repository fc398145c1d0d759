import { describe, expect, it } from 'vitest';
import { describeEngine, readsZstd } from '../../src/engine/capabilities.js';
import { engineLabel } from '../../src/report/engine-label.js';
import { mountsUnder } from '../../src/engine/host-mounts.js';
import { endpointOptions } from '../../src/engine/targets.js';
import { pushedDigest } from '../../src/engine/docker-engine.js';

describe('what each engine is', () => {
  it('reads zstd layers on Podman and on Docker Engine from 23.0, and says why not before', () => {
    expect(readsZstd({ product: 'Podman', version: '4.3.1' })).toEqual({ reads: true });
    expect(readsZstd({ product: 'Docker Engine', version: '26.1.5+dfsg1' })).toEqual({ reads: true });
    expect(readsZstd({ product: 'Docker Engine', version: '20.10.24+dfsg1' })).toEqual({
      reads: false,
      reason: expect.stringMatching(/20\.10\.24.*23\.0/),
    });
  });

  it('labels an engine with its product, version, image store and runtime', () => {
    const record = describeEngine(
      'docker-current-containerd',
      {
        product: 'Docker Engine',
        version: '26.1.5+dfsg1',
        apiVersion: '1.45',
        storageDriver: 'overlayfs',
        cgroupVersion: '1',
        operatingSystem: 'Debian',
        kernel: '6.1',
        imageStore: 'containerd',
        runtime: 'runc (commit 1.1.15)',
      },
      'unix:///x.sock',
      'started by this run',
    );
    expect(engineLabel(record)).toBe('docker-current-containerd (Docker Engine 26.1.5+dfsg1, containerd store, runc)');
    expect(record.pullProgress).toMatch(/polling/);
  });

  it('connects to unix and tcp endpoints', () => {
    expect(endpointOptions('unix:///run/podman/podman.sock')).toEqual({ socketPath: '/run/podman/podman.sock' });
    expect(endpointOptions('tcp://127.0.0.1:2375')).toEqual({ host: '127.0.0.1', port: 2375, protocol: 'http' });
  });

  it('finds the mounts an engine left under its folder, deepest first, and nothing beside it', () => {
    const mountInfo = [
      '22 1 8:1 / / rw - ext4 /dev/vda rw',
      '40 22 0:50 / /var/lib/basebench/engines/r1-podman/storage/overlay rw - overlay overlay rw',
      '41 40 0:51 / /var/lib/basebench/engines/r1-podman/storage/overlay/abc/merged rw - overlay overlay rw',
      '42 22 0:52 / /var/lib/basebench/engines/r1-podman-2/x rw - tmpfs tmpfs rw',
      '43 22 0:53 / /var/lib/basebench/engines/r1-podman/with\\040space rw - tmpfs tmpfs rw',
    ].join('\n');
    expect(mountsUnder('/var/lib/basebench/engines/r1-podman', mountInfo)).toEqual([
      '/var/lib/basebench/engines/r1-podman/storage/overlay/abc/merged',
      '/var/lib/basebench/engines/r1-podman/storage/overlay',
      '/var/lib/basebench/engines/r1-podman/with space',
    ]);
  });
});

describe('a push stream', () => {
  const digest = `sha256:${'4973a79e'.repeat(8)}`;

  it('gives the digest from either image store: an aux message (classic) or the last status line (containerd, Docker 26)', () => {
    expect(pushedDigest({ status: '', aux: { Tag: '2', Digest: digest, Size: 739 } } as never)).toBe(digest);
    expect(pushedDigest({ status: `2: digest: ${digest} size: 739` })).toBe(digest);
    expect(pushedDigest({ status: 'Mounted from probe/x', id: 'a17d84bf5456' })).toBeUndefined();
  });
});
