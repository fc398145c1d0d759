import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PROJECT_ROOT } from '../../common/project-root.js';
import { readmeSources, readmeWithFigures } from '../../export/readme.js';
import path from 'node:path';
import { z } from 'zod';
import { compareRuns } from '../../export/compare.js';
import { renderReports } from '../../export/write-reports.js';
import { mergeRuns } from '../../history/merge.js';
import { buildPages, readHistory } from '../../history/pages.js';
import { readRun, runFile } from '../../results/read-run.js';
import { viewOn } from '../../results/views.js';
import { command, outputFolderOption } from '../command.js';
import { harnessFacts } from '../../pipeline/provenance.js';

/** The commands that work on results files and need no engine. */

const print = (lines: readonly string[]) => process.stdout.write(lines.map((line) => `${line}\n`).join(''));

export const reportCommand = command({
  name: 'report',
  title: 'Renders every report of a run again from its results.json (needs no engine)',
  summary:
    'Renders every report of a run (summary, report.md, charts, index.html, CSVs) from its\nresults.json, into the same folder, ' +
    'leaving results.json as it is. When this harness is not the one\nthat measured, the reports name both. Needs no engine.',
  positionals: 'RUN_DIR|results.json',
  options: {},
  schema: z.object({ positionals: z.array(z.string()).length(1, 'give one run folder or results.json') }),
  async run({ positionals: [target] }) {
    const options = { renderedBy: await harnessFacts(), keepResultsJson: true };
    print(renderReports(readRun(target!), path.dirname(runFile(target!)), options));
    return 0;
  },
});

/** "dir@engine": the run, read on one of its engines. */
function readTarget(target: string) {
  const at = target.lastIndexOf('@');
  if (at <= 0 || target.slice(at + 1).includes('/')) return readRun(target);
  return viewOn(readRun(target.slice(0, at)), target.slice(at + 1));
}

export const compareCommand = command({
  name: 'compare',
  title: "Compares two runs: how each sampled, then each variant's figures B/A in words",
  summary:
    'How each run sampled (design, samples, wall time, picks decided), then per variant in both runs\n' +
    'the ratio of medians B/A for each figure, with the two-sample shift in words.',
  positionals: 'A[@ENGINE] B[@ENGINE]',
  details: [
    'A run measured on several engines is read on its first engine, or on the one named after @:',
    '  basebench compare results/engines/latest@docker results/engines/latest@podman',
  ],
  options: {},
  schema: z.object({ positionals: z.array(z.string()).length(2, 'give two runs, A and B') }),
  async run({ positionals: [a, b] }) {
    process.stdout.write(compareRuns(readTarget(a!), readTarget(b!)));
    return 0;
  },
});

export const mergeCommand = command({
  name: 'merge',
  title: 'Merges partial runs (e.g. one CI job per language) into one run',
  summary:
    'Merges partial runs (e.g. one CI job per language) into one run in DIR, with every report.\nRefuses runs of different harness ' +
    'versions or sampling settings unless --force, and says why.',
  positionals: 'RUN.json…',
  options: {
    out: { type: 'string', value: 'DIR', help: 'where the merged run goes' },
    force: { type: 'boolean', help: 'merge even runs taken with different settings' },
  },
  schema: z.object({
    out: outputFolderOption(),
    force: z.boolean().default(false),
    positionals: z.array(z.string()).min(1, 'give at least one run'),
  }),
  async run({ out, force, positionals }) {
    print(renderReports(mergeRuns(positionals.map(readRun), { force }), path.resolve(out), { renderedBy: await harnessFacts() }));
    return 0;
  },
});

export const pagesCommand = command({
  name: 'pages',
  title: 'Writes the folder GitHub Pages publishes: the reports and the history page',
  summary:
    "Writes the folder GitHub Pages publishes: the run's reports as index.html, history.html over\nevery run in HISTORY_DIR, and " +
    'their JSON. Run it locally to see what a publish would put up.',
  options: {
    run: { type: 'string', value: 'RUN_DIR', help: 'the run to publish' },
    history: { type: 'string', value: 'HISTORY_DIR', help: 'earlier runs, one JSON file each' },
    out: { type: 'string', value: 'DIR', help: 'the folder to write' },
  },
  schema: z.object({
    run: z.string({ message: 'is required' }),
    history: z.string({ message: 'is required' }),
    out: outputFolderOption(),
    positionals: z.array(z.string()),
  }),
  async run(values) {
    const history = existsSync(values.history) ? readHistory(values.history) : [];
    print(buildPages(readRun(values.run), history, path.resolve(values.out), await harnessFacts()));
    return 0;
  },
});

export const docsCommand = command({
  name: 'docs',
  title: "Rewrites README's quoted figures from the committed runs and pages they cite",
  summary:
    "Rewrites README's quoted figures from the committed runs and benchmark pages they cite\n" +
    '(between <!-- figure RUN NAME --> and <!-- table PAGE N --> markers).',
  options: {},
  schema: z.object({ positionals: z.array(z.string()).max(0) }),
  async run(_values, log) {
    const file = path.join(PROJECT_ROOT, 'README.md');
    const sources = readmeSources(PROJECT_ROOT);
    const before = readFileSync(file, 'utf8');
    const after = readmeWithFigures(before, sources);
    writeFileSync(file, after);
    log.info(
      before === after
        ? 'README: every figure already agrees with its source'
        : `README: figures rewritten from ${sources.read().join(', ')}`,
    );
    return 0;
  },
});
