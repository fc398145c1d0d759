import { compareRuns } from '../src/export/compare.js';
import { readRun } from '../src/results/read-run.js';

const USAGE = `Usage: npm run compare -- A B

A and B are run folders (or their results.json). Prints, per variant in both, the ratio of
medians B/A for each figure, with a note where the intervals of the medians overlap.
`;

const targets = process.argv.slice(2);
if (targets.length !== 2 || targets.includes('--help')) {
  process.stdout.write(USAGE);
  process.exitCode = targets.includes('--help') ? 0 : 1;
} else {
  try {
    process.stdout.write(compareRuns(readRun(targets[0]!), readRun(targets[1]!)));
  } catch (error) {
    process.stderr.write(`basebench compare: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
