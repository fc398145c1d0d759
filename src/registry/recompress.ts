import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { spawn } from 'node:child_process';
import type { Compression, LayerBlob, RecompressedImage } from '../results/types.js';

const ZSTD_LAYER = 'application/vnd.oci.image.layer.v1.tar+zstd';
const GZIP_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
/** zstd's default level, which Podman and BuildKit also push with. */
const ZSTD_LEVEL = 3;

export interface RecompressRequest {
  registryUrl: string;
  /** Repository path in the registry, e.g. basebench/go-hello. */
  repository: string;
  /** Tag of the new image, e.g. scratch-zstd. */
  tag: string;
  /** Registry host as image references name it. */
  host: string;
  config: LayerBlob;
  /** The layers as pushed (gzip, or uncompressed tars), in order. */
  layers: readonly LayerBlob[];
  /** Where the recompressed layers wait for their upload; default the system's temporary folder. */
  workRoot?: string;
}

/**
 * How to get a layer's tar from its blob, by its media type: gunzip, or nothing for a layer pushed
 * uncompressed (an engine with the containerd image store pushes the layers it imported as they are).
 */
export function unpackerFor(mediaType: string): () => Transform {
  if (/gzip$/.test(mediaType)) return () => createGunzip();
  if (/\.tar$/.test(mediaType)) return () => new PassThrough();
  throw new Error(`layer media type ${mediaType}: neither gzip nor an uncompressed tar`);
}

/** A layer's tar (unpackerFor) → `zstd -3`, or gzip at zlib's default level as Docker pushes, → a file, hashing as it goes. */
async function recompressBlob(request: RecompressRequest, layer: LayerBlob, file: string, to: Compression): Promise<LayerBlob> {
  const unpacker = unpackerFor(layer.mediaType);
  const response = await fetch(`${request.registryUrl}/v2/${request.repository}/blobs/${layer.digest}`);
  if (!response.ok || !response.body) throw new Error(`blob ${layer.digest}: registry answered HTTP ${response.status}`);
  const source = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
  const hash = createHash('sha256');
  const hashing = new PassThrough().on('data', (chunk: Buffer) => hash.update(chunk));
  if (to === 'gzip') {
    await pipeline(source, unpacker(), createGzip(), hashing, createWriteStream(file));
    return { mediaType: GZIP_LAYER, digest: `sha256:${hash.digest('hex')}`, size: statSync(file).size };
  }
  const zstd = spawn('zstd', [`-${ZSTD_LEVEL}`, '-q', '-c'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  zstd.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number>((resolve, reject) => {
    zstd.once('error', reject);
    zstd.once('close', (code) => resolve(code ?? -1));
  });
  await Promise.all([pipeline(source, unpacker(), zstd.stdin), pipeline(zstd.stdout, hashing, createWriteStream(file))]);
  const code = await exited;
  if (code !== 0) throw new Error(`zstd exited with ${code}: ${stderr.trim()}`);
  return { mediaType: ZSTD_LAYER, digest: `sha256:${hash.digest('hex')}`, size: statSync(file).size };
}

async function uploadBlob(request: RecompressRequest, blob: LayerBlob, file: string): Promise<void> {
  const base = `${request.registryUrl}/v2/${request.repository}/blobs`;
  const head = await fetch(`${base}/${blob.digest}`, { method: 'HEAD' });
  if (head.ok) return;
  const started = await fetch(`${base}/uploads/`, { method: 'POST' });
  const location = started.headers.get('location');
  if (started.status !== 202 || !location) throw new Error(`blob upload: registry answered HTTP ${started.status}`);
  const url = new URL(location, request.registryUrl);
  url.searchParams.set('digest', blob.digest);
  const body = Readable.toWeb(createReadStream(file)) as unknown as BodyInit;
  const done = await fetch(url, {
    method: 'PUT',
    body,
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(blob.size) },
    duplex: 'half',
  } as RequestInit);
  if (done.status !== 201) throw new Error(`blob upload of ${blob.digest}: registry answered HTTP ${done.status}: ${await done.text()}`);
}

/**
 * Pushes the same image again with its layers in another compression: each layer from the registry
 * is unpacked and compressed again (zstd with the zstd CLI, gzip with zlib), or kept where it is
 * in that compression already; then the blobs and an OCI manifest (same config, so the same diff
 * IDs) go to the registry under `request.tag`. The harness does this itself so that every engine's
 * pull is measured on the same bytes, whatever built the image.
 */
export async function pushRecompressed(request: RecompressRequest, to: Compression): Promise<Omit<RecompressedImage, 'compression'>> {
  // Under the registry's own folder where the run has one: recorded in the run state, so a dead run's is removed too.
  const work = mkdtempSync(path.join(request.workRoot ?? os.tmpdir(), `basebench-${to}-`));
  try {
    const layers: LayerBlob[] = [];
    for (const [index, layer] of request.layers.entries()) {
      if (to === 'gzip' && /gzip$/.test(layer.mediaType)) {
        layers.push(layer);
        continue;
      }
      const file = path.join(work, `layer-${index}`);
      const blob = await recompressBlob(request, layer, file, to);
      await uploadBlob(request, blob, file);
      layers.push(blob);
    }
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: request.config.digest, size: request.config.size },
      layers,
    });
    const response = await fetch(`${request.registryUrl}/v2/${request.repository}/manifests/${request.tag}`, {
      method: 'PUT',
      body: manifest,
      headers: { 'Content-Type': OCI_MANIFEST },
    });
    if (response.status !== 201) throw new Error(`manifest upload: registry answered HTTP ${response.status}: ${await response.text()}`);
    return {
      ref: `${request.host}/${request.repository}:${request.tag}`,
      digest: `sha256:${createHash('sha256').update(manifest).digest('hex')}`,
      compressedBytes: request.config.size + layers.reduce((sum, layer) => sum + layer.size, 0),
      layers,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
