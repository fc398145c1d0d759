import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRun, readRun } from '../../src/results/read-run.js';
import { GOLDEN_RUN_FILE, goldenRun } from '../fixtures/runs.js';

// biome-ignore lint/suspicious/noExplicitAny: a raw file, to be broken on purpose
const raw = () => JSON.parse(readFileSync(GOLDEN_RUN_FILE, 'utf8')) as Record<string, any>;

describe('reading a results.json', () => {
  it('upgrades a version 1 run: its one engine named docker, every sample on it with gzip layers', () => {
    expect(raw().schemaVersion).toBe(1);
    const run = goldenRun();
    expect(run.schemaVersion).toBe(2);
    expect(run.provenance.engines.map((engine) => [engine.name, engine.product, engine.version, engine.imageStore])).toEqual([
      ['docker', 'Docker Engine', raw().provenance.engine.version, 'classic'],
    ]);
    expect(run.options.compressions).toEqual(['gzip']);
    const samples = run.variants.flatMap((variant) => variant.samples);
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.every((sample) => sample.engine === 'docker' && sample.compression === 'gzip')).toBe(true);
  });

  it('names the field a broken file gets wrong', () => {
    const broken = raw();
    broken.variants[1].samples[0].kind = 'lukewarm';
    expect(() => parseRun(broken, 'x/results.json')).toThrow(/^x\/results\.json: variants\[1\]\.samples\[0\]\.kind: /);
  });

  it('says what to give when there is no run where it was pointed', () => {
    expect(() => readRun('/no/such/run')).toThrow("/no/such/run: no such file: give a run's folder (results/<run>) or its results.json");
  });

  it('refuses a file that is not a run, and a version it cannot read', () => {
    expect(() => parseRun('hello', 'a.json')).toThrow('a.json: not a basebench results file');
    expect(() => parseRun({ ...raw(), schemaVersion: 0 }, 'b.json')).toThrow('b.json: schemaVersion 0 is too old to read');
    expect(() => parseRun({ ...raw(), schemaVersion: 3 }, 'c.json')).toThrow(/c\.json: schemaVersion: /);
  });
});
