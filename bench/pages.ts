import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildPages, readHistory } from '../src/history/pages.js';
import { readRun } from '../src/results/read-run.js';

const USAGE = `Usage: npm run pages -- --run RUN_DIR --history HISTORY_DIR --out DIR

Writes the folder GitHub Pages publishes: the run's reports as index.html, history.html over
every run in HISTORY_DIR, and their JSON. Run it locally to see what a publish would put up.
`;

try {
  const { values } = parseArgs({
    options: { run: { type: 'string' }, history: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || !values.run || !values.history || !values.out) {
    process.stdout.write(USAGE);
    process.exitCode = values.help ? 0 : 1;
  } else {
    const history = existsSync(values.history) ? readHistory(values.history) : [];
    for (const file of buildPages(readRun(values.run), history, path.resolve(values.out))) process.stdout.write(`${file}\n`);
  }
} catch (error) {
  process.stderr.write(`basebench pages: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
