import { cpSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { makeFolder, outputFolderProblem } from '../common/output-folder.js';
import path from 'node:path';
import { reportHtml } from './report-html.js';
import { chartFiles, reportMarkdown } from './report-markdown.js';
import { sizeStartupChart } from './size-startup-chart.js';
import { timelineChart } from './timeline-chart.js';
import { kindsChart } from './kinds-chart.js';
import { runtimeBasesWithAnatomy } from '../report/anatomy-tables.js';
import { anatomyMarkdown } from './anatomy-markdown.js';
import { hasTimeline } from '../report/timeline-table.js';
import { primaryView } from '../results/views.js';
import type { Provenance, RunResults } from '../results/types.js';
import { resultsJson } from './results-json.js';
import { samplesCsv } from './samples-csv.js';
import { summaryCsv } from './summary-csv.js';
import { summaryMarkdown } from './summary-markdown.js';

type Exporter = [file: string, render: (results: RunResults) => string];

/** Every file a run's reports consist of: one exporter each, and one chart per network profile. */
function exportersFor(results: RunResults, renderedBy?: Provenance['harness']): Exporter[] {
  return [
    ['results.json', resultsJson],
    ['samples.csv', samplesCsv],
    ['summary.csv', summaryCsv],
    ['summary.md', summaryMarkdown],
    ['report.md', (run) => reportMarkdown(run, renderedBy)],
    ...chartFiles(results).map(({ file, profile }): Exporter => [file, (run) => sizeStartupChart(run, profile)]),
    ...(hasTimeline(primaryView(results)) ? [['timeline.svg', (run: RunResults) => timelineChart(primaryView(run))] as Exporter] : []),
    ...(runtimeBasesWithAnatomy(primaryView(results)).length > 0
      ? ([
          ['kinds.svg', (run: RunResults) => kindsChart(primaryView(run))],
          ['anatomy.md', anatomyMarkdown],
        ] as Exporter[])
      : []),
    ['index.html', (run) => reportHtml(run, renderedBy)],
  ];
}

export function runDir(outDir: string, runId: string): string {
  return path.join(outDir, runId);
}

/** Fails before anything is built if the reports could not be written. */
export function checkOutputDir(outDir: string): void {
  const problem = outputFolderProblem(outDir);
  if (problem) throw new Error(`cannot write the reports to ${outDir}: ${problem}`);
  makeFolder(outDir);
}

export interface RenderOptions {
  /** The harness rendering a run it did not measure (report, merge, pages): named in the reports when its code differs. */
  renderedBy?: Provenance['harness'];
  /** Leave the folder's results.json byte for byte as it is (rendering again the run it holds). */
  keepResultsJson?: boolean;
}

/** Renders every report of a run into a folder; results.json stays as the source of truth it is. */
export function renderReports(results: RunResults, dir: string, options: RenderOptions = {}): string[] {
  makeFolder(dir);
  const exporters = exportersFor(results, options.renderedBy).filter(([file]) => !options.keepResultsJson || file !== 'results.json');
  return exporters.map(([file, render]) => {
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
  makeFolder(latest);
  for (const [file] of exportersFor(results)) cpSync(path.join(dir, file), path.join(latest, file));
  return dir;
}
