import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { compareRuns } from '../src/export/compare.js';
import type { RunResults } from '../src/results/types.js';

const USAGE = `Usage: npm run compare -- A B

A and B are run folders (or their results.json). Prints, per variant in both, the ratio of
medians B/A for each figure, with a note where the intervals of the medians overlap.
`;

function load(target: string): RunResults {
  const file = existsSync(target) && statSync(target).isDirectory() ? path.join(target, 'results.json') : target;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunResults;
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

const targets = process.argv.slice(2);
if (targets.length !== 2 || targets.includes('--help')) {
  process.stdout.write(USAGE);
  process.exitCode = targets.includes('--help') ? 0 : 1;
} else {
  try {
    process.stdout.write(compareRuns(load(targets[0]!), load(targets[1]!)));
  } catch (error) {
    process.stderr.write(`basebench compare: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
