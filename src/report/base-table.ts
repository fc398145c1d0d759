import type { BaseFacts, RunResults } from '../results/types.js';
import { ARTICLE_BASES, ATTRIBUTION, type ArticleBaseRow } from './article.js';
import { baseOrigin, isRehearsal } from './base-origin.js';
import { mb } from './format.js';
import type { Table } from './table.js';

function cves(facts: BaseFacts): string {
  if (facts.cves.scanner === null) return 'not scanned';
  return 'count' in facts.cves ? `${facts.cves.count} (${facts.cves.scanner})` : `scan failed (${facts.cves.scanner})`;
}

const withArticle = (measured: string, article: ArticleBaseRow | undefined, pick: (row: ArticleBaseRow) => string) =>
  article ? `${measured} (${pick(article)})` : measured;

/** What a stand-in is known to do differently from its upstream at start (the catalog's fidelity); upstream and scratch: nothing. */
function differsText(base: { source: string; differs?: string[] | undefined; bytecode?: string | undefined }): string {
  if (base.source !== 'local') return base.source === 'empty' ? '–' : 'is upstream';
  if (!base.differs) return 'not yet compared';
  const bytecode = base.bytecode ? [`Python bytecode: ${base.bytecode === 'none' ? 'none, as upstream' : 'standard library'}`] : [];
  return [...base.differs, ...bytecode].join('; ') || 'nothing known';
}

/** The article's base image comparison, measured: one row per runtime base, article figures in brackets. */
export function baseTable(results: RunResults): Table {
  const runtimeNames = new Set(
    results.variants.flatMap((variant) => variant.bases.filter((base) => base.role === 'runtime').map((base) => base.name)),
  );
  const runtimeBases = results.bases.filter((base) => runtimeNames.has(base.name));
  const ordered = [
    ...ARTICLE_BASES.map((row) => row.base),
    ...runtimeBases.map((base) => base.name).filter((name) => !ARTICLE_BASES.some((row) => row.base === name)),
  ];
  const rows = ordered.map((name) => {
    const article = ARTICLE_BASES.find((row) => row.base === name);
    const label = article?.label ?? name;
    const base = runtimeBases.find((candidate) => candidate.name === name);
    if (!base?.facts) {
      const why =
        results.unavailableBases.find((candidate) => candidate.name === name)?.reason ??
        base?.factsError ??
        'not used by any variant in this run';
      const fromArticle = (pick: (row: ArticleBaseRow) => string) => (article ? `– (${pick(article)})` : '–');
      return [
        label,
        `not measured: ${why}`,
        fromArticle((row) => row.compressed),
        '–',
        fromArticle((row) => row.packages),
        fromArticle((row) => row.shell),
        fromArticle((row) => row.packageManager),
        fromArticle((row) => row.cves),
        '–',
      ];
    }
    const facts = base.facts;
    return [
      label,
      baseOrigin(base, isRehearsal(results)),
      withArticle(mb(facts.compressedBytes), article, (row) => row.compressed),
      mb(facts.uncompressedBytes),
      withArticle(
        `${facts.packages.count}${facts.packages.database === 'none' ? '' : ` (${facts.packages.database})`}`,
        article,
        (row) => row.packages,
      ),
      withArticle(facts.shell ? 'yes' : 'no', article, (row) => row.shell),
      withArticle(facts.packageManager ?? 'no', article, (row) => row.packageManager),
      withArticle(cves(facts), article, (row) => row.cves),
      differsText(base),
    ];
  });
  return {
    id: 'bases',
    title: 'Base images',
    header: [
      'base',
      'source',
      'compressed (article)',
      'uncompressed',
      'packages (article)',
      'shell (article)',
      'package manager (article)',
      'CVEs (article)',
      'differs from upstream',
    ],
    rows,
    numeric: [false, false, true, true, true, false, false, false, false],
    notes: [
      'Measured on this machine: compressed = layers + config as pushed to the run’s registry; packages counted from the image’s own ' +
        'package database; shell = /bin/sh present; CVEs only from a scanner (trivy or grype) on PATH, otherwise “not scanned”. ' +
        'Differs from upstream: what the catalog records, from the upstream image’s published definition (scenarios/bases.yaml, ' +
        'fidelity), that a stand-in does differently where it matters at start.',
      ATTRIBUTION,
    ],
  };
}
