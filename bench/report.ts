import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { renderReports } from '../src/export/write-reports.js';
import type { RunResults } from '../src/results/types.js';

const USAGE = `Usage: npm run report -- RUN_DIR|results.json

Renders every report of a run (summary, report.md, chart, index.html, CSVs) from its
results.json, into the same folder. Needs no Docker.
`;

const [target] = process.argv.slice(2);
if (!target || target === '--help' || target === '-h') {
  process.stdout.write(USAGE);
  process.exitCode = target ? 0 : 1;
} else {
  const file = existsSync(target) && statSync(target).isDirectory() ? path.join(target, 'results.json') : target;
  try {
    const results = JSON.parse(readFileSync(file, 'utf8')) as RunResults;
    if (results.schemaVersion !== 1) throw new Error(`schemaVersion ${String(results.schemaVersion)} is not one this version reads`);
    for (const written of renderReports(results, path.dirname(file))) process.stdout.write(`${written}\n`);
  } catch (error) {
    process.stderr.write(`basebench report: ${file}: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
