import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { FIGURE_MARKER, readmeFigure, withFigures } from '../../src/report/readme-figures.js';
import { readRun } from '../../src/results/read-run.js';
import { SMALL_RUN } from '../fixtures/small-run.js';

describe("README's quoted figures", () => {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const marked = [...readme.matchAll(FIGURE_MARKER)].map(([, run, name, shown]) => ({ run: run!, name: name!, shown: shown! }));

  it('are marked with the run they come from, and there are some', () => {
    expect(marked.length).toBeGreaterThan(5);
  });

  it.each(marked.map((figure) => [`${figure.run} ${figure.name}`, figure] as const))(
    '%s agrees with its run (npm run docs)',
    (_label, figure) => {
      expect(figure.shown).toBe(readmeFigure(readRun(path.join(PROJECT_ROOT, figure.run)), figure.name));
    },
  );

  it('are rewritten in place, and an unknown figure is an error rather than a blank', () => {
    const text = 'floor <!-- figure r samples -->0<!-- /figure --> and <!-- figure r samples -->1<!-- /figure -->';
    expect(withFigures(text, () => '42')).toBe(
      'floor <!-- figure r samples -->42<!-- /figure --> and <!-- figure r samples -->42<!-- /figure -->',
    );
    expect(readmeFigure(SMALL_RUN, 'samples')).toBe(String(SMALL_RUN.variants.reduce((sum, variant) => sum + variant.samples.length, 0)));
    expect(() => readmeFigure(SMALL_RUN, 'no-such-figure')).toThrow(/unknown figure "no-such-figure"/);
  });
});
