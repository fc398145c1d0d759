import type { RunResults } from '../results/types.js';
import { provenanceLines } from './provenance-text.js';
import { tableMarkdown } from './render-markdown.js';
import { reportTables } from './report-tables.js';

export const CHART_FILE = 'size-vs-startup.svg';

/** report.md: provenance, the chart, then every table. */
export function reportMarkdown(results: RunResults): string {
  return [
    `# basebench report`,
    '',
    ...provenanceLines(results).map((line) => `${line}  `),
    '',
    '## Size against startup',
    '',
    `![Compressed image size against cold start](${CHART_FILE})`,
    '',
    ...reportTables(results).flatMap((table) => [tableMarkdown(table), '']),
  ].join('\n');
}
