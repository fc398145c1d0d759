import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** One blob the registry sent, as its log records the response. */
export interface BlobServed {
  digest: string;
  method: string;
  status: number;
  /** Body bytes written: the whole blob for a complete GET. */
  bytes: number;
}

const BLOB_URI = /^\/v2\/.+\/blobs\/(sha256:[0-9a-f]{64})$/;

/**
 * Blob responses in the distribution registry's JSON log ("response completed" lines, one per
 * request, with the URI, status and bytes written). Other lines are skipped.
 */
export function parseBlobsServed(text: string): BlobServed[] {
  const served: BlobServed[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"response completed"')) continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const digest = String(entry['http.request.uri'] ?? '').match(BLOB_URI)?.[1];
    if (!digest) continue;
    served.push({
      digest,
      method: String(entry['http.request.method']),
      status: Number(entry['http.response.status']),
      bytes: Number(entry['http.response.written'] ?? 0),
    });
  }
  return served;
}

/** Bytes of each blob the registry sent in full (GET, 200) among those listed. */
export function bytesServedPerBlob(served: readonly BlobServed[]): Map<string, number> {
  const perBlob = new Map<string, number>();
  for (const item of served) {
    if (item.method !== 'GET' || (item.status !== 200 && item.status !== 206)) continue;
    perBlob.set(item.digest, (perBlob.get(item.digest) ?? 0) + item.bytes);
  }
  return perBlob;
}

/** The registry's log file, read from a mark: what the registry served after that moment. */
export class RegistryAccessLog {
  constructor(readonly file: string) {}

  mark(): number {
    return statSync(this.file).size;
  }

  blobsServedSince(mark: number): BlobServed[] {
    const end = statSync(this.file).size;
    if (end <= mark) return [];
    const buffer = Buffer.alloc(end - mark);
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, mark);
    } finally {
      closeSync(fd);
    }
    return parseBlobsServed(buffer.toString('utf8'));
  }
}
