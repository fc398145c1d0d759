import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { measuredRun } from '../fixtures/bench-options.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

describe('an app that runs but listens where the published port cannot reach it', () => {
  const tempDir = suiteTempDir();

  it('fails its samples with what the container’s socket tables show, not a bare timeout', async () => {
    const results = await measuredRun({
      outDir: tempDir(),
      scenarios: [path.join(PROJECT_ROOT, 'test', 'fixtures', 'listen-mistakes', 'scenario.yaml')],
      timeoutMs: 4000,
    });
    const reason = (name: string) => results.variants.find((variant) => variant.variant === name)!.reason!;
    expect(reason('loopback')).toMatch(
      /^timeout: .*; listens on 127\.0\.0\.1:8080 inside the container, its loopback only: bind 0\.0\.0\.0/,
    );
    expect(reason('other-port')).toMatch(/; listens on 9090 inside the container, the scenario says 8080 \(app\.port\)/);
    expect(reason('ipv6-only')).toMatch(/; listens on \[::\]:8080 only, and IPv4 connections are refused: an IPv6-only socket/);
  });
});
