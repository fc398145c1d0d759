import { accessSync, constants, cpSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { reportHtml } from '../report/report-html.js';
import { CHART_FILE, reportMarkdown } from '../report/report-markdown.js';
import { sizeStartupChart } from '../report/size-startup-chart.js';
import type { RunResults } from '../results/types.js';
import { resultsJson } from './results-json.js';
import { samplesCsv } from './samples-csv.js';
import { summaryCsv } from './summary-csv.js';
import { summaryMarkdown } from './summary-markdown.js';

const EXPORTERS: ReadonlyArray<[file: string, render: (results: RunResults) => string]> = [
  ['results.json', resultsJson],
  ['samples.csv', samplesCsv],
  ['summary.csv', summaryCsv],
  ['summary.md', summaryMarkdown],
  ['report.md', reportMarkdown],
  [CHART_FILE, sizeStartupChart],
  ['index.html', reportHtml],
];

export function runDir(outDir: string, runId: string): string {
  return path.join(outDir, runId);
}

/** Fails before anything is built if the reports could not be written. */
export function checkOutputDir(outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  accessSync(outDir, constants.W_OK);
}

/** Renders every report of a run into a folder; results.json stays as the source of truth it is. */
export function renderReports(results: RunResults, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return EXPORTERS.map(([file, render]) => {
    const target = path.join(dir, file);
    writeFileSync(`${target}.partial`, render(results));
    renameSync(`${target}.partial`, target);
    return target;
  });
}

/** The one place a run writes its reports: into the run's folder, then a copy at latest/. */
export function writeReports(results: RunResults, outDir: string): string {
  const dir = runDir(outDir, results.runId);
  renderReports(results, dir);
  const latest = path.join(outDir, 'latest');
  rmSync(latest, { recursive: true, force: true });
  mkdirSync(latest, { recursive: true });
  for (const [file] of EXPORTERS) cpSync(path.join(dir, file), path.join(latest, file));
  return dir;
}
