import { describe, expect, it } from 'vitest';
import type { EngineSession } from '../../src/engine/open-engines.js';
import { checkSpace, estimateSpace } from '../../src/pipeline/disk.js';
import { goldenRun } from '../fixtures/runs.js';

const engine = (name: string, dataRoot: string, endpoint = 'unix:///var/run/docker.sock') =>
  ({ name, endpoint, facts: { dataRoot } }) as unknown as EngineSession;

describe('the disk space a run needs', () => {
  it('is estimated from what an earlier run measured of the same variants, assuming a large image for the others', () => {
    const earlier = goldenRun();
    const measured = earlier.variants.find((variant) => variant.image)!;
    const need = estimateSpace([measured.id, 'new/variant'], 2, earlier);
    expect(need.assumed).toBe(1);
    expect(need.engineBytes).toBe(2e9 + measured.image!.uncompressedBytes + 1.5e9);
    expect(need.registryBytes).toBe(2 * (measured.image!.compressedBytes + 0.6e9));
  });

  it('refuses, naming both numbers, when a filesystem has too little free; engines on one filesystem add up', () => {
    const need = { engineBytes: 3e9, registryBytes: 1e9, assumed: 0 };
    const free = (folder: string) => (folder.startsWith('/var') ? 5e9 : 50e9);
    expect(() =>
      checkSpace(need, [engine('docker', '/var/lib/docker'), engine('podman', '/var/lib/basebench/engines/x')], '/tmp', free),
    ).toThrow(
      "not enough disk space for this run: it needs about 6.0 GB for engine docker's data root (/var/lib/docker) " +
        "and engine podman's data root (/var/lib/basebench/engines/x), and 5.0 GB is free",
    );
    expect(checkSpace(need, [engine('docker', '/var/lib/docker')], '/tmp', free)).toMatch(
      /^Disk: about 3.0 GB per engine and 1.0 GB for the registry; enough is free$/,
    );
  });

  it('does not check a remote engine it cannot see', () => {
    const need = { engineBytes: 3e9, registryBytes: 1e9, assumed: 0 };
    // Only the registry's folder is checked: the remote engine's 3 GB are not counted against this machine.
    expect(() => checkSpace(need, [engine('remote', '/var/lib/docker', 'tcp://10.0.0.5:2375')], '/tmp', () => 0.5e9)).toThrow(
      "it needs about 1.0 GB for the registry's storage (/tmp), and 0.5 GB is free",
    );
  });
});
