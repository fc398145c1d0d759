import { markdownTable } from '../report/markdown-table.js';
import { type Table, withFootnotes } from '../report/table.js';

export function tableMarkdown(whole: Table, level = 2): string {
  const table = withFootnotes(whole);
  return [
    `${'#'.repeat(level)} ${table.title}`,
    '',
    markdownTable(table.header, table.rows, table.numeric),
    '',
    ...table.notes.map((note) => `${note}  `),
  ].join('\n');
}
