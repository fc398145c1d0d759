import type { RunResults } from '../results/types.js';
import { baseTable } from './base-table.js';
import { networkTable } from './network-table.js';
import { nodeTable } from './node-table.js';
import { pythonTable } from './python-table.js';
import { recommendationTable } from './recommendation-table.js';
import type { Table } from './table.js';
import { floorOf, floorTable } from './floor-table.js';
import { cacheTable, efficiencyTable, kindsTable, runtimeBasesWithAnatomy } from './anatomy-tables.js';

const hasAnatomy = (results: RunResults) => results.variants.some((variant) => variant.image?.anatomy);
const hasBaseCached = (results: RunResults) =>
  results.variants.some((variant) => variant.samples.some((sample) => sample.kind === 'base-cached'));
import { upxTable } from './upx-table.js';
import { bytecodeTable, hasBytecodePairs } from './bytecode-table.js';
import { variantsTable } from './variants-table.js';
import { compressionTable } from './compression-table.js';
import { engineTable } from './engine-table.js';
import { criEngines, podPhasesTable } from './pod-phases-table.js';
import { fanOutTable } from './fan-out-table.js';
import { hasTimeline, timelineTable } from './timeline-table.js';
import { enginesOf, hasZstd, primaryView } from '../results/views.js';

/** The report's tables, in reading order: the article's from the first engine's gzip samples, then engines and compression. */
export function reportTables(results: RunResults): Table[] {
  const shaped = results.options.profiles.some((profile) => profile.name !== 'none');
  const view = primaryView(results);
  return [
    baseTable(view),
    nodeTable(view),
    pythonTable(view),
    upxTable(view),
    ...(hasBytecodePairs(view) ? [bytecodeTable(view)] : []),
    recommendationTable(view),
    ...(shaped ? [networkTable(view)] : []),
    ...(enginesOf(results).length > 1 ? [engineTable(results)] : []),
    ...(results.fanOut ? [fanOutTable(results)] : []),
    ...(criEngines(results).length > 0 ? [podPhasesTable(results)] : []),
    ...(hasZstd(results) ? [compressionTable(results)] : []),
    ...(floorOf(view) ? [floorTable(view)] : []),
    ...(hasTimeline(view) ? [timelineTable(view)] : []),
    ...(hasBaseCached(view) ? [cacheTable(view)] : []),
    ...(runtimeBasesWithAnatomy(view).length > 0 ? [kindsTable(view)] : []),
    ...(hasAnatomy(view) ? [efficiencyTable(view)] : []),
    variantsTable(view),
  ];
}
