import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { normalizePath, type LayerEntry } from './layer-files.js';

const TYPES: Record<string, LayerEntry['type']> = { file: 'file', directory: 'directory', symlink: 'symlink', link: 'hardlink' };

/** The entries of a layer tarball (gzip or plain), headers only: contents are skipped as they stream by. */
export async function readLayerEntries(stream: NodeJS.ReadableStream, gzip: boolean): Promise<LayerEntry[]> {
  const extract = tar.extract();
  const source = gzip ? stream.pipe(createGunzip()) : stream;
  source.on('error', (error: Error) => extract.destroy(error));
  source.pipe(extract);
  const entries: LayerEntry[] = [];
  for await (const entry of extract) {
    const { header } = entry;
    const entryPath = normalizePath(header.name);
    if (entryPath !== '') {
      entries.push({ path: entryPath, type: TYPES[header.type ?? ''] ?? 'other', size: header.size ?? 0, mode: header.mode ?? 0 });
    }
    entry.resume();
  }
  return entries;
}

/** A layer blob from a registry, read as entries; the media type says whether it is gzip. */
export async function fetchLayerEntries(registryUrl: string, repository: string, digest: string, mediaType: string): Promise<LayerEntry[]> {
  const response = await fetch(`${registryUrl}/v2/${repository}/blobs/${digest}`);
  if (!response.ok || !response.body) throw new Error(`layer ${digest.slice(0, 19)}: registry answered HTTP ${response.status}`);
  if (mediaType.includes('zstd')) throw new Error(`layer ${digest.slice(0, 19)} is zstd: only gzip and plain layers are read`);
  return readLayerEntries(Readable.fromWeb(response.body as never), mediaType.includes('gzip'));
}
