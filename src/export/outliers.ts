import { FIGURES, summaryRows } from '../report/summary-rows.js';
import type { RunResults } from '../results/types.js';
import { views } from '../results/views.js';

const FIGURE_LABELS: Record<(typeof FIGURES)[number][0], string> = {
  pull: 'pull',
  startToFirstResponse: 'cold start→response',
  coldTotal: 'cold total',
  warmStartToFirstResponse: 'warm start→response',
};

/** One warning per figure with outliers, with advice; the outliers stay in every statistic. */
export function outlierWarnings(results: RunResults): string[] {
  const all = views(results);
  return all.flatMap((view) =>
    outlierWarningsOf(view.results, all.length > 1 ? ` on ${view.engine.name}${view.compression === 'zstd' ? ' (zstd)' : ''}` : ''),
  );
}

function outlierWarningsOf(results: RunResults, where: string): string[] {
  return summaryRows(results).flatMap((row) =>
    FIGURES.flatMap(([key]) => {
      const figure = row[key];
      if (figure.outliers.length === 0) return [];
      const values = figure.outlierValues.map((value) => `${value.toFixed(1)} ms`).join(', ');
      return [
        `${row.id}${where}: ${figure.outliers.length} of ${figure.n} ${FIGURE_LABELS[key]} samples are outliers (${values} against a ` +
          `median of ${figure.median!.toFixed(1)} ms; modified Z-score above 3.5 and over 5% from the median). They are kept in every ` +
          `figure. Something else on the machine may have interfered: rerun on an idle machine, or with more repetitions (--repeat, ` +
          `--warm-repeat).`,
      ];
    }),
  );
}
