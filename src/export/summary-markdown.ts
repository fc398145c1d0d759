import { engineLabel } from '../report/engine-label.js';
import { samplingText } from '../report/provenance-text.js';
import type { RunResults } from '../results/types.js';
import { enginesOf, views } from '../results/views.js';
import { megabytes, millis } from '../report/format.js';
import { markdownTable } from '../report/markdown-table.js';
import { outlierWarnings } from './outliers.js';
import { isRehearsal, sourceWord } from '../report/base-origin.js';
import { p95BeyondTimeout, type SampleOutcomes, successText, summaryRows, type SummaryRow } from '../report/summary-rows.js';

const medianAndP95 = (spread: SummaryRow['pull'], outcome?: SampleOutcomes) =>
  spread.median === undefined
    ? '–'
    : `${millis(spread.median)} / ${outcome && p95BeyondTimeout(outcome) ? '> timeout' : millis(spread.p95)}` +
      `${spread.outliers.length > 0 ? ' ⚠' : ''}`;

const medianInterval = (spread: SummaryRow['pull']) =>
  spread.ci === undefined ? '–' : `${millis(spread.ci.low)}–${millis(spread.ci.high)} (${(spread.ci.coverage * 100).toFixed(1)}%)`;

function describeBases(results: RunResults): string {
  const local = results.bases.filter((base) => base.source === 'local');
  const upstream = results.bases.filter((base) => base.source === 'upstream');
  const seconds = (bases: typeof local) => (bases.reduce((sum, base) => sum + (base.obtainMs ?? 0), 0) / 1000).toFixed(0);
  const parts = [
    `bases (--bases ${results.provenance.bases.mode}): ${upstream.length} upstream, ${local.length} local stand-in(s) built from ` +
      `Debian packages`,
  ];
  for (const how of ['built', 'loaded'] as const) {
    const these = local.filter((base) => base.obtained === how);
    if (these.length > 0) parts.push(`${these.length} ${how} ${how === 'built' ? 'this run' : 'from the cache'} in ${seconds(these)} s`);
  }
  const present = local.filter((base) => base.obtained === 'present').length;
  if (present > 0) parts.push(`${present} already in the engine`);
  if (results.unavailableBases.length > 0) parts.push(`${results.unavailableBases.length} unavailable`);
  return parts.join(', ');
}

function figuresTable(rows: readonly SummaryRow[]): string {
  const measured = rows.filter((row) => row.coldTotal.n > 0 || row.warmStartToFirstResponse.n > 0);
  return markdownTable(
    [
      'variant',
      'runtime base',
      'compressed MB',
      'uncompressed MB',
      'layers',
      'cold completed',
      'pull ms (median / p95)',
      'start→response ms',
      'cold total ms',
      'cold total: interval of the median',
      'warm start→response ms',
    ],
    measured.map((row) => [
      row.id,
      row.runtimeBase,
      megabytes(row.compressedBytes),
      megabytes(row.uncompressedBytes),
      String(row.layerCount ?? ''),
      successText(row.outcomes.cold),
      medianAndP95(row.pull),
      medianAndP95(row.startToFirstResponse, row.outcomes.cold),
      medianAndP95(row.coldTotal, row.outcomes.cold),
      medianInterval(row.coldTotal),
      `${medianAndP95(row.warmStartToFirstResponse, row.outcomes.warm)}` +
        `${row.outcomes.warm.failed > 0 ? ` (${successText(row.outcomes.warm)})` : ''}`,
    ]),
    [false, false, true, true, true, true, true, true, true, true, true],
  );
}

function engineLine(results: RunResults): string {
  const { provenance: p } = results;
  const engines = enginesOf(results);
  const host = `kernel ${p.host.kernel}, ${p.host.cpuCount} × ${p.host.cpuModel}`;
  return (
    `${engines.length > 1 ? 'Engines' : 'Engine'}: ` +
    `${engines.map((engine) => `${engineLabel(engine)} (${engine.storageDriver}, cgroup v${engine.cgroupVersion})`).join('; ')}; ${host}`
  );
}

const shortCommit = (commit: string) => (/^[0-9a-f]{40}$/.test(commit) ? commit.slice(0, 12) : commit);

const STATE_TEXT: Record<RunResults['state'], string> = {
  completed: 'Completed',
  interrupted: 'Interrupted (partial results)',
  running: 'In progress (partial results)',
  'engine-lost': 'Stopped: an engine went away and did not come back (partial results)',
  'registry-lost': 'Stopped: the registry went away and did not come back (partial results)',
  killed: 'Killed: its process was found gone while it ran (partial results; nothing it measured is lost)',
};

export function summaryMarkdown(results: RunResults): string {
  const { provenance: p, options } = results;
  const [first, ...others] = views(results);
  const rows = summaryRows(first!.results);
  const failed = rows.filter((row) => row.state !== 'completed');
  const table = figuresTable(rows);
  const lines = [
    `# basebench summary: run ${results.runId}`,
    '',
    `${STATE_TEXT[results.state]}; started ${results.startedAt}${results.finishedAt ? `, finished ${results.finishedAt}` : ''}.`,
    `${samplingText(results)}, in ` +
      `interleaved rounds shuffled with seed ` +
      `${options.seed}${options.dropCaches ? ', page cache dropped before each cold sample' : ''}; registry ${p.registry.kind} ` +
      `(${p.registry.version}); ${describeBases(results)}.`,
    `${engineLine(results)}; basebench ${p.harness.version} at ${shortCommit(p.harness.gitCommit)}` +
      `${p.harness.gitDirty ? ' (uncommitted changes)' : ''}.`,
    '',
    table,
    '',
    ...(others.length > 0
      ? [`The table above is ${first!.engine.name}'s (gzip layers); every other engine and compression follows.`, '']
      : []),
    'Times in milliseconds on a monotonic clock; ⚠ marks a figure with outliers (see below). The interval of the median is ' +
      'distribution-free (order statistics), with its exact coverage. Pull: cold pull from the registry after every layer of the ' +
      'image was removed and verified absent. Start→response: from the start API call to the first HTTP response with the expected ' +
      'status and body. Cold total: pull + create + start→response. Warm: the same start with the image already present.',
  ];
  for (const view of others) {
    lines.push(
      '',
      `## On ${engineLabel(view.engine)}${view.compression === 'zstd' ? ', zstd layers' : ''}`,
      '',
      figuresTable(summaryRows(view.results)),
    );
  }
  if (results.bases.length > 0) {
    lines.push(
      '',
      '## Bases',
      '',
      markdownTable(
        ['base', 'source', 'reference', 'mirror', 'digest', 'stands in for', 'note'],
        results.bases.map((base) => [
          base.name,
          sourceWord(base, isRehearsal(results)),
          base.mirror?.upstream ?? base.ref,
          base.mirror?.via ?? '',
          base.digest.slice(0, 19),
          base.standsInFor ?? '',
          base.note ?? '',
        ]),
      ),
    );
  }
  const warnings = outlierWarnings(results);
  if (warnings.length > 0) lines.push('', '## Outliers', '', ...warnings.map((warning) => `- ${warning}`));
  if (failed.length > 0) {
    lines.push(
      '',
      '## Failed or skipped',
      '',
      markdownTable(
        ['variant', 'state', 'reason'],
        failed.map((row) => [row.id, row.state, row.reason ?? '']),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
