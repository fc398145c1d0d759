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
