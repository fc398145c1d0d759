import { ARTICLE_NODE_SIZES, ATTRIBUTION } from './article.js';
import type { RunResults } from '../results/types.js';
import { stepsTable } from './steps-table.js';
import type { Table } from './table.js';

const STEPS = [
  { label: 'node:20', variant: 'node-hello/node-20' },
  { label: 'node:20-slim', variant: 'node-hello/node-20-slim' },
  { label: 'node:20-alpine', variant: 'node-hello/node-20-alpine' },
  { label: 'distroless/nodejs20', variant: 'node-hello/distroless-nodejs20' },
];

/** The article's Node.js base image sizes, measured with the same app on each, plus pull and cold start. */
export function nodeTable(results: RunResults): Table {
  return stepsTable(
    results,
    'node',
    'Node.js images',
    STEPS.map((step) => ({ ...step, articleSize: ARTICLE_NODE_SIZES[step.variant] })),
    ['Image size is uncompressed (as `docker images` shows it); medians of the cold samples.', ATTRIBUTION],
  );
}
