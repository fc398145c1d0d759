import { describe, expect, it } from 'vitest';
import { tableMarkdown } from '../../src/export/render-markdown.js';
import { MAX_CELL, withFootnotes } from '../../src/report/table.js';

describe('a long table cell', () => {
  const long = `${'word '.repeat(60)}end`;
  const table = { id: 't', title: 'T', header: ['a', 'b'], rows: [['short', long]], numeric: [false, false], notes: ['a note'] };

  it('is cut at a word and its whole text becomes a numbered note', () => {
    const shown = withFootnotes(table);
    expect(shown.rows[0]![0]).toBe('short');
    expect(shown.rows[0]![1]!.length).toBeLessThanOrEqual(MAX_CELL);
    expect(shown.rows[0]![1]).toMatch(/word … \[1\]$/);
    expect(shown.notes).toEqual(['a note', `[1] ${long}`]);
  });

  it('never reaches a rendered cell', () => {
    const cells = tableMarkdown(table)
      .split('\n')
      .filter((line) => line.startsWith('| '))
      .flatMap((line) => line.split(' | '));
    expect(Math.max(...cells.map((cell) => cell.length))).toBeLessThanOrEqual(MAX_CELL + 2);
    expect(withFootnotes({ ...table, rows: [['a', 'b']] })).toEqual({ ...table, rows: [['a', 'b']] });
  });
});
