import { ARTICLE_PYTHON_STEPS, ATTRIBUTION } from './article.js';
import type { RunResults } from '../results/types.js';
import { stepsTable } from './steps-table.js';
import type { Table } from './table.js';

/** The article's Python before/after path, measured step by step. */
export function pythonTable(results: RunResults): Table {
  return stepsTable(
    results,
    'python',
    'Python, before and after',
    ARTICLE_PYTHON_STEPS.map((step) => ({
      label: step.step,
      variant: step.variant,
      articleSize: step.size,
      articleReduction: step.reduction,
    })),
    [
      'The sample app has no third-party packages, so the article’s figures (an API server with dependencies) are larger; the ratios ' +
        'are what carry over.',
      ATTRIBUTION,
    ],
  );
}
