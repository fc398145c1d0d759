import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fieldPath } from '../common/input-error.js';
import { runResults, SCHEMA_VERSION } from './schema.js';
import type { RunResults } from './types.js';

/** A run's results.json, given the file or its run folder. */
export function runFile(target: string): string {
  return existsSync(target) && statSync(target).isDirectory() ? path.join(target, 'results.json') : target;
}

// biome-ignore lint/suspicious/noExplicitAny: an older run's JSON, before the schema checks it
type Json = Record<string, any>;

/**
 * Version 1 to 2: `provenance.engine` becomes `provenance.engines` (where a late version 1 run
 * has no list yet, its one engine: Docker Engine with the classic store, the only engine version 1
 * ran on), every sample names its engine (the first, where it doesn't) and compression (gzip where
 * it doesn't), and the options gain the compression list and the direct profile where a run
 * predates them.
 */
function upgradeV1(run: Json): Json {
  const engineOf = (provenance: Json): Json => {
    const { engine, engines, ...rest } = provenance;
    if (Array.isArray(engines) && engines.length > 0) return { ...rest, engines };
    return {
      ...rest,
      engines: [
        {
          name: 'docker',
          product: 'Docker Engine',
          ...engine,
          imageStore: 'classic',
          runtime: 'runc',
          endpoint: 'unknown (recorded before engines were named)',
          origin: 'the one engine of a run recorded before engines were named',
          pullProgress: '',
          zstd: { reads: false, reason: 'not measured (recorded before compressions were)' },
        },
      ],
    };
  };
  const provenance = engineOf(run.provenance);
  const first = (provenance.engines as Json[])[0]!.name as string;
  return {
    ...run,
    schemaVersion: 2,
    options: { profiles: [{ name: 'none' }], compressions: ['gzip'], ...run.options },
    provenance,
    variants: (run.variants as Json[]).map((variant) => ({
      ...variant,
      samples: (variant.samples as Json[]).map((sample) => ({ engine: first, compression: 'gzip', ...sample })),
    })),
    ...(run.mergedFrom
      ? { mergedFrom: (run.mergedFrom as Json[]).map((part) => ({ ...part, provenance: engineOf(part.provenance) })) }
      : {}),
  };
}

const UPGRADES: Record<number, (run: Json) => Json> = { 1: upgradeV1 };

/** Checks a run against the schema, upgrading one written by an older version first; errors name the field. */
export function parseRun(raw: unknown, source: string): RunResults {
  let run = raw as Json;
  if (typeof run !== 'object' || run === null) throw new Error(`${source}: not a basebench results file`);
  while (typeof run.schemaVersion === 'number' && run.schemaVersion < SCHEMA_VERSION) {
    const upgrade = UPGRADES[run.schemaVersion];
    if (!upgrade) throw new Error(`${source}: schemaVersion ${run.schemaVersion} is too old to read`);
    run = upgrade(run);
  }
  const checked = runResults.safeParse(run);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new Error(`${source}: ${fieldPath(issue.path) || 'the file'}: ${issue.message}`);
  }
  return checked.data;
}

export function readRun(target: string): RunResults {
  const file = runFile(target);
  if (!existsSync(file)) throw new Error(`${file}: no such file: give a run's folder (results/<run>) or its results.json`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  return parseRun(raw, file);
}
