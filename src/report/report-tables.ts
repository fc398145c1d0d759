import type { RunResults } from '../results/types.js';
import { baseTable } from './base-table.js';
import { networkTable } from './network-table.js';
import { nodeTable } from './node-table.js';
import { pythonTable } from './python-table.js';
import { recommendationTable } from './recommendation-table.js';
import type { Table } from './table.js';
import { upxTable } from './upx-table.js';
import { variantsTable } from './variants-table.js';

/** The report's tables, in reading order. */
export function reportTables(results: RunResults): Table[] {
  const shaped = (results.options.profiles ?? []).some((profile) => profile.name !== 'none');
  return [
    baseTable(results),
    nodeTable(results),
    pythonTable(results),
    upxTable(results),
    recommendationTable(results),
    ...(shaped ? [networkTable(results)] : []),
    variantsTable(results),
  ];
}
