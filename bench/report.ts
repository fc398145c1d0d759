import path from 'node:path';
import { renderReports } from '../src/export/write-reports.js';
import { readRun, runFile } from '../src/results/read-run.js';

const USAGE = `Usage: npm run report -- RUN_DIR|results.json

Renders every report of a run (summary, report.md, charts, index.html, CSVs) from its
results.json, into the same folder. Needs no Docker.
`;

const [target] = process.argv.slice(2);
if (!target || target === '--help' || target === '-h') {
  process.stdout.write(USAGE);
  process.exitCode = target ? 0 : 1;
} else {
  try {
    for (const written of renderReports(readRun(target), path.dirname(runFile(target)))) process.stdout.write(`${written}\n`);
  } catch (error) {
    process.stderr.write(`basebench report: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
