/**
 * README's quoted figures, read from what they cite: a committed run (its results.json) or a page
 * of the harness's own benchmarks (results/*.md). `npm run docs` writes what this returns; the
 * README test compares each marked figure and table with it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readmeFigure, withFigures } from '../report/readme-figures.js';
import { pageFigure, pageTable } from '../report/page-figures.js';
import { readRun } from '../results/read-run.js';
import type { RunResults } from '../results/types.js';

export interface ReadmeSources {
  figureOf(source: string, name: string): string;
  tableOf(page: string, index: number): string;
  /** What was read so far, runs and pages, by their path under the root. */
  read(): string[];
}

/** Sources under `root`, each file read once. */
export function readmeSources(root: string): ReadmeSources {
  const runs = new Map<string, RunResults>();
  const pages = new Map<string, string>();
  const run = (name: string) => runs.get(name) ?? runs.set(name, readRun(path.join(root, name))).get(name)!;
  const page = (name: string) => pages.get(name) ?? pages.set(name, readFileSync(path.join(root, name), 'utf8')).get(name)!;
  return {
    figureOf: (source, name) => (source.endsWith('.md') ? pageFigure(page(source), source, name) : readmeFigure(run(source), name)),
    tableOf: (name, index) => pageTable(page(name), name, index),
    read: () => [...runs.keys(), ...pages.keys()],
  };
}

/** README's text with every marked figure and table taken again from its source. */
export function readmeWithFigures(readme: string, sources: ReadmeSources): string {
  return withFigures(readme, sources);
}
