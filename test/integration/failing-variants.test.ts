import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { measuredRun } from '../fixtures/bench-options.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';
import type { RunResults } from '../../src/results/types.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'failing', 'scenario.yaml');

describe('a run whose variants fail', () => {
  const outDir = suiteTempDir();
  let results: RunResults;

  beforeAll(async () => {
    results = await measuredRun({ scenarios: [FIXTURE], repeat: 2, warmRepeat: 1, timeoutMs: 3_000, outDir: outDir() });
  });

  const variant = (name: string) => results.variants.find((candidate) => candidate.variant === name)!;

  it('goes on past every failure and completes', () => {
    expect(results.state).toBe('completed');
    expect(results.variants.map((candidate) => candidate.state)).toEqual(['failed', 'failed', 'failed']);
  });

  it('records a failed build with the engine error and the build log tail', () => {
    expect(variant('build-fails').reason).toMatch(/^build failed: .*returned a non-zero code: 7/);
    expect(variant('build-fails').logTail).toContain('error: this build is meant to fail');
  });

  it('records a container that exits with its exit code and last log lines, once', () => {
    const samples = variant('exits').samples;
    expect(samples).toHaveLength(1);
    expect(samples[0]).toMatchObject({ state: 'failed', exitCode: 3 });
    expect(samples[0]!.logTail).toContain('fatal: cannot open config');
    expect(variant('exits').reason).toBe('container exited with code 3 before answering');
  });

  it('records a server that never answers as a timeout with its logs, and keeps sampling', () => {
    const samples = variant('never-answers').samples;
    expect(samples.map((sample) => sample.state)).toEqual(['failed', 'failed', 'failed']);
    expect(samples[0]!.error).toMatch(/^timeout: no HTTP 200 containing "hello from basebench" within 3000 ms/);
    expect(samples[0]!.logTail).toContain('warming up forever');
  });
});
