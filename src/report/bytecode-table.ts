import type { RunResults, VariantResult } from '../results/types.js';
import { mb } from './format.js';
import { measured, primaryProfile, variantById, whyMissing } from './query.js';
import type { Table } from './table.js';
import { comparePaired, decisionLevel, decisionLevelText, decisionWords } from './verdicts.js';

export const hasBytecodePairs = (results: RunResults) => results.variants.some((variant) => variant.bytecode);

/**
 * Python bytecode, with and without: each image with the standard library's and the app's
 * bytecode compiled in against the same image without, sampled in the same rounds. What
 * precompiling costs in size, and what it saves at start, as paired per-round decisions.
 */
export function bytecodeTable(results: RunResults): Table {
  const profile = primaryProfile(results);
  const pairs = results.variants.filter(
    (variant): variant is VariantResult & { bytecode: { withoutVariant: string } } => !!variant.bytecode,
  );
  const start = (sample: VariantResult['samples'][number]) => sample.startToFirstResponseMs;
  const listening = (sample: VariantResult['samples'][number]) => sample.timeline?.listeningMs;
  const rows = pairs.map((variant) => {
    const without = variantById(results, variant.bytecode.withoutVariant);
    if (!measured(variant, profile) || !measured(without, profile))
      return [variant.id, measured(variant, profile) ? whyMissing(without) : whyMissing(variant), '–', '–', '–'];
    const size = variant.image.compressedBytes - without.image.compressedBytes;
    return [
      variant.id,
      `${mb(without.image.compressedBytes)} → ${mb(variant.image.compressedBytes)} (${size >= 0 ? '+' : '−'}${mb(Math.abs(size))})`,
      decisionWords(comparePaired(results, variant, without, 'warm', listening)),
      decisionWords(comparePaired(results, variant, without, 'warm', start)),
      decisionWords(comparePaired(results, variant, without, 'cold', (sample) => sample.totalMs, { profile })),
    ];
  });
  return {
    id: 'bytecode',
    title: 'Python bytecode, with and without',
    header: ['with bytecode', 'compressed image', 'warm: app listening', 'warm start→response', 'cold total'],
    rows,
    numeric: [false, true, false, false, false],
    notes: [
      'Each image with the standard library’s and the app’s bytecode compiled in (compileall at build time) against the same ' +
        'image without; the official python images and distroless ship none. Round by round, same kind: the median difference ' +
        `with its interval at ${decisionLevelText(decisionLevel(results))}. The app runs as a script, which Python compiles at every ` +
        'start whatever is cached: what gains is what it imports (http.server and its imports).',
    ],
  };
}
