import { ARTICLE_UPX, ATTRIBUTION } from './article.js';
import type { RunResults, VariantResult } from '../results/types.js';
import { mb, ms } from './format.js';
import {
  coldStart,
  fileMappedMemory,
  measured,
  memoryAgreement,
  memoryAgreementText,
  percentChange,
  primaryProfile,
  residentMemory,
  variantById,
  warmStart,
  whyMissing,
} from './query.js';
import type { Table } from './table.js';
import { comparePaired, decisionLevel, decisionLevelText, decisionWords } from './verdicts.js';

/** Memory the engine didn't report is unknown, never 0. */
const memoryMb = (bytes: number | undefined) => (bytes === undefined ? 'unknown' : mb(bytes));

function beforeAfter(before: number | undefined, after: number | undefined, unit: (value: number | undefined) => string): string {
  if (before === undefined || after === undefined) return `${unit(before)} → ${unit(after)}`;
  return `${unit(before)} → ${unit(after)} (${percentChange(after, before)})`;
}

/** UPX before/after: each packed variant against the same build unpacked. */
export function upxTable(results: RunResults): Table {
  const agreement = memoryAgreement(results);
  const decided = (packed: VariantResult, unpacked: VariantResult, kind: 'cold' | 'warm') =>
    decisionWords(
      comparePaired(results, packed, unpacked, kind, (sample) => sample.startToFirstResponseMs, { profile: primaryProfile(results) }),
    );
  const packed = results.variants.filter((variant): variant is VariantResult & { upx: { unpackedVariant: string } } => !!variant.upx);
  const profile = primaryProfile(results);
  const rows = packed.map((variant) => {
    const unpacked = variantById(results, variant.upx.unpackedVariant);
    if (!measured(variant, profile) || !measured(unpacked, profile)) {
      return [variant.id, measured(variant, profile) ? whyMissing(unpacked) : whyMissing(variant), '–', '–', '–', '–', '–'];
    }
    return [
      variant.id,
      beforeAfter(unpacked.image.binaryBytes, variant.image.binaryBytes, mb),
      beforeAfter(unpacked.image.uncompressedBytes, variant.image.uncompressedBytes, mb),
      `${beforeAfter(coldStart(unpacked, profile), coldStart(variant, profile), ms)}; ${decided(variant, unpacked, 'cold')}`,
      `${beforeAfter(warmStart(unpacked), warmStart(variant), ms)}; ${decided(variant, unpacked, 'warm')}`,
      beforeAfter(residentMemory(unpacked), residentMemory(variant), memoryMb),
      beforeAfter(fileMappedMemory(unpacked), fileMappedMemory(variant), memoryMb),
    ];
  });
  return {
    id: 'upx',
    title: 'UPX, before and after',
    header: ['variant', 'binary', 'image', 'cold start→response', 'warm start→response', 'anonymous memory', 'file-mapped memory'],
    rows,
    numeric: [false, true, true, true, true, true, true],
    notes: [
      `Each row: the same build without UPX → with \`upx --best --lzma\`. The article gives ${ARTICLE_UPX.before} → ` +
        `${ARTICLE_UPX.after} for a Go binary and expects ${ARTICLE_UPX.claim}.`,
      'Start→response: medians, then the packed build against the unpacked one round by round (both sampled in the same round), ' +
        `with the interval of the median difference at ${decisionLevelText(decisionLevel(results))}.`,
      'Memory right after the first response, median over samples, read from the container’s processes (/proc status and ' +
        'smaps_rollup): anonymous (private pages) and file-mapped (the binary and libraries, shareable between containers); ' +
        '"unknown" where it could not be read.' +
        (agreement
          ? ` Against the engine's own cgroup figure (rss / anon), where it gives one: the processes' anonymous memory is ` +
            `${memoryAgreementText(agreement)} (medians; read at the same moment from two sources, the kernel's per-process ` +
            'counters and the cgroup’s charges).'
          : ''),
      'UPX moves the binary from file pages to anonymous memory: the packed file is unpacked into private pages at exec, so its code ' +
        'is no longer paged in from the image on demand nor shared between containers running the same image.',
      ATTRIBUTION,
    ],
  };
}
