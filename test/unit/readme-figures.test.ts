import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { FIGURE_MARKER, TABLE_MARKER, readmeFigure, withFigures } from '../../src/report/readme-figures.js';
import { pageFigure, pageTable } from '../../src/report/page-figures.js';
import { readmeSources } from '../../src/export/readme.js';
import { SMALL_RUN } from '../fixtures/small-run.js';

describe("README's quoted figures", () => {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const marked = [...readme.matchAll(FIGURE_MARKER)].map(([, run, name, shown]) => ({ run: run!, name: name!, shown: shown! }));
  const tables = [...readme.matchAll(TABLE_MARKER)].map(([, page, index, shown]) => ({ page: page!, index: Number(index), shown: shown! }));
  const sources = readmeSources(PROJECT_ROOT);

  it('are marked with the run they come from, and there are some', () => {
    expect(marked.length).toBeGreaterThan(5);
  });

  it.each(marked.map((figure) => [`${figure.run} ${figure.name}`, figure] as const))(
    '%s agrees with its run (npm run docs)',
    (_label, figure) => {
      expect(figure.shown).toBe(sources.figureOf(figure.run, figure.name));
    },
  );

  it('copy the tables of the benchmark pages, and there are some', () => {
    expect(tables.length).toBeGreaterThan(2);
    for (const table of tables)
      expect(`${table.page} ${table.index}\n${table.shown}`).toBe(
        `${table.page} ${table.index}\n${sources.tableOf(table.page, table.index)}`,
      );
  });

  it('are rewritten in place, and an unknown figure is an error rather than a blank', () => {
    const text = 'floor <!-- figure r samples -->0<!-- /figure --> and <!-- figure r samples -->1<!-- /figure -->';
    const tableOf = () => {
      throw new Error('no table marked here');
    };
    expect(withFigures(text, { figureOf: () => '42', tableOf })).toBe(
      'floor <!-- figure r samples -->42<!-- /figure --> and <!-- figure r samples -->42<!-- /figure -->',
    );
    expect(readmeFigure(SMALL_RUN, 'samples')).toBe(String(SMALL_RUN.variants.reduce((sum, variant) => sum + variant.samples.length, 0)));
    expect(() => readmeFigure(SMALL_RUN, 'no-such-figure')).toThrow(/unknown figure "no-such-figure"/);
  });

  it("read a page's tables and cells by position, and name what a page lacks", () => {
    const page = '# title\n\n| a | b |\n| --- | ---: |\n| x | 1 ms |\n| y | 2 ms |\n\ntext\n\n| c |\n| --- |\n| z |\n';
    expect(pageTable(page, 'p.md', 2)).toBe('| c |\n| --- |\n| z |\n');
    expect(pageFigure(page, 'p.md', 'cell:1:2:2')).toBe('2 ms');
    expect(pageFigure(page, 'p.md', 'cell:2:1:1')).toBe('z');
    expect(() => pageTable(page, 'p.md', 3)).toThrow('p.md has no table 3');
    expect(() => pageFigure(page, 'p.md', 'cell:1:3:1')).toThrow('p.md has no cell 1:3:1');
    expect(() => pageFigure(page, 'p.md', 'row:1')).toThrow(/unknown figure "row:1" of p.md/);
    const costs = [
      '| probe | cost | lag |',
      '| --- | --- | --- |',
      '| a | 2.3% | 0.90 / 1.13 ms |',
      '| b | 11.9% | 0.71 / 1.97 ms |',
      '| c | 3.7% | 1.24 / 1.06 ms |',
    ].join('\n');
    expect(pageFigure(costs, 'c.md', 'range:1:2:1,3')).toBe('2.3–3.7%');
    expect(pageFigure(costs, 'c.md', 'range:1:2:1,2,3')).toBe('2.3–11.9%');
    expect(pageFigure(costs, 'c.md', 'range:1:3:1,2,3')).toBe('0.71–1.24 ms');
    expect(pageFigure(costs, 'c.md', 'range:1:3:1,2,3:2')).toBe('1.06–1.97 ms');
    expect(pageFigure(costs, 'c.md', 'range:1:2:2')).toBe('11.9%');
    const pulls = '| p | transfer |\n| --- | --- |\n| a | 1477 ms (5.3%) |\n| b | 7001 ms (2.0%) |\n';
    expect(pageFigure(pulls, 'p.md', 'range:1:2:1,2:2')).toBe('2.0–5.3%');
    expect(pageFigure(pulls, 'p.md', 'range:1:2:1,2')).toBe('1477–7001 ms');
    expect(() => pageFigure(costs, 'c.md', 'range:1:1:1')).toThrow("c.md's table 1, row 1, column 1 has no number 1");
    expect(() => pageFigure(costs, 'c.md', 'range:1:2:1,4')).toThrow('c.md has no cell 1:4:2');
    expect(() => pageFigure(costs, 'c.md', 'range:1:2:x')).toThrow(/unknown figure "range:1:2:x"/);
    const readmeText = 'see\n<!-- table p.md 2 -->\n\nold\n\n<!-- /table -->\nand <!-- figure p.md cell:1:1:1 -->?<!-- /figure -->';
    expect(
      withFigures(readmeText, {
        figureOf: (_page, name) => pageFigure(page, 'p.md', name),
        tableOf: (_page, index) => pageTable(page, 'p.md', index),
      }),
    ).toBe('see\n<!-- table p.md 2 -->\n\n| c |\n| --- |\n| z |\n\n<!-- /table -->\nand <!-- figure p.md cell:1:1:1 -->x<!-- /figure -->');
  });
});
