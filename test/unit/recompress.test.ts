import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { unpackerFor } from '../../src/registry/recompress.js';

const unpacked = (mediaType: string, blob: Buffer) => text(Readable.from([blob]).pipe(unpackerFor(mediaType)()));

describe("a layer's tar, before its zstd copy", () => {
  it('is gunzipped from a gzip layer, OCI or Docker', async () => {
    for (const mediaType of ['application/vnd.oci.image.layer.v1.tar+gzip', 'application/vnd.docker.image.rootfs.diff.tar.gzip'])
      expect(await unpacked(mediaType, gzipSync('layer'))).toBe('layer');
  });

  it('is taken as it is from a layer pushed uncompressed (the containerd image store pushes imported layers so)', async () => {
    for (const mediaType of ['application/vnd.oci.image.layer.v1.tar', 'application/vnd.docker.image.rootfs.diff.tar'])
      expect(await unpacked(mediaType, Buffer.from('layer'))).toBe('layer');
  });

  it('is refused, naming the media type, for anything else', () => {
    expect(() => unpackerFor('application/vnd.oci.image.layer.v1.tar+zstd')).toThrow(/tar\+zstd: neither gzip nor an uncompressed tar/);
  });
});
