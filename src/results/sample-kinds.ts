/**
 * The sample kinds, declared once: each kind's name, what it starts from and pulls, the option
 * that says how many of it a variant gets, and how the reports name it and rank by it. Whatever
 * lists kinds (results.json's schema, the command line, the schedule, the summaries, the answer)
 * reads this list; the sampler that takes one is its entry in measure/samples.ts (SAMPLERS).
 */
export interface SampleKindDeclaration {
  name: string;
  /** What the engine holds of the image before the timed part; the sampler proves it. */
  means: string;
  /** "base cached": the kind in a sentence or a table cell. */
  words: string;
  /**
   * Samples of it per variant: the command-line option, the field results.json records it in,
   * its least value and its default (a number, or the cold samples' count).
   */
  repeat: { option: string; field: string; min: number; default: number | 'as cold' };
  /** Whether it pulls through every network profile and layer compression (else once per engine, the direct way). */
  pullsThroughPaths: boolean;
  /**
   * What a pick among variants of one language ranks by: a figure of the sample (named, not a function of it, so
   * that this list and the schema that reads it do not depend on each other).
   */
  ranksBy: 'totalMs' | 'startToFirstResponseMs' | 'pullMs';
  /**
   * A kind a variant can't take stands for another there: with no base to cache (scratch), a start with the base
   * cached is its cold start.
   */
  otherwise?: 'cold';
}

export const SAMPLE_KINDS = [
  {
    name: 'cold',
    means: 'nothing of the image on the engine',
    words: 'cold',
    repeat: { option: 'repeat', field: 'repeat', min: 1, default: 5 },
    pullsThroughPaths: true,
    ranksBy: 'totalMs',
  },
  {
    name: 'base-cached',
    means: "the runtime base's layers on the engine, the app's pulled (a node that runs other images on the same base)",
    words: 'base cached',
    repeat: { option: 'base-cached-repeat', field: 'baseCachedRepeat', min: 0, default: 'as cold' },
    pullsThroughPaths: false,
    ranksBy: 'totalMs',
    otherwise: 'cold',
  },
  {
    name: 'warm',
    means: 'the whole image on the engine',
    words: 'warm',
    repeat: { option: 'warm-repeat', field: 'warmRepeat', min: 0, default: 10 },
    pullsThroughPaths: false,
    ranksBy: 'totalMs',
  },
] as const satisfies readonly SampleKindDeclaration[];

type SampleKindName = (typeof SAMPLE_KINDS)[number]['name'];
/** The options field each kind's count is in: repeat, baseCachedRepeat, warmRepeat. */
export type RepeatField = (typeof SAMPLE_KINDS)[number]['repeat']['field'];

export const SAMPLE_KIND_NAMES = SAMPLE_KINDS.map((kind) => kind.name) as [SampleKindName, ...SampleKindName[]];

export function sampleKindOf(name: SampleKindName): SampleKindDeclaration {
  return SAMPLE_KINDS.find((kind) => kind.name === name)!;
}

/** Samples of each kind per variant, as a run's options say (a kind newer than the run: none). */
export function repeatsOf(options: Partial<Record<RepeatField, number>>): Record<SampleKindName, number> {
  return Object.fromEntries(SAMPLE_KINDS.map((kind) => [kind.name, options[kind.repeat.field] ?? 0])) as Record<SampleKindName, number>;
}

/** "a, b and c" */
const listText = (parts: readonly string[]) =>
  parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts.join('');

/** "5 cold, 5 base-cached and 10 warm": the samples per variant a run's options asked for. */
export function repeatsText(options: Partial<Record<RepeatField, number>>): string {
  const repeats = repeatsOf(options);
  return listText(SAMPLE_KINDS.map((kind) => `${repeats[kind.name]} ${kind.name}`));
}

/** "cold, base-cached and warm": the kinds a run's options take (sampling until decided takes one of each per round). */
export function kindsTakenText(options: Partial<Record<RepeatField, number>>): string {
  const repeats = repeatsOf(options);
  return listText(SAMPLE_KIND_NAMES.filter((kind) => repeats[kind] > 0));
}
