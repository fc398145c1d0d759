import { layersTable, sharedLayersTable } from '../report/anatomy-tables.js';
import { tableMarkdown } from './render-markdown.js';
import type { RunResults } from '../results/types.js';
import { primaryView } from '../results/views.js';

/** anatomy.md: every layer of every variant, and the layers variants share. */
export function anatomyMarkdown(results: RunResults): string {
  const view = primaryView(results);
  return [
    `# Image anatomy, run ${results.runId}`,
    '',
    tableMarkdown(layersTable(view)),
    '',
    tableMarkdown(sharedLayersTable(view)),
    '',
  ].join('\n');
}
