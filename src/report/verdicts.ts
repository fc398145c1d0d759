/**
 * Decisions, not bare medians. Every comparison a report states is a paired per-round difference
 * (A − B, both sampled in the same round, so the machine's drift cancels) with a distribution-free
 * interval at a stated coverage; the words follow the interval. A pick is named only when it beats
 * every other candidate; otherwise the candidates it does not beat share a tie with it.
 */
import { decidePaired, type PairedDecision, pairsNeeded, reachesLevel, type Spread, spread } from '../common/stats.js';
import type { RunResults, Sample, SampleKind, VariantResult } from '../results/types.js';
import { ms } from './format.js';
import { measuredSamples, profileOf } from './query.js';
import { sampleKindOf } from '../results/sample-kinds.js';

/** The coverage a run's comparisons decide at: the run's level, or each look's under sampling until decided. */
export function decisionLevel(results: Pick<RunResults, 'options'>): number {
  return results.options.sequential?.lookLevel ?? results.options.level ?? 0.95;
}

/** "95%", "99.2%": a coverage as printed beside an interval. */
export function coverageText(coverage: number): string {
  const percent = coverage * 100;
  return `${Number.isInteger(Math.round(percent * 10) / 10) ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

/**
 * The level a decision asks for, as notes state it: an interval from order statistics covers at least that much, and
 * from few rounds the nearest one covers more (at n = 8, 99.2% for 97.5%), so each interval prints its own.
 */
export const decisionLevelText = (level: number) => `${coverageText(level)} or more (each interval prints its own coverage)`;

/** What a pairing key is made of: the round, and the path the sample went through. */
const pairKey = (sample: Sample) => `${sample.round}|${sample.engine}|${sample.compression}|${profileOf(sample)}`;

export interface PairOptions {
  profile?: string;
  /** Match B's samples to A's on another engine or compression (engine against engine, zstd against gzip). */
  partner?: (sample: Sample) => string;
  /**
   * Each variant's figure less its own floor's in the same round: in a run merged from several hosts' parts, two
   * variants measured on different hosts are then compared by their cost above their own host's floor.
   */
  floors?: { a: VariantResult; b: VariantResult };
}

/**
 * A variant's measured samples of a kind, or where it took none of that kind and the kind says what stands in for it,
 * of that one: a base-cached comparison takes a variant without a base to cache (scratch) at its cold sample, since
 * with nothing to cache that is its start on such a node.
 */
function samplesStandingFor(variant: VariantResult, kind: SampleKind, profile?: string): Sample[] {
  const otherwise = sampleKindOf(kind).otherwise;
  const took = variant.samples.some((sample) => sample.kind === kind);
  return measuredSamples(variant.samples, !took && otherwise ? otherwise : kind, profile);
}

/**
 * Per-round differences A − B of the figure `pick` finds, over the rounds where both have a
 * completed, measured sample of the kind (or of what stands in for it, samplesStandingFor).
 */
export function pairedDifferences(
  a: VariantResult,
  b: VariantResult,
  kind: SampleKind,
  pick: (sample: Sample) => number | undefined,
  options: PairOptions = {},
): number[] {
  const of = (variant: VariantResult) => samplesStandingFor(variant, kind, options.profile);
  const floorFigure = (floor: VariantResult | undefined) => {
    const byKey = floor ? new Map(of(floor).map((sample) => [pairKey(sample), pick(sample)])) : undefined;
    return (sample: Sample) => (byKey ? byKey.get(pairKey(sample)) : 0);
  };
  const [floorA, floorB] = [floorFigure(options.floors?.a), floorFigure(options.floors?.b)];
  const partners = new Map(of(b).map((sample) => [pairKey(sample), sample]));
  return of(a).flatMap((sample) => {
    const partner = partners.get(options.partner ? options.partner(sample) : pairKey(sample));
    const mine = pick(sample);
    const its = partner ? pick(partner) : undefined;
    const [floorMine, floorIts] = [floorA(sample), partner ? floorB(partner) : undefined];
    if (mine === undefined || its === undefined || floorMine === undefined || floorIts === undefined) return [];
    return [mine - floorMine - (its - floorIts)];
  });
}

export function comparePaired(
  results: Pick<RunResults, 'options'>,
  a: VariantResult,
  b: VariantResult,
  kind: SampleKind,
  pick: (sample: Sample) => number | undefined,
  options: PairOptions = {},
): PairedDecision {
  return decidePaired(pairedDifferences(a, b, kind, pick, options), decisionLevel(results));
}

/** A signed interval as printed, where the sign is the figure's own (above the floor): "−5 ms to +25 ms, 99.7%". */
export function intervalText(decision: Pick<PairedDecision, 'ci'>): string {
  if (!decision.ci) return 'no interval';
  return `${signedMs(decision.ci.low)} to ${signedMs(decision.ci.high)}, ${coverageText(decision.ci.coverage)}`;
}

/**
 * "+12 ms", "−3 ms", "0 ms": a difference as printed. Under half a millisecond it keeps its sign and one
 * significant digit ("+0.4 ms"), so an interval that excludes 0 never reads as one that reaches it.
 */
export const signedMs = (value: number) => {
  if (value === 0) return '0 ms';
  const magnitude = Math.abs(value);
  return `${value > 0 ? '+' : '−'}${magnitude < 0.5 ? `${Number(magnitude.toPrecision(1))} ms` : ms(magnitude)}`;
};

/** "+4 ms (−11 ms to +10 ms, 99.5%)": a paired difference's median with its interval and that interval's coverage. */
export function differenceText(decision: PairedDecision): string {
  if (decision.median === undefined) return '–';
  return `${signedMs(decision.median)} (${intervalText(decision)})`;
}

/** "457 ms [437 ms–464 ms, 95.7%]": a median with the distribution-free interval of it and that interval's coverage. */
export function medianWithInterval(value: Spread, format: (milliseconds: number) => string = ms): string {
  if (value.median === undefined) return '–';
  if (!value.ci) return format(value.median);
  return `${format(value.median)} [${format(value.ci.low)}–${format(value.ci.high)}, ${coverageText(value.ci.coverage)}]`;
}

/** A difference's size as printed, without its sign: "0.4 ms", "51 ms", "1.23 s". */
const sizeMs = (value: number) => signedMs(value).replace(/^[+−]/, '');

/** "warm faster" → subject "warm ", directions "faster" / "slower": the subject goes first, once. */
function directions(words: { lower: string; higher: string }) {
  const last = (word: string) => word.slice(word.lastIndexOf(' ') + 1);
  return { subject: words.lower.slice(0, words.lower.lastIndexOf(' ') + 1), lower: last(words.lower), higher: last(words.higher) };
}

/**
 * Where an undecided interval lies, in the words of the directions, so no sign needs reading: "between 40 ms faster and
 * 8 ms slower", "21 ms to 100 ms faster"; a word's leading subject goes first ("warm between 14 ms faster and …").
 */
function rangeWords(ci: NonNullable<PairedDecision['ci']>, words: { lower: string; higher: string }): string {
  const { subject, lower, higher } = directions(words);
  const range =
    ci.low < 0 && ci.high > 0
      ? `between ${sizeMs(ci.low)} ${lower} and ${sizeMs(ci.high)} ${higher}`
      : ci.high <= 0
        ? `${sizeMs(ci.high)} to ${sizeMs(ci.low)} ${lower}`
        : `${sizeMs(ci.low)} to ${sizeMs(ci.high)} ${higher}`;
  return `${subject}${range}, ${coverageText(ci.coverage)}`;
}

/** One round's difference, which has no interval: "one round: 25 ms faster". */
function oneRoundWords(difference: number, words: { lower: string; higher: string }): string {
  const { subject, lower, higher } = directions(words);
  return `one round: ${subject}${difference === 0 ? 'the same' : `${sizeMs(difference)} ${difference < 0 ? lower : higher}`}`;
}

/**
 * The words for A against B: "faster by 37 ms (12 ms to 61 ms, 95%)", "slower by …", or "no difference found at
 * n = 5 (between 12 ms faster and 40 ms slower, 93.8%)": every interval reads in the words, never by a sign. `words`
 * name the two directions (for times, lower is faster).
 */
export function decisionWords(
  decision: PairedDecision,
  words: { lower: string; higher: string } = { lower: 'faster', higher: 'slower' },
): string {
  if (decision.n === 0 || decision.median === undefined) return 'not compared (no round measured both)';
  // One round has a difference but no interval (its [min, max] covers 0%): say the difference as what it is.
  const interval = decision.n === 1 ? oneRoundWords(decision.median, words) : decision.ci ? rangeWords(decision.ci, words) : 'no interval';
  if (decision.direction === 'tie' && decision.ci && !reachesLevel(decision))
    return (
      `not decided at n = ${decision.n}: ${coverageText(decision.level)} needs ` +
      `${decision.twoSample ? 'more samples' : `${pairsNeeded(decision.level)} rounds`} (${interval})`
    );
  if (decision.direction === 'tie') return `no difference found at n = ${decision.n} (${interval})`;
  const [near, far] = decision.direction === 'lower' ? [-decision.ci!.high, -decision.ci!.low] : [decision.ci!.low, decision.ci!.high];
  const word = decision.direction === 'lower' ? words.lower : words.higher;
  return `${word} by ${ms(Math.abs(decision.median))} (${sizeMs(near)} to ${sizeMs(far)}, ${coverageText(decision.ci!.coverage)})`;
}

/** What a pick ranks by, per kind (its declaration says: the whole start a node pays). */
export const pickFigure =
  (kind: SampleKind) =>
  (sample: Sample): number | undefined =>
    sample[sampleKindOf(kind).ranksBy];

export interface PickVerdict {
  kind: SampleKind;
  /** Candidates by their median, fastest first. */
  ranked: VariantResult[];
  /** The pick: only when it beats every other candidate. */
  winner?: VariantResult;
  /** The fastest by median and every candidate it does not beat (one entry: the winner). */
  tie: VariantResult[];
  /** The fastest by median against each other candidate, in ranked order. */
  against: Array<{ variant: VariantResult; decision: PairedDecision }>;
}

/**
 * The pick for one kind among candidates measured in the same rounds (one language, one engine's view). `floorOf`
 * gives each candidate's floor: ranked by the median above it, and where two candidates have different floors (a run
 * merged from several hosts' parts), compared above their own.
 */
export function pickAmong(
  results: Pick<RunResults, 'options'>,
  candidates: readonly VariantResult[],
  kind: SampleKind,
  profile?: string,
  floorOf?: (variant: VariantResult) => VariantResult | undefined,
): PickVerdict | undefined {
  const figure = pickFigure(kind);
  const where = profile ? { profile } : {};
  const median = (variant: VariantResult) => {
    const floor = floorOf?.(variant);
    if (floor) return spread(pairedDifferences(variant, floor, kind, figure, where)).median;
    const samples = samplesStandingFor(variant, kind, profile);
    return spread(samples.map(figure).filter((value): value is number => value !== undefined)).median;
  };
  const scored = candidates.flatMap((variant) => {
    const value = median(variant);
    return value === undefined ? [] : [{ variant, value }];
  });
  if (scored.length === 0) return undefined;
  const ranked = scored.sort((x, y) => x.value - y.value).map((entry) => entry.variant);
  const best = ranked[0]!;
  const against = ranked.slice(1).map((variant) => {
    const [a, b] = [floorOf?.(best), floorOf?.(variant)];
    const options: PairOptions = { ...where, ...(a && b && a !== b ? { floors: { a, b } } : {}) };
    return { variant, decision: comparePaired(results, best, variant, kind, figure, options) };
  });
  const tie = [best, ...against.filter((entry) => entry.decision.direction !== 'lower').map((entry) => entry.variant)];
  return { kind, ranked, tie, against, ...(tie.length === 1 ? { winner: best } : {}) };
}
