import { stringify } from 'csv-stringify/sync';
import type { RunResults } from '../results/types.js';
import { views } from '../results/views.js';
import { millis } from '../report/format.js';
import type { Spread } from '../common/stats.js';
import { FIGURES, summaryRows } from '../report/summary-rows.js';
import { SAMPLE_KIND_NAMES } from '../results/sample-kinds.js';

/** For each timed figure its n, median, p95, min, max, MAD, the 95% interval of the median and outliers. Listed in README. */
export const SUMMARY_COLUMNS = [
  'variant_id',
  'language',
  'engine',
  'compression',
  'state',
  'runtime_base',
  'image_digest',
  'compressed_bytes',
  'uncompressed_bytes',
  'layers',
  'binary_bytes',
  ...FIGURES.flatMap(([, column]) =>
    ['n', 'median_ms', 'p95_ms', 'min_ms', 'max_ms', 'mad_ms', 'ci_low_ms', 'ci_high_ms', 'ci_coverage', 'outliers'].map(
      (stat) => `${column}_${stat}`,
    ),
  ),
  'rss_median_bytes',
  ...SAMPLE_KIND_NAMES.map((kind) => kind.replace('-', '_')).flatMap((kind) => [
    `${kind}_completed`,
    `${kind}_failed`,
    `${kind}_timed_out`,
  ]),
  'failed_samples',
  'reason',
] as const;

function figureCells(figure: Spread): Array<string | number> {
  return [
    figure.n,
    millis(figure.median),
    millis(figure.p95),
    millis(figure.min),
    millis(figure.max),
    millis(figure.mad),
    millis(figure.ci?.low),
    millis(figure.ci?.high),
    figure.ci ? figure.ci.coverage.toFixed(3) : '',
    figure.outliers.length,
  ];
}

/** One row per variant per engine and layer compression measured (see results/views.ts). */
export function summaryCsv(results: RunResults): string {
  const rows = views(results).flatMap((view) =>
    summaryRows(view.results).map((row) => [
      row.id,
      row.language,
      view.engine.name,
      view.compression,
      row.state,
      row.runtimeBase,
      row.imageDigest,
      row.compressedBytes ?? '',
      row.uncompressedBytes ?? '',
      row.layerCount ?? '',
      row.binaryBytes ?? '',
      ...FIGURES.flatMap(([key]) => figureCells(row[key])),
      row.rss.median === undefined ? '' : Math.round(row.rss.median),
      ...SAMPLE_KIND_NAMES.flatMap((kind) => {
        const outcome = row.outcomes[kind];
        return [outcome.completed, outcome.failed, outcome.timedOut];
      }),
      row.failedSamples,
      row.reason ?? '',
    ]),
  );
  return stringify(rows, { header: true, columns: [...SUMMARY_COLUMNS] });
}
