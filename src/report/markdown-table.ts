/** A GitHub-flavoured markdown table; pipes in cells are escaped so a reason can't break it. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  alignRight: readonly boolean[] = [],
): string {
  const escapeCell = (cell: string) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  const rule = header.map((_, index) => (alignRight[index] ? '---:' : '---'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}
