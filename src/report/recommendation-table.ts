import { ARTICLE_RECOMMENDATIONS, ATTRIBUTION } from './article.js';
import type { RunResults, VariantResult } from '../results/types.js';
import { mb, ms } from './format.js';
import { coldTotal, measured, primaryProfile, runtimeBase } from './query.js';
import type { Table } from './table.js';
import { hostsDifferNote } from './hosts.js';

const LANGUAGES = ['go', 'rust', 'java', 'node', 'python'] as const;

function pick(variants: VariantResult[], score: (variant: VariantResult) => number): VariantResult | undefined {
  return [...variants].sort((a, b) => score(a) - score(b))[0];
}

/** Per language: the smallest image that starts and the fastest cold start, beside the article's pick. */
export function recommendationTable(results: RunResults): Table {
  const profile = primaryProfile(results);
  const rows = LANGUAGES.map((language) => {
    const started = results.variants.filter((variant) => variant.language === language && measured(variant, profile)) as Array<
      VariantResult & { image: { compressedBytes: number } }
    >;
    const article = ARTICLE_RECOMMENDATIONS[language]!;
    if (started.length === 0) return [language, 'nothing measured', '–', article.label, ''];
    const smallest = pick(started, (variant) => variant.image!.compressedBytes)!;
    const fastest = pick(started, (variant) => coldTotal(variant, profile)!)!;
    const agrees = [smallest, fastest].every((variant) => article.bases.includes(runtimeBase(variant) ?? ''));
    const verdict = agrees
      ? 'agrees'
      : `differs: measured ${[...new Set([smallest, fastest].map((variant) => variant.variant))].join(' / ')} vs article ${article.label}`;
    const note = smallest.upx ? `${verdict}; the smallest packs its binary with UPX` : verdict;
    return [
      language,
      `${smallest.variant} (${mb(smallest.image!.compressedBytes)})`,
      `${fastest.variant} (${ms(coldTotal(fastest, profile))})`,
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
        'median cold total (pull + create + start→response). UPX variants count as their own variants.',
      ...(hostsDifferNote(results) ? [hostsDifferNote(results)!] : []),
      ATTRIBUTION,
    ],
  };
}
