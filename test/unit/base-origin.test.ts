import { describe, expect, it } from 'vitest';
import { baseOrigin, sourceWord } from '../../src/report/base-origin.js';
import type { ResolvedBase } from '../../src/results/types.js';

describe('where a base came from, in reports', () => {
  const mirrored: ResolvedBase = {
    name: 'debian-bookworm-slim',
    source: 'upstream',
    ref: '127.0.0.1:5000/library/debian:bookworm-slim',
    digest: 'sha256:0123456789abcdef0123',
    mirror: { upstream: 'debian:bookworm-slim', via: '127.0.0.1:5000' },
  };

  it('names the upstream reference and the mirror it came through', () => {
    expect(baseOrigin(mirrored, false)).toBe('debian:bookworm-slim via 127.0.0.1:5000 (upstream, sha256:0123456789ab)');
    expect(sourceWord(mirrored, false)).toBe('upstream');
  });

  it('says on every mention that a rehearsal pulled stand-in bytes', () => {
    expect(baseOrigin(mirrored, true)).toContain('rehearsal: stand-in bytes');
    expect(sourceWord(mirrored, true)).toBe('upstream (rehearsal: stand-in bytes)');
    const local: ResolvedBase = { name: 'x', source: 'local', ref: 'basebench-local/x:1', digest: 'sha256:1', standsInFor: 'x:1' };
    expect(sourceWord(local, true)).toBe('local stand-in');
  });
});
