import type { Provenance, RunResults } from '../results/types.js';
import { provenanceLines } from '../report/provenance-text.js';
import { tableMarkdown } from './render-markdown.js';
import { reportTables } from '../report/report-tables.js';
import { primaryView } from '../results/views.js';
import { hasTimeline } from '../report/timeline-table.js';
import { runtimeBasesWithAnatomy } from '../report/anatomy-tables.js';
import { hostsDifferNote } from '../report/hosts.js';
import { answerTable } from '../report/answer-table.js';

/** One size-against-startup chart per network profile; the first profile's has the plain name. */
export function chartFiles(results: RunResults): Array<{ file: string; profile: string }> {
  const profiles = results.options.profiles.map((profile) => profile.name);
  return profiles.map((profile, index) => ({
    file: index === 0 ? 'size-vs-startup.svg' : `size-vs-startup-${profile.replace(/[^a-z0-9.-]+/gi, '_')}.svg`,
    profile,
  }));
}

/** "completed", or "killed: found dead at …" for a run whose process died under it. */
export const stateWords = (results: RunResults) =>
  results.state === 'killed' && results.foundDeadAt ? `killed: its process was found gone at ${results.foundDeadAt}` : results.state;

/** report.md: the answer first, then the charts, every table, and the provenance last. */
export function reportMarkdown(results: RunResults, renderedBy?: Provenance['harness']): string {
  return [
    `# basebench report`,
    '',
    `Run ${results.runId} (${stateWords(results)}); where and on what it was measured: [Provenance](#provenance), at the end.`,
    '',
    tableMarkdown(answerTable(results)),
    '',
    '## Size against startup',
    '',
    ...(hostsDifferNote(results) ? [`**${hostsDifferNote(results)}**`, ''] : []),
    ...chartFiles(results).flatMap(({ file, profile }) => [`![Compressed image size against cold start, network ${profile}](${file})`, '']),
    ...(hasTimeline(primaryView(results)) ? ['![Where a warm start goes, per variant](timeline.svg)', ''] : []),
    ...(runtimeBasesWithAnatomy(primaryView(results)).length > 0
      ? [
          '![What each base is made of, bytes by kind of file](kinds.svg)',
          '',
          'Every layer of every variant: [anatomy.md](anatomy.md).',
          '',
        ]
      : []),
    ...reportTables(results).flatMap((table) => [tableMarkdown(table), '']),
    '## Provenance',
    '',
    ...provenanceLines(results, renderedBy).map((line) => `${line}  `),
    '',
  ].join('\n');
}
