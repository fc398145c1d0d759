import { compareRuns } from '../src/export/compare.js';
import { readRun } from '../src/results/read-run.js';
import { viewOn } from '../src/results/views.js';

const USAGE = `Usage: npm run compare -- A[@ENGINE] B[@ENGINE]

A and B are run folders (or their results.json). Prints, per variant in both, the ratio of
medians B/A for each figure, with a note where the intervals of the medians overlap.
A run measured on several engines is read on its first engine, or on the one named after @:
  npm run compare -- results/engines/latest@docker results/engines/latest@podman
`;

/** "dir@engine": the run, read on one of its engines. */
function readTarget(target: string) {
  const at = target.lastIndexOf('@');
  if (at <= 0 || target.slice(at + 1).includes('/')) return readRun(target);
  return viewOn(readRun(target.slice(0, at)), target.slice(at + 1));
}

const targets = process.argv.slice(2);
if (targets.length !== 2 || targets.includes('--help')) {
  process.stdout.write(USAGE);
  process.exitCode = targets.includes('--help') ? 0 : 1;
} else {
  try {
    process.stdout.write(compareRuns(readTarget(targets[0]!), readTarget(targets[1]!)));
  } catch (error) {
    process.stderr.write(`basebench compare: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
