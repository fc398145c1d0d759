import { successText, summaryRows } from './summary-rows.js';
import type { RunResults } from '../results/types.js';
import { mb, ms } from './format.js';
import type { Table } from './table.js';
import { hostOf, hostsDifferNote } from './hosts.js';

/** Every variant of the run with its sizes and medians, failures with their reason. */
export function variantsTable(results: RunResults): Table {
  const hosts = hostsDifferNote(results) !== undefined;
  const rows = summaryRows(results).map((row) => [
    row.id,
    ...(hosts ? [hostOf(results, row.id) ?? ''] : []),
    row.state === 'completed' ? row.runtimeBase : `${row.state}: ${(row.reason ?? '').split('\n')[0]}`,
    mb(row.compressedBytes),
    mb(row.uncompressedBytes),
    successText(row.outcomes.cold),
    ms(row.pull.median),
    ms(row.startToFirstResponse.median),
    ms(row.coldTotal.median),
    ms(row.warmStartToFirstResponse.median),
  ]);
  return {
    id: 'variants',
    title: 'All variants',
    header: [
      'variant',
      ...(hosts ? ['host'] : []),
      'runtime base',
      'compressed',
      'uncompressed',
      'cold completed',
      'pull',
      'start→response',
      'cold total',
      'warm start→response',
    ],
    rows,
    numeric: [false, ...(hosts ? [false] : []), false, true, true, true, true, true, true, true],
    notes: [
      'Medians over completed samples; "cold completed" says of how many measured (warm-ups aside), and how many timed out. p95 ' +
        'and every sample are in summary.csv and samples.csv.',
      ...(hosts ? [hostsDifferNote(results)!] : []),
      ...regzippedNote(results),
    ],
  };
}

/** Which images' layers basebench gzipped because their builder pushed them uncompressed (their sizes are those gzipped ones). */
function regzippedNote(results: RunResults): string[] {
  const ids = results.variants.filter((variant) => variant.image?.gzippedByHarness).map((variant) => variant.id);
  if (ids.length === 0) return [];
  return [
    `Pushed by their builder with uncompressed layers, gzipped by basebench at Docker's level and pushed again, so that a pull ` +
      `moves what an upstream image's would: ${ids.join(', ')}. Their compressed sizes are those gzipped layers'.`,
  ];
}
