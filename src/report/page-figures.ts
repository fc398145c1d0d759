/**
 * Figures of the harness's own benchmark pages (results/*.md: markdown, not runs), for README:
 * a whole table by its position, one cell, or the span of a column over some rows.
 */

/** Pure: the markdown tables of a page, each as its lines (header and separator included), in order. */
function pageTables(page: string): string[][] {
  const tables: string[][] = [];
  let inTable = false;
  for (const line of page.split('\n')) {
    const isRow = line.startsWith('|');
    if (isRow && !inTable) tables.push([]);
    if (isRow) tables.at(-1)!.push(line);
    inTable = isRow;
  }
  return tables;
}

/** One table of a page (1-based), as README prints it; a page without it throws. */
export function pageTable(page: string, pageName: string, index: number): string {
  const table = pageTables(page)[index - 1];
  if (!table) throw new Error(`${pageName} has no table ${index}`);
  return `${table.join('\n')}\n`;
}

const PAGE_FIGURES = 'cell:TABLE:ROW:COLUMN, or range:TABLE:COLUMN:ROW,ROW,…[:NTH]';

/** The numbers written in a cell, each as written with the unit that follows it (else the cell's last unit: "0.90 / 1.13 ms"). */
function numbersIn(cell: string): { text: string; value: number; unit: string }[] {
  const found = [...cell.matchAll(/[−-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g)];
  const unitAfter = (match: RegExpExecArray | RegExpMatchArray | undefined) =>
    match ? /^ ?(%|×|[a-zA-Zµ]+)/.exec(cell.slice(match.index! + match[0].length))?.[1] : undefined;
  const last = unitAfter(found.at(-1)) ?? '';
  return found.map((match) => ({ text: match[0], value: Number(match[0].replace('−', '-')), unit: unitAfter(match) ?? last }));
}

/**
 * One figure of a page's tables (positions 1-based; rows below the header):
 * - `cell:TABLE:ROW:COLUMN`: the cell as written;
 * - `range:TABLE:COLUMN:ROW,ROW,…[:NTH]`: the lowest to the highest of those rows' cells in that
 *   column ("2.3–3.7%"), each cell's NTH number (default the first: "0.90 / 1.13 ms" has two).
 */
export function pageFigure(page: string, pageName: string, name: string): string {
  const [head, ...at] = name.split(':');
  const unknown = () => new Error(`README names an unknown figure "${name}" of ${pageName} (${PAGE_FIGURES})`);
  const position = (text: string | undefined) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw unknown();
    return n;
  };
  const cellAt = (table: number, row: number, column: number) => {
    const cell = pageTables(page)[table - 1]?.[row + 1]?.split('|').slice(1, -1)[column - 1]?.trim();
    if (cell === undefined) throw new Error(`${pageName} has no cell ${table}:${row}:${column}`);
    return cell;
  };
  if (head === 'cell' && at.length === 3) return cellAt(position(at[0]), position(at[1]), position(at[2]));
  if (head !== 'range' || at.length < 3 || at.length > 4) throw unknown();
  const [table, column] = [position(at[0]), position(at[1])];
  const nth = at[3] === undefined ? 1 : position(at[3]);
  const cells = at[2]!.split(',').map((row) => numbersIn(cellAt(table, position(row), column)));
  const values = cells.map((numbers, index) => {
    const value = numbers[nth - 1];
    if (!value) throw new Error(`${pageName}'s table ${table}, row ${at[2]!.split(',')[index]}, column ${column} has no number ${nth}`);
    return value;
  });
  const [low, high] = [values.reduce((a, b) => (b.value < a.value ? b : a)), values.reduce((a, b) => (b.value > a.value ? b : a))];
  const unit = low.unit;
  const spaced = unit === '' || unit === '%' || unit === '×' ? unit : ` ${unit}`;
  return low.value === high.value ? `${low.text}${spaced}` : `${low.text}–${high.text}${spaced}`;
}
