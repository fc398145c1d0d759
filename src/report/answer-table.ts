import type { RunResults, SampleKind, VariantResult } from '../results/types.js';
import { floorOf } from './floor-table.js';
import { mb } from './format.js';
import { hostsDifferNote, MACHINES_DIFFER } from './hosts.js';
import { looksTaken, primaryProfile, startCallRange } from './query.js';
import { enginesOf, primaryView, views } from '../results/views.js';
import { engineLabel } from './engine-label.js';
import type { Table } from './table.js';
import {
  comparePaired,
  coverageText,
  decisionLevelText,
  decisionLevel,
  decisionWords,
  intervalText,
  pickFigure,
  type PickVerdict,
  pickAmong,
  signedMs,
} from './verdicts.js';
import { SAMPLE_KIND_NAMES, sampleKindOf } from '../results/sample-kinds.js';

export const LANGUAGES = ['go', 'rust', 'java', 'node', 'python'] as const;

/** The candidates for a language's pick: its variants that answered (never the floor). */
function candidatesOf(results: RunResults, language: string): VariantResult[] {
  return results.variants.filter((variant) => !variant.floor && variant.language === language && variant.image);
}

/**
 * Every pick of a run, per language and kind, on its primary view (the first engine, gzip layers): pairs from different
 * engines would each be fair, but pooled they answer for no engine in particular, and the stopping rule decides per engine.
 */
export function picksOf(run: RunResults): Array<{ language: string; verdict: PickVerdict }> {
  const results = primaryView(run);
  const profile = primaryProfile(results);
  return LANGUAGES.flatMap((language) =>
    SAMPLE_KIND_NAMES.flatMap((kind) => {
      const verdict = pickAmong(results, candidatesOf(results, language), kind, profile, (variant) => floorOf(results, variant.id));
      // Only where some candidate took the kind (with the base cached: has a base to cache), not on what stands in for it.
      if (!verdict?.ranked.some((variant) => variant.samples.some((sample) => sample.kind === kind))) return [];
      return [{ language, verdict }];
    }),
  );
}

/** The cost a reader weighs: the image's size and its start above the engine's floor, paired by round, with its interval. */
function costOf(results: RunResults, variant: VariantResult, kind: SampleKind): string {
  const floor = floorOf(results, variant.id);
  const size = mb(variant.image?.compressedBytes);
  if (!floor) return size;
  const above = comparePaired(results, variant, floor, kind, pickFigure(kind), { profile: primaryProfile(results) });
  if (above.median === undefined) return size;
  return `${size}; ${signedMs(above.median)} above the floor (${intervalText(above)})`;
}

/** "tie: A, B, C; the smallest: C (2.3 MB)": where the start can't choose between them at this n, the size can. */
function tieText(tie: readonly VariantResult[]): string {
  const names = `tie: ${tie.map((variant) => variant.variant).join(', ')}`;
  const bytes = (variant: VariantResult) => variant.image?.compressedBytes ?? Number.POSITIVE_INFINITY;
  const smallest = tie.reduce((best, variant) => (bytes(variant) < bytes(best) ? variant : best));
  return smallest === tie[0] ? names : `${names}; the smallest: ${smallest.variant} (${mb(smallest.image?.compressedBytes)})`;
}

/**
 * The answer, first in report.md and index.html: per language and kind, the pick (or the tie),
 * what it costs, and how it stands against the runner-up, each decision with its interval.
 */
export function answerTable(run: RunResults): Table {
  const results = primaryView(run);
  const rows = picksOf(run).map(({ language, verdict }) => {
    const lead = verdict.ranked[0]!;
    const pick = verdict.winner ? verdict.winner.variant : tieText(verdict.tie);
    // The comparison that explains the row: for a tie, the fastest against the next candidate it does not beat.
    const runnerUp = verdict.winner ? verdict.against[0] : verdict.against.find((entry) => entry.decision.direction !== 'lower');
    const against = runnerUp
      ? `${lead.variant} against ${runnerUp.variant.variant}: ${decisionWords(runnerUp.decision)}`
      : 'the only candidate measured';
    return [language, sampleKindOf(verdict.kind).words, pick, costOf(results, lead, verdict.kind), against];
  });
  const level = decisionLevel(results);
  const sequential = results.options.sequential;
  // The first engine's: in a run on several engines their start calls differ by more than machines do.
  const startCall = startCallRange(results);
  const hostsDiffer = hostsDifferNote(results);
  const here = startCall ? `; ${hostsDiffer ? 'on these hosts' : 'on this one'} it took ${startCall}, p5–p95` : '';
  return {
    id: 'answer',
    title: 'The answer',
    header: ['language', 'start', 'pick', 'the fastest: its size; its start above the floor', 'the fastest against the runner-up'],
    rows,
    numeric: [false, false, false, false, false],
    notes: [
      'Pick: the fastest start that beats every other candidate, each compared round by round (same round, so the machine’s ' +
        `drift cancels) with a distribution-free interval of the median difference at ${decisionLevelText(level)}; where the fastest ` +
        'does not beat them all, the candidates it does not beat share a tie with it, and the smallest of them is named (the ' +
        'start cannot choose between them at this n; the size can). Cold: nothing on the node; base cached: ' +
        'the runtime base already there (scratch pulls everything); warm: the image there.',
      ...(sequential
        ? [
            `Sampled until decided (at most ${sequential.maxRounds} rounds): each look decides at ` +
              `${coverageText(sequential.lookLevel)} so that all looks together keep ${coverageText(results.options.level ?? 0.95)} ` +
              `(rounds looked at: ${looksTaken(results).join(', ') || 'none yet'}).`,
          ]
        : []),
      ...(views(run).length > 1
        ? [
            `Measured on ${engineLabel(enginesOf(results)[0]!)} with gzip layers, the run's first engine; the other engines ` +
              'and compressions are compared with it in their own tables below.',
          ]
        : []),
      ...(hostsDiffer ? [hostsDiffer] : []),
      `Absolute milliseconds belong to ${hostsDiffer ? 'the machine that measured them' : 'this machine'} (${MACHINES_DIFFER}${here}); ` +
        'ranks, ties and differences measured side by side in one run are what carry.',
    ],
  };
}

/**
 * The answer as a run ends on the terminal, one line per language and start: the pick or the tie, and how the fastest
 * stands against the runner-up ("go, cold: scratch; scratch against scratch-upx: faster by 58 ms (28 ms to 111 ms, 99.2%)").
 */
export function answerLines(run: RunResults): string[] {
  return answerTable(run).rows.map(([language, start, pick, , against]) => `${language}, ${start}: ${pick}; ${against}`);
}
