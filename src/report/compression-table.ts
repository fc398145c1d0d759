import { splitsPull } from '../engine/capabilities.js';
import { mb, ms } from './format.js';
import { spread } from '../common/stats.js';
import type { RunResults, Sample, VariantResult } from '../results/types.js';
import { enginesOf, viewOn } from '../results/views.js';
import { comparisonOf, zstdComparisons } from './engine-comparisons.js';
import { versusCell } from './engine-table.js';
import { measuredValues, primaryProfile } from './query.js';
import type { Table } from './table.js';

function coldFigure(variant: VariantResult | undefined, pick: (sample: Sample) => number | undefined, profile: string) {
  return spread(measuredValues(variant?.samples ?? [], 'cold', pick, profile));
}

/** zstd against gzip layers of the same image, per engine that reads zstd: bytes, transfer, extraction. */
export function compressionTable(results: RunResults): Table {
  const profile = primaryProfile(results);
  const engines = enginesOf(results);
  const readers = engines.filter((engine) => engine.zstd.reads);
  const decided = zstdComparisons(results);
  const rows = readers.flatMap((engine) => {
    const gzip = viewOn(results, engine.name, 'gzip');
    const zstd = viewOn(results, engine.name, 'zstd');
    return results.variants
      .filter((variant) => variant.image?.recompressed?.length)
      .map((variant) => {
        const [g, z] = [gzip, zstd].map((view) => view.variants.find((item) => item.id === variant.id));
        const pullG = coldFigure(g, (sample) => sample.pullMs, profile);
        const pullZ = coldFigure(z, (sample) => sample.pullMs, profile);
        const versus = versusCell(pullZ, pullG, comparisonOf(decided, variant.id, engine.name));
        const split = splitsPull(engine);
        const pair = (pick: (sample: Sample) => number | undefined) =>
          !split ? 'not reported' : `${ms(coldFigure(g, pick, profile).median)} / ${ms(coldFigure(z, pick, profile).median)}`;
        return [
          variant.id,
          engine.name,
          `${mb(g?.image?.compressedBytes)} / ${mb(z?.image?.compressedBytes)}`,
          pair((sample) => sample.pull?.transferMs),
          pair((sample) => sample.pull?.extractTailMs),
          `${ms(pullG.median)} / ${ms(pullZ.median)}`,
          versus,
        ];
      });
  });
  const skipped = engines.filter((engine) => !engine.zstd.reads);
  return {
    id: 'compression',
    title: 'Layer compression: gzip / zstd',
    header: ['variant', 'engine', 'compressed (gzip / zstd)', 'transfer', 'extraction tail', 'pull', 'zstd pull vs gzip'],
    rows,
    numeric: [false, false, true, true, true, true, true],
    notes: [
      'The same image pushed twice: gzip layers as the builder pushed them (or as basebench gzipped them, where “All variants” ' +
        'says so), and the same layers recompressed by basebench with zstd ' +
        '-3 (the level Podman and BuildKit default to), same config and diff IDs. Medians of cold pulls on the direct path; transfer ' +
        'and extraction tail as each engine’s progress stream allows (see the engines in the provenance). “zstd pull vs gzip”: ' +
        'the ratio of medians and the median per-round difference with its interval (both pulled in the same round).',
      ...skipped.map((engine) => `Not on ${engine.name}: ${engine.zstd.reads ? '' : engine.zstd.reason}.`),
    ],
  };
}
