import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/common/log.js';
import { openCluster } from '../../src/engine/kubernetes/cluster.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

/**
 * The cluster engine's API glue on this Node.js, against a stand-in for a kube-apiserver on 127.0.0.1: the client loads,
 * reads the kubeconfig, lists the nodes, makes and deletes the run's namespace, reads the facts. Nothing is measured
 * here (that needs a real cluster: the weekly workflow's kind job); a client that can't load on the Node.js README
 * names fails here, not in that job.
 */
const node = (name: string, ready: boolean, unschedulable = false) => ({
  metadata: { name },
  spec: { unschedulable },
  status: {
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    nodeInfo: {
      kubeletVersion: 'v1.31.0',
      osImage: 'Debian GNU/Linux 12',
      kernelVersion: '6.1.0',
      containerRuntimeVersion: 'containerd://1.7.24',
    },
  },
});

const VERSION = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.0',
  gitCommit: 'abc',
  gitTreeState: 'clean',
  buildDate: '2024-08-13T00:00:00Z',
  goVersion: 'go1.22.5',
  compiler: 'gc',
  platform: 'linux/amd64',
};

describe('the cluster engine against a stand-in API server on loopback', () => {
  const tempDir = suiteTempDir();
  const requests: Array<{ method: string; url: string; body: string }> = [];
  let nodes = [node('worker-1', true), node('cordoned', true, true), node('not-ready', false)];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      requests.push({ method: request.method!, url: request.url!, body });
      const answer = (status: number, value: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(value));
      };
      const url = request.url!.split('?')[0]!;
      if (request.method === 'GET' && url === '/api/v1/nodes')
        return answer(200, { kind: 'NodeList', apiVersion: 'v1', metadata: {}, items: nodes });
      if (request.method === 'GET' && url.startsWith('/api/v1/nodes/'))
        return answer(
          200,
          nodes.find((item) => url.endsWith(`/${item.metadata.name}`)),
        );
      if (request.method === 'GET' && url === '/version') return answer(200, VERSION);
      if (request.method === 'POST' && url === '/api/v1/namespaces') return answer(201, JSON.parse(body));
      if (request.method === 'DELETE' && url.startsWith('/api/v1/namespaces/')) return answer(200, { kind: 'Status', status: 'Success' });
      return answer(404, { kind: 'Status', status: 'Failure', code: 404 });
    });
  });
  const saved = process.env.KUBECONFIG;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const file = path.join(tempDir(), 'kubeconfig');
    const { port } = server.address() as AddressInfo;
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'stand-in', cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'nobody', user: {} }],
        contexts: [{ name: 'stand-in', context: { cluster: 'stand-in', user: 'nobody' } }],
        'current-context': 'stand-in',
      }),
    );
    process.env.KUBECONFIG = file;
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
    await new Promise((resolve) => server.close(resolve));
  });

  it('opens on the ready, schedulable nodes, in a namespace of the run that it deletes on close', async () => {
    const session = await openCluster({ context: 'stand-in', runId: '20261205-120000Z', log: silentLogger });
    expect(session.nodes).toEqual(['worker-1']);
    expect(session.name).toBe('kubernetes (stand-in)');
    const facts = await session.facts();
    expect(facts).toMatchObject({
      product: 'Kubernetes',
      version: '1.31.0',
      apiVersion: 'kubelet v1.31.0',
      runtime: 'containerd://1.7.24',
    });
    await session.close();
    const created = requests.find((request) => request.method === 'POST' && request.url === '/api/v1/namespaces')!;
    expect(JSON.parse(created.body).metadata.name).toBe('basebench-20261205-120000z');
    expect(requests.map((request) => `${request.method} ${request.url.split('?')[0]}`)).toContain(
      'DELETE /api/v1/namespaces/basebench-20261205-120000z',
    );
  });

  it('refuses a cluster with no ready, schedulable node, naming the context, and makes nothing there', async () => {
    nodes = [node('cordoned', true, true), node('not-ready', false)];
    requests.length = 0;
    await expect(openCluster({ context: 'stand-in', runId: 'r2', log: silentLogger })).rejects.toThrow(
      'no ready, schedulable node in the cluster of context stand-in',
    );
    expect(requests.filter((request) => request.method !== 'GET')).toEqual([]);
  });
});
