import { ARTICLE_RECOMMENDATIONS, ATTRIBUTION } from './article.js';
import type { RunResults, VariantResult } from '../results/types.js';
import { mb, ms } from './format.js';
import { coldTotal, measured, primaryProfile, runtimeBase } from './query.js';
import type { Table } from './table.js';
import { hostsDifferNote } from './hosts.js';
import { aboveFloor, floorOf } from './floor-table.js';

const LANGUAGES = ['go', 'rust', 'java', 'node', 'python'] as const;

function pick<T extends VariantResult>(variants: T[], score: (variant: T) => number): T | undefined {
  return [...variants].sort((a, b) => score(a) - score(b))[0];
}

/** A variant's cold total above the floor of its own run or part, paired by round (median); undefined without a floor. */
function coldTotalAboveFloor(results: RunResults, variant: VariantResult, profile: string): number | undefined {
  const floor = floorOf(results, variant.id);
  return floor ? aboveFloor(variant, floor, 'cold', (sample) => sample.totalMs, profile).median : undefined;
}

/** Per language: the smallest image that starts and the fastest cold start, beside the article's pick. */
export function recommendationTable(results: RunResults): Table {
  const profile = primaryProfile(results);
  const rows = LANGUAGES.map((language) => {
    const started = results.variants.filter(
      (variant) => !variant.floor && variant.language === language && measured(variant, profile),
    ) as Array<VariantResult & { image: { compressedBytes: number } }>;
    const article = ARTICLE_RECOMMENDATIONS[language]!;
    if (started.length === 0) return [language, 'nothing measured', '–', article.label, ''];
    const smallest = pick(started, (variant) => variant.image!.compressedBytes)!;
    // Above the floor where every candidate has it: paired by round, it takes out the machine's drift and, in a merged run, the host.
    const above = new Map(started.map((variant) => [variant, coldTotalAboveFloor(results, variant, profile)]));
    const byFloor = [...above.values()].every((value) => value !== undefined);
    const fastest = pick(started, (variant) => (byFloor ? above.get(variant)! : coldTotal(variant, profile)!))!;
    const agrees = [smallest, fastest].every((variant) => article.bases.includes(runtimeBase(variant) ?? ''));
    const verdict = agrees
      ? 'agrees'
      : `differs: measured ${[...new Set([smallest, fastest].map((variant) => variant.variant))].join(' / ')} vs article ${article.label}`;
    const note = smallest.upx ? `${verdict}; the smallest packs its binary with UPX` : verdict;
    return [
      language,
      `${smallest.variant} (${mb(smallest.image!.compressedBytes)})`,
      `${fastest.variant} (${ms(coldTotal(fastest, profile))}${byFloor ? `; ${ms(above.get(fastest))} above the floor` : ''})`,
      article.label,
      note,
    ];
  });
  return {
    id: 'recommendation',
    title: 'Which base, per language',
    header: ['language', 'smallest image that starts', 'fastest cold start', 'article recommends', 'note'],
    rows,
    numeric: [false, false, false, false, false],
    notes: [
      'Measured among the variants of this run that answered: smallest by compressed size (what a cold pull transfers), fastest by ' +
        'cold total (pull + create + start→response): by its median above the engine’s floor where the run measured one (the ' +
        'per-round differences of "Above the engine’s floor", free of the machine’s drift and, in a merged run, of the host), else ' +
        'by its median. UPX variants count as their own variants.',
      ...(hostsDifferNote(results) ? [hostsDifferNote(results)!] : []),
      ATTRIBUTION,
    ],
  };
}
