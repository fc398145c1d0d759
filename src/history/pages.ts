import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderReports } from '../export/write-reports.js';
import { readRun } from '../results/read-run.js';
import type { Provenance, RunResults } from '../results/types.js';
import { historyHtml } from './history-page.js';

export function readHistory(dir: string): RunResults[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => readRun(path.join(dir, file)));
}

/**
 * The folder GitHub Pages publishes: the run's reports (index.html, report.md, charts, CSVs),
 * history.html over every run in the history, and the history's JSON. Writing it is all the
 * publish step does before the upload, so a dry run is just this, locally.
 */
export function buildPages(run: RunResults, history: readonly RunResults[], outDir: string, renderedBy?: Provenance['harness']): string[] {
  const written = renderReports(run, outDir, { renderedBy });
  const runs = history.some((past) => past.runId === run.runId) ? history : [...history, run];
  const historyFile = path.join(outDir, 'history.html');
  writeFileSync(historyFile, historyHtml(runs));
  mkdirSync(path.join(outDir, 'history'), { recursive: true });
  for (const past of runs) {
    const file = path.join(outDir, 'history', `${past.runId}.json`);
    writeFileSync(file, `${JSON.stringify(past)}\n`);
    written.push(file);
  }
  return [...written, historyFile];
}
