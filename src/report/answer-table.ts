import type { RunResults, SampleKind, VariantResult } from '../results/types.js';
import { floorOf } from './floor-table.js';
import { mb } from './format.js';
import { hostsDifferNote } from './hosts.js';
import { primaryProfile } from './query.js';
import type { Table } from './table.js';
import {
  comparePaired,
  coverageText,
  decisionLevel,
  decisionWords,
  intervalText,
  PICK_FIGURES,
  type PickVerdict,
  pickAmong,
  signedMs,
} from './verdicts.js';

export const LANGUAGES = ['go', 'rust', 'java', 'node', 'python'] as const;

const KIND_WORDS: Record<SampleKind, string> = { cold: 'cold', 'base-cached': 'base cached', warm: 'warm' };

/** The candidates for a language's pick: its variants that answered (never the floor). */
export function candidatesOf(results: RunResults, language: string): VariantResult[] {
  return results.variants.filter((variant) => !variant.floor && variant.language === language && variant.image);
}

/** Every pick of a run, per language and kind, on one view (one engine, gzip). */
export function picksOf(results: RunResults): Array<{ language: string; verdict: PickVerdict }> {
  const profile = primaryProfile(results);
  const kinds: SampleKind[] = ['cold', 'base-cached', 'warm'];
  return LANGUAGES.flatMap((language) =>
    kinds.flatMap((kind) => {
      const verdict = pickAmong(results, candidatesOf(results, language), kind, profile, (variant) => floorOf(results, variant.id));
      // With the base cached: only where some candidate has a base to cache.
      if (
        !verdict ||
        (kind === 'base-cached' && !verdict.ranked.some((variant) => variant.samples.some((sample) => sample.kind === 'base-cached')))
      )
        return [];
      return [{ language, verdict }];
    }),
  );
}

/** The cost a reader weighs: the image's size and its start above the engine's floor, paired by round, with its interval. */
function costOf(results: RunResults, variant: VariantResult, kind: SampleKind): string {
  const floor = floorOf(results, variant.id);
  const size = mb(variant.image?.compressedBytes);
  if (!floor) return size;
  const above = comparePaired(results, variant, floor, kind, PICK_FIGURES[kind].pick, { profile: primaryProfile(results) });
  if (above.median === undefined) return size;
  return `${size}; ${signedMs(above.median)} above the floor (${intervalText(above)})`;
}

/**
 * The answer, first in report.md and index.html: per language and kind, the pick (or the tie),
 * what it costs, and how it stands against the runner-up, each decision with its interval.
 */
export function answerTable(results: RunResults): Table {
  const rows = picksOf(results).map(({ language, verdict }) => {
    const lead = verdict.ranked[0]!;
    const pick = verdict.winner ? verdict.winner.variant : `tie: ${verdict.tie.map((variant) => variant.variant).join(', ')}`;
    // The comparison that explains the row: for a tie, the fastest against the next candidate it does not beat.
    const runnerUp = verdict.winner ? verdict.against[0] : verdict.against.find((entry) => entry.decision.direction !== 'lower');
    const against = runnerUp
      ? `${lead.variant} against ${runnerUp.variant.variant}: ${decisionWords(runnerUp.decision)}`
      : 'the only candidate measured';
    return [language, KIND_WORDS[verdict.kind], pick, costOf(results, lead, verdict.kind), against];
  });
  const level = decisionLevel(results);
  const sequential = results.options.sequential;
  return {
    id: 'answer',
    title: 'The answer',
    header: ['language', 'start', 'pick', 'its size; its start above the floor', 'the fastest against the runner-up'],
    rows,
    numeric: [false, false, false, false, false],
    notes: [
      'Pick: the fastest start that beats every other candidate, each compared round by round (same round, so the machine’s ' +
        `drift cancels) with a distribution-free interval of the median difference at ${coverageText(level)}; where the fastest ` +
        'does not beat them all, the candidates it does not beat share a tie with it. Cold: nothing on the node; base cached: ' +
        'the runtime base already there (scratch pulls everything); warm: the image there.',
      ...(sequential
        ? [
            `Sampled until decided (at most ${sequential.maxRounds} rounds): each look decides at ` +
              `${coverageText(sequential.lookLevel)} so that all looks together keep ${coverageText(results.options.level ?? 0.95)} ` +
              `(rounds looked at: ${sequential.looks.join(', ')}).`,
          ]
        : []),
      ...(hostsDifferNote(results) ? [hostsDifferNote(results)!] : []),
      'Absolute milliseconds belong to this machine (the engine’s start call alone has measured from about 0.2 s to 0.8 s on ' +
        'different machines at the same commit); ranks, ties and differences measured side by side in one run are what carry.',
    ],
  };
}
