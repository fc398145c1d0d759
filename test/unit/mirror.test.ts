import { describe, expect, it } from 'vitest';
import { canonicalReference, parseMirror, throughMirror } from '../../src/bases/mirror.js';

describe('registry mirrors', () => {
  const mirrors = [parseMirror('docker.io=127.0.0.1:5000'), parseMirror('gcr.io=harbor.example.com/gcr')];

  it('reads references by Docker rules: official images under library/, hosts by a dot, a port or localhost', () => {
    expect(canonicalReference('debian:bookworm-slim')).toEqual({ registry: 'docker.io', path: 'library/debian:bookworm-slim' });
    expect(canonicalReference('bitnami/nginx:1.27')).toEqual({ registry: 'docker.io', path: 'bitnami/nginx:1.27' });
    expect(canonicalReference('index.docker.io/library/alpine')).toEqual({ registry: 'docker.io', path: 'library/alpine' });
    expect(canonicalReference('gcr.io/distroless/static-debian12')).toEqual({ registry: 'gcr.io', path: 'distroless/static-debian12' });
    expect(canonicalReference('localhost/app:1')).toEqual({ registry: 'localhost', path: 'app:1' });
    expect(canonicalReference('127.0.0.1:5000/app@sha256:ab')).toEqual({ registry: '127.0.0.1:5000', path: 'app@sha256:ab' });
  });

  it('rewrites references of mirrored registries only, keeping tags and prefixes', () => {
    expect(throughMirror('debian:bookworm-slim', mirrors)).toEqual({
      ref: '127.0.0.1:5000/library/debian:bookworm-slim',
      mirror: mirrors[0],
    });
    expect(throughMirror('gcr.io/distroless/python3-debian12', mirrors)?.ref).toBe('harbor.example.com/gcr/distroless/python3-debian12');
    expect(throughMirror('quay.io/podman/stable', mirrors)).toBeUndefined();
    expect(throughMirror('scratch', mirrors)).toBeUndefined();
  });

  it('rejects what is not REGISTRY=HOST[/PREFIX]', () => {
    expect(() => parseMirror('docker.io')).toThrow('is not REGISTRY=HOST[/PREFIX]');
    expect(() => parseMirror('docker.io=')).toThrow('is not REGISTRY=HOST[/PREFIX]');
    expect(() => parseMirror('docker.io=HOST UPPER')).toThrow('is not REGISTRY=HOST[/PREFIX]');
    expect(() => parseMirror('docker.io=host/Bad Prefix')).toThrow('the prefix');
    expect(parseMirror('index.docker.io=mirror:5000').registry).toBe('docker.io');
  });
});
