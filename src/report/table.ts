/** A report table as data: the markdown and HTML renderers both draw from it. */
export interface Table {
  id: string;
  title: string;
  header: string[];
  rows: string[][];
  /** Columns holding numbers, aligned right. */
  numeric: boolean[];
  notes: string[];
}

/** The longest a cell is shown; longer text moves to a numbered note under the table. */
export const MAX_CELL = 160;

/**
 * Pure: the table with every cell over MAX_CELL cut at a word and marked "[n]", its whole text
 * added as note n, so a table stays readable on a screen and nothing is lost. Both renderers use it.
 */
export function withFootnotes(table: Table): Table {
  const footnotes: string[] = [];
  const rows = table.rows.map((row) =>
    row.map((cell) => {
      if (cell.length <= MAX_CELL) return cell;
      footnotes.push(cell);
      const marker = ` … [${footnotes.length}]`;
      const cut = cell.slice(0, MAX_CELL - marker.length);
      const atWord = cut.lastIndexOf(' ') > MAX_CELL / 2 ? cut.slice(0, cut.lastIndexOf(' ')) : cut;
      return `${atWord}${marker}`;
    }),
  );
  if (footnotes.length === 0) return table;
  return { ...table, rows, notes: [...table.notes, ...footnotes.map((text, index) => `[${index + 1}] ${text}`)] };
}
