import { parseArgs } from 'node:util';
import path from 'node:path';
import { renderReports } from '../src/export/write-reports.js';
import { mergeRuns } from '../src/history/merge.js';
import { readRun } from '../src/results/read-run.js';

const USAGE = `Usage: npm run merge -- --out DIR [--force] RUN.json…

Merges partial runs (e.g. one CI job per language) into one run in DIR, with every report.
Refuses runs of different harness versions or sampling settings unless --force, and says why.
`;

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || !values.out || positionals.length === 0) {
    process.stdout.write(USAGE);
    process.exitCode = values.help ? 0 : 1;
  } else {
    const merged = mergeRuns(positionals.map(readRun), { force: values.force });
    for (const file of renderReports(merged, path.resolve(values.out))) process.stdout.write(`${file}\n`);
  }
} catch (error) {
  process.stderr.write(`basebench merge: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
