import { FIGURES, summaryRows } from '../report/summary-rows.js';
import type { RunResults } from '../results/types.js';
import { views } from '../results/views.js';

const FIGURE_LABELS: Record<(typeof FIGURES)[number][0], string> = {
  pull: 'pull',
  startToFirstResponse: 'cold start→response',
  coldTotal: 'cold total',
  warmStartToFirstResponse: 'warm start→response',
};

const RULE = 'modified Z-score above 3.5 and over 5% from the median';
const ADVICE =
  'Something else on the machine may have interfered: rerun on an idle machine, or with more repetitions (--repeat, --warm-repeat).';

/** One line per figure with outliers (summary.md lists them all); the outliers stay in every statistic. */
export function outlierWarnings(results: RunResults): string[] {
  return figuresOf(results).flatMap(({ row, key, where }) => {
    const figure = row[key];
    if (figure.outliers.length === 0) return [];
    const values = figure.outlierValues.map((value) => `${value.toFixed(1)} ms`).join(', ');
    return [
      `${row.id}${where}: ${figure.outliers.length} of ${figure.n} ${FIGURE_LABELS[key]} samples are outliers (${values} against a ` +
        `median of ${figure.median!.toFixed(1)} ms; ${RULE}). They are kept in every figure. ${ADVICE}`,
    ];
  });
}

/**
 * The one line a run ends with when figures have outliers: how many of its figures, and where the list is. One outlier in 30
 * samples is common on a busy machine; a line per figure on screen would bury the run's last words.
 */
export function outlierNotice(results: RunResults): string | undefined {
  const figures = figuresOf(results).filter(({ row, key }) => row[key].n > 0);
  const withOutliers = figures.filter(({ row, key }) => row[key].outliers.length > 0);
  if (withOutliers.length === 0) return undefined;
  const samples = withOutliers.reduce((sum, { row, key }) => sum + row[key].outliers.length, 0);
  return (
    `${samples} outlier sample(s) in ${withOutliers.length} of ${figures.length} figures (${RULE}), kept in every figure; ` +
    `summary.md lists each. ${ADVICE}`
  );
}

/** Every (variant, figure) of every view, with the words that say which view when there are several. */
function figuresOf(results: RunResults) {
  const all = views(results);
  return all.flatMap((view) => {
    const where = all.length > 1 ? ` on ${view.engine.name}${view.compression === 'zstd' ? ' (zstd)' : ''}` : '';
    return summaryRows(view.results).flatMap((row) => FIGURES.map(([key]) => ({ row, key, where })));
  });
}
