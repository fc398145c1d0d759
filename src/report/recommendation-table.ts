import { ARTICLE_RECOMMENDATIONS, ATTRIBUTION } from './article.js';
import type { RunResults, VariantResult } from '../results/types.js';
import { mb, ms } from './format.js';
import { coldTotal, measured, primaryProfile, runtimeBase } from './query.js';
import type { Table } from './table.js';
import { hostsDifferNote } from './hosts.js';
import { floorOf } from './floor-table.js';
import { LANGUAGES } from './answer-table.js';
import { comparePaired, decisionLevel, decisionLevelText, pickAmong } from './verdicts.js';

function pick<T extends VariantResult>(variants: T[], score: (variant: T) => number): T | undefined {
  return [...variants].sort((a, b) => score(a) - score(b))[0];
}

/** A variant's cold total above the floor of its own run or part, paired by round (median); undefined without a floor. */
function coldTotalAboveFloor(results: RunResults, variant: VariantResult, profile: string): number | undefined {
  const floor = floorOf(results, variant.id);
  return floor ? comparePaired(results, variant, floor, 'cold', (sample) => sample.totalMs, { profile }).median : undefined;
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
    // Paired by round: the machine's drift cancels (and, in a merged run, the host, since a language is measured on one).
    const cold = pickAmong(results, started, 'cold', profile, (variant) => floorOf(results, variant.id))!;
    const above = coldTotalAboveFloor(results, cold.ranked[0]!, profile);
    const fastest = cold.tie;
    const agrees = [smallest, ...fastest].some((variant) => article.bases.includes(runtimeBase(variant) ?? ''));
    const measuredNames = [...new Set([smallest, ...fastest].map((variant) => variant.variant))].join(' / ');
    const verdict = agrees ? 'agrees' : `differs: measured ${measuredNames} vs article ${article.label}`;
    const note = smallest.upx ? `${verdict}; the smallest packs its binary with UPX` : verdict;
    const lead = cold.ranked[0]!;
    const figures = `${ms(coldTotal(lead, profile))}${above === undefined ? '' : `; ${ms(above)} above the floor`}`;
    return [
      language,
      `${smallest.variant} (${mb(smallest.image!.compressedBytes)})`,
      cold.winner ? `${lead.variant} (${figures})` : `tie: ${fastest.map((variant) => variant.variant).join(', ')} (${figures})`,
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
        'cold total (pull + create + start→response), named only where it beats every other candidate round by round (interval of ' +
        `the median per-round difference at ${decisionLevelText(decisionLevel(results))} excluding 0), else a tie; figures are the ` +
        'fastest median’s. UPX variants count as their own variants. "Agrees" where the article’s base is among them.',
      ...(hostsDifferNote(results) ? [hostsDifferNote(results)!] : []),
      ATTRIBUTION,
    ],
  };
}
