import { stringify } from 'csv-stringify/sync';
import type { RunResults } from '../results/types.js';
import { millis } from './format.js';
import { summaryRows } from './summary-rows.js';

/** One row per variant. Columns are listed in README. */
export const SUMMARY_COLUMNS = [
  'variant_id',
  'language',
  'state',
  'runtime_base',
  'image_digest',
  'compressed_bytes',
  'uncompressed_bytes',
  'layers',
  'cold_n',
  'pull_median_ms',
  'pull_p95_ms',
  'start_to_first_response_median_ms',
  'start_to_first_response_p95_ms',
  'cold_total_median_ms',
  'cold_total_p95_ms',
  'warm_n',
  'warm_start_to_first_response_median_ms',
  'warm_start_to_first_response_p95_ms',
  'failed_samples',
  'reason',
] as const;

export function summaryCsv(results: RunResults): string {
  const rows = summaryRows(results).map((row) => [
    row.id,
    row.language,
    row.state,
    row.runtimeBase,
    row.imageDigest,
    row.compressedBytes ?? '',
    row.uncompressedBytes ?? '',
    row.layerCount ?? '',
    row.coldTotal.n,
    millis(row.pull.median),
    millis(row.pull.p95),
    millis(row.startToFirstResponse.median),
    millis(row.startToFirstResponse.p95),
    millis(row.coldTotal.median),
    millis(row.coldTotal.p95),
    row.warmStartToFirstResponse.n,
    millis(row.warmStartToFirstResponse.median),
    millis(row.warmStartToFirstResponse.p95),
    row.failedSamples,
    row.reason ?? '',
  ]);
  return stringify(rows, { header: true, columns: [...SUMMARY_COLUMNS] });
}
