import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesServedPerBlob, parseBlobsServed, RegistryAccessLog } from '../../src/registry/access-log.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

const CONFIG = 'sha256:e74fe66dd2a4cc0718e21d2f1fd34dfc21437d7ba4784e50bbb334548da29093';
const LAYER = 'sha256:386431811b9c8456dff4798f65566ec953c273c8748170e64f7223906196c02a';

/** A "response completed" line as the distribution registry (Debian's docker-registry 2.8) writes it. */
function line(method: string, uri: string, status: number, written: number): string {
  return JSON.stringify({
    'go.version': 'go1.19.8',
    'http.request.method': method,
    'http.request.uri': uri,
    'http.request.useragent': 'containers/5.23.1 (github.com/containers/image)',
    'http.response.status': status,
    'http.response.written': written,
    level: 'info',
    msg: 'response completed',
  });
}

describe("the registry's log of what it served", () => {
  const dir = suiteTempDir();

  it('reads blob responses and ignores manifests, other messages and broken lines', () => {
    const text = [
      line('GET', `/v2/basebench/go-hello/blobs/${LAYER}`, 200, 2000815),
      line('HEAD', `/v2/basebench/go-hello/blobs/${CONFIG}`, 200, 0),
      line('GET', '/v2/basebench/go-hello/manifests/scratch', 200, 739),
      '{"level":"info","msg":"listening on 127.0.0.1:5999"}',
      'not json "response completed"',
    ].join('\n');
    expect(parseBlobsServed(text)).toEqual([
      { digest: LAYER, method: 'GET', status: 200, bytes: 2000815 },
      { digest: CONFIG, method: 'HEAD', status: 200, bytes: 0 },
    ]);
  });

  it('counts only bytes of GETs that succeeded, per blob', () => {
    const served = bytesServedPerBlob([
      { digest: LAYER, method: 'GET', status: 200, bytes: 1000 },
      { digest: LAYER, method: 'GET', status: 206, bytes: 500 },
      { digest: CONFIG, method: 'HEAD', status: 200, bytes: 0 },
      { digest: CONFIG, method: 'GET', status: 404, bytes: 19 },
    ]);
    expect([...served]).toEqual([[LAYER, 1500]]);
  });

  it('reads only what was logged after a mark', () => {
    const file = path.join(dir(), 'registry.log');
    writeFileSync(file, `${line('GET', `/v2/a/blobs/${CONFIG}`, 200, 1563)}\n`);
    const log = new RegistryAccessLog(file);
    const mark = log.mark();
    expect(log.blobsServedSince(mark)).toEqual([]);
    appendFileSync(file, `${line('GET', `/v2/a/blobs/${LAYER}`, 200, 2000815)}\n`);
    expect(log.blobsServedSince(mark).map((blob) => blob.digest)).toEqual([LAYER]);
  });
});
