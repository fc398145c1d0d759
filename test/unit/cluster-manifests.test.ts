import { describe, expect, it } from 'vitest';
import { measuredPod, probeScript, purgerDaemonSet, purgeCommands, runNamespace } from '../../src/engine/kubernetes/manifests.js';
import { parseEngineTargets } from '../../src/engine/targets.js';
import { namesImage } from '../../src/engine/kubernetes/cluster.js';

describe("the cluster engine's objects", () => {
  it('keeps a run in a namespace of its own, named and labelled by the run', () => {
    expect(runNamespace('20261204-192505Z')).toEqual({
      metadata: { name: 'basebench-20261204-192505z', labels: { 'basebench.run': '20261204-192505Z' } },
    });
  });

  it('pins the measured pod to its node and pulls as the sample kind needs', () => {
    const pod = measuredPod({
      name: 'bb-1',
      runId: 'r',
      node: 'kind-worker',
      image: 'localhost:5001/a:b',
      port: 8080,
      pullPolicy: 'Always',
    }) as {
      metadata: { labels: Record<string, string> };
      spec: { nodeName: string; restartPolicy: string; containers: Array<{ name: string; imagePullPolicy: string; ports: unknown[] }> };
    };
    expect(pod.spec.nodeName).toBe('kind-worker');
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.containers).toEqual([
      { name: 'app', image: 'localhost:5001/a:b', imagePullPolicy: 'Always', ports: [{ containerPort: 8080 }] },
    ]);
    expect(pod.metadata.labels['basebench.run']).toBe('r');
  });

  it("mounts the node's CRI socket into the privileged purger, and removes images synchronously", () => {
    const purger = purgerDaemonSet({ runId: 'r', image: 'tools', criSocket: '/run/containerd/containerd.sock' }) as {
      spec: { template: { spec: { containers: Array<{ securityContext: object }>; volumes: Array<{ hostPath: object }> } } };
    };
    expect(purger.spec.template.spec.containers[0]!.securityContext).toEqual({ privileged: true });
    expect(purger.spec.template.spec.volumes[0]!.hostPath).toEqual({ path: '/run/containerd/containerd.sock', type: 'Socket' });
    expect(purgeCommands.remove('x:y')).toEqual(expect.arrayContaining(['--namespace', 'k8s.io', 'rm', '--sync', 'x:y']));
  });

  it('probes with bash alone, for the expected status and body, within the deadline', () => {
    const [shell, flag, script] = probeScript({
      ip: '10.244.1.5',
      port: 8080,
      path: '/',
      status: 200,
      body: 'hello from basebench',
      timeoutMs: 30_000,
    });
    expect([shell, flag]).toEqual(['bash', '-c']);
    expect(script).toContain('/dev/tcp/10.244.1.5/8080');
    expect(script).toContain('seq 1 3000');
    expect(script).toContain('" 200 "');
    expect(script).toContain('"hello from basebench"');
  });

  it("finds an image on a node under its tag and its repository's digests, nothing else", () => {
    const ref = 'localhost:5001/basebench/go-hello:scratch';
    expect(namesImage(ref, ref)).toBe(true);
    expect(namesImage(`localhost:5001/basebench/go-hello@sha256:${'a'.repeat(64)}`, ref)).toBe(true);
    expect(namesImage('localhost:5001/basebench/go-hello:scratch-upx', ref)).toBe(false);
    expect(namesImage('localhost:5001/basebench/go-hello-2@sha256:aa', ref)).toBe(false);
    expect(namesImage(`sha256:${'a'.repeat(64)}`, ref)).toBe(false);
  });

  it('is named kubernetes, with a kubeconfig context or the current one', () => {
    expect(parseEngineTargets(['kubernetes'])).toEqual([{ name: 'kubernetes', kind: 'kubernetes' }]);
    expect(parseEngineTargets(['kubernetes=kind-basebench'])).toEqual([
      { name: 'kubernetes', kind: 'kubernetes', context: 'kind-basebench' },
    ]);
  });
});
