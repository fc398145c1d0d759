import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RunResults } from './types.js';

/** A run's results.json, given the file or its run folder. */
export function runFile(target: string): string {
  return existsSync(target) && statSync(target).isDirectory() ? path.join(target, 'results.json') : target;
}

export function readRun(target: string): RunResults {
  const file = runFile(target);
  try {
    const run = JSON.parse(readFileSync(file, 'utf8')) as RunResults;
    if (run.schemaVersion !== 1) throw new Error(`schemaVersion ${String(run.schemaVersion)} is not one this version reads`);
    return run;
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}
