import { markdownTable } from './markdown-table.js';
import type { Table } from './table.js';

export function tableMarkdown(table: Table, level = 2): string {
  return [
    `${'#'.repeat(level)} ${table.title}`,
    '',
    markdownTable(table.header, table.rows, table.numeric),
    '',
    ...table.notes.map((note) => `${note}  `),
  ].join('\n');
}
