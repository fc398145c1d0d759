import { describe, expect, it } from 'vitest';
import { containerNamed, goDurationMs, parsePulled, podPhases } from '../../src/engine/kubernetes/kubelet-events.js';

describe("kubelet's event messages", () => {
  it("reads Go's duration text", () => {
    expect(goDurationMs('15.981s')).toBe(15_981);
    expect(goDurationMs('1m2.5s')).toBe(62_500);
    expect(goDurationMs('850.5ms')).toBe(850.5);
    expect(goDurationMs('2h0m1s')).toBe(7_201_000);
    expect(goDurationMs('1.5µs')).toBeCloseTo(0.0015);
    expect(goDurationMs('0s')).toBe(0);
    expect(goDurationMs('12')).toBeUndefined();
    expect(goDurationMs('1.2sx')).toBeUndefined();
    expect(goDurationMs('')).toBeUndefined();
  });

  it('reads a Pulled message of each kubelet generation', () => {
    expect(
      parsePulled('Successfully pulled image "g1g1/py-kube" in 15.981s (15.981s including waiting). Image size: 129338587 bytes.'),
    ).toEqual({ image: 'g1g1/py-kube', pullMs: 15_981, includingWaitingMs: 15_981, imageSizeBytes: 129_338_587, alreadyPresent: false });
    expect(parsePulled('Successfully pulled image "nginx:1.27" in 2.1s (3.4s including waiting)')).toEqual({
      image: 'nginx:1.27',
      pullMs: 2100,
      includingWaitingMs: 3400,
      alreadyPresent: false,
    });
    expect(parsePulled('Successfully pulled image "busybox" in 1.032811s')).toEqual({
      image: 'busybox',
      pullMs: 1032.811,
      alreadyPresent: false,
    });
    expect(parsePulled('Container image "registry.local:5000/app:v1" already present on machine')).toEqual({
      image: 'registry.local:5000/app:v1',
      alreadyPresent: true,
    });
    expect(parsePulled('Pulling image "busybox"')).toBeUndefined();
    expect(parsePulled('Successfully pulled image "x" in soon')).toBeUndefined();
  });

  it('names the container of Created and Started, with or without the colon', () => {
    expect(containerNamed('Created container: app')).toBe('app');
    expect(containerNamed('Created container app')).toBe('app');
    expect(containerNamed('Started container app')).toBe('app');
    expect(containerNamed('Error: ErrImagePull')).toBeUndefined();
  });

  it("puts a pod's start in order from its events, whatever order the API lists them in", () => {
    const events = [
      { reason: 'Started', message: 'Started container app', time: '2026-12-04T19:00:03.500000Z' },
      {
        reason: 'Pulled',
        message: 'Successfully pulled image "r/app:1" in 1.5s (2s including waiting). Image size: 1000 bytes.',
        time: '2026-12-04T19:00:02.100000Z',
      },
      { reason: 'Scheduled', message: 'Successfully assigned basebench/app-1 to node-b', time: '2026-12-04T19:00:00.000000Z' },
      { reason: 'Pulling', message: 'Pulling image "r/app:1"', time: '2026-12-04T19:00:00.100000Z' },
      { reason: 'Created', message: 'Created container: sidecar', time: '2026-12-04T19:00:02.200000Z' },
      { reason: 'Created', message: 'Created container: app', time: '2026-12-04T19:00:02.300000Z' },
    ];
    expect(podPhases(events, 'app')).toEqual({
      pullingMs: 100,
      pulledMs: 2100,
      createdMs: 2300,
      startedMs: 3500,
      pull: { image: 'r/app:1', pullMs: 1500, includingWaitingMs: 2000, imageSizeBytes: 1000, alreadyPresent: false },
      node: 'node-b',
    });
    expect(podPhases([], 'app')).toEqual({});
  });
});
