import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { reportMarkdown } from '../../src/export/report-markdown.js';
import { readRun } from '../../src/results/read-run.js';

/** The committed runs a reader opens: results/latest and each results/NAME/latest. */
function committedRuns(): string[] {
  const root = path.join(PROJECT_ROOT, 'results');
  const named = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'archive')
    .map((entry) => path.join(root, entry.name, 'latest'));
  return [path.join(root, 'latest'), ...named].filter((dir) => existsSync(path.join(dir, 'results.json')));
}

/** Every "faster by", "slower by" or "beats" of a report, with what follows it, where no interval with its coverage does. */
function unbackedClaims(text: string): string[] {
  const claims = [...text.matchAll(/\b(?:faster|slower) by (?:[^()|.]|\.\d)*(\([^()|]*\))?/g)]
    .filter(([, interval]) => !interval || !/ to .*%\)$/.test(interval))
    .map(([claim]) => claim);
  const beats = [...text.matchAll(/\bbeats (?!every)[^.|]*/g)].map(([claim]) => claim);
  return [...claims, ...beats];
}

describe('claims in the committed reports', () => {
  const runs = committedRuns();

  it('are read from the runs README cites, and there are some', () => {
    expect(runs.length).toBeGreaterThan(3);
  });

  it.each(runs.map((dir) => [path.relative(PROJECT_ROOT, dir), dir] as const))(
    '%s: every "faster", "slower" or "beats" comes with its interval and coverage, as the current code renders it',
    (_label, dir) => {
      expect(unbackedClaims(reportMarkdown(readRun(dir)))).toEqual([]);
    },
  );

  it('hold decided claims to check: results/latest says "faster by" with its interval', () => {
    expect(reportMarkdown(readRun(runs[0]!))).toMatch(/faster by [^(]*\([\d.]+ m?s to [^)]*%\)/);
  });

  it('finds an unbacked claim where there is one', () => {
    expect(unbackedClaims('go: debian-slim beats scratch. faster by 3 ms. slower by 4 ms (+1 ms to +9 ms, 95%)')).toEqual([
      'faster by 3 ms',
      'beats scratch',
    ]);
    expect(unbackedClaims('faster by 1.20 s (+1.01 s to +1.35 s, 99.7%); no difference found')).toEqual([]);
  });
});
