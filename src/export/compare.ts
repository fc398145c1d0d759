import { decideShift, type Spread } from '../common/stats.js';
import type { Sample, VariantResult } from '../results/types.js';
import { measuredValues, primaryProfile, variantById } from '../report/query.js';
import { decisionWords } from '../report/verdicts.js';
import { engineLabel } from '../report/engine-label.js';
import type { RunResults } from '../results/types.js';
import { enginesOf, primaryView } from '../results/views.js';
import { markdownTable } from '../report/markdown-table.js';
import { summaryRows, type SummaryRow } from '../report/summary-rows.js';
import { picksOf } from '../report/answer-table.js';
import { repeatsText, SAMPLE_KINDS } from '../results/sample-kinds.js';

const COMPARED: ReadonlyArray<[label: string, key: 'coldTotal' | 'pull' | 'startToFirstResponse' | 'warmStartToFirstResponse']> = [
  ['cold total', 'coldTotal'],
  ['pull', 'pull'],
  ['cold start→response', 'startToFirstResponse'],
  ['warm start→response', 'warmStartToFirstResponse'],
];

const cell = (figure: Spread) =>
  figure.median === undefined ? '–' : `${figure.median.toFixed(1)} [${figure.ci!.low.toFixed(1)}–${figure.ci!.high.toFixed(1)}]`;

/** The samples behind each compared figure: two runs share no rounds, so B − A is a two-sample shift, not a paired one. */
const FIGURE_OF: Record<(typeof COMPARED)[number][1], { kind: Sample['kind']; pick: (sample: Sample) => number | undefined }> = {
  coldTotal: { kind: 'cold', pick: (sample) => sample.totalMs },
  pull: { kind: 'cold', pick: (sample) => sample.pullMs },
  startToFirstResponse: { kind: 'cold', pick: (sample) => sample.startToFirstResponseMs },
  warmStartToFirstResponse: { kind: 'warm', pick: (sample) => sample.startToFirstResponseMs },
};

function verdict(a: VariantResult | undefined, b: VariantResult | undefined, key: (typeof COMPARED)[number][1], profile: string): string {
  const { kind, pick } = FIGURE_OF[key];
  const values = (variant: VariantResult | undefined) => measuredValues(variant?.samples ?? [], kind, pick, profile);
  const decision = decideShift(values(a), values(b));
  return decisionWords(decision, { lower: 'B faster', higher: 'B slower' });
}

/** Things that make two runs unlike, said before their numbers are set side by side. */
function differences(a: RunResults, b: RunResults): string[] {
  const notes: string[] = [];
  const pairs: Array<[string, unknown, unknown]> = [
    [
      'host CPU',
      `${a.provenance.host.cpuCount} × ${a.provenance.host.cpuModel}`,
      `${b.provenance.host.cpuCount} × ${b.provenance.host.cpuModel}`,
    ],
    ['kernel', a.provenance.host.kernel, b.provenance.host.kernel],
    ['engine', engineLabel(enginesOf(a)[0]!), engineLabel(enginesOf(b)[0]!)],
    ['engine version', enginesOf(a)[0]!.version, enginesOf(b)[0]!.version],
    ['storage driver', enginesOf(a)[0]!.storageDriver, enginesOf(b)[0]!.storageDriver],
    ['harness commit', a.provenance.harness.gitCommit, b.provenance.harness.gitCommit],
    ['page cache dropped', a.options.dropCaches, b.options.dropCaches],
    ...SAMPLE_KINDS.map((kind): [string, unknown, unknown] => [
      `${kind.name} repeats`,
      a.options[kind.repeat.field],
      b.options[kind.repeat.field],
    ]),
  ];
  for (const [what, left, right] of pairs) if (left !== right) notes.push(`${what} differs: ${String(left)} (A) vs ${String(right)} (B)`);
  return notes;
}

/**
 * How a run sampled and what it decided: its design (fixed repeats, or until decided up to a cap),
 * the samples it took (warm-ups and failures included: they cost time too), its wall time from
 * start to finish (builds included), and how many of its picks per language and kind are decided.
 */
function samplingRow(label: string, run: RunResults): string[] {
  const { options } = run;
  const design = options.sequential
    ? `until decided (looks at rounds ${options.sequential.looks.join(', ')}; cap ${options.sequential.maxRounds})`
    : `fixed: ${repeatsText(options)}`;
  const samples = run.variants.flatMap((variant) => variant.samples);
  const wallMs = run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : undefined;
  const picks = picksOf(run);
  const decided = picks.filter((pick) => pick.verdict.winner).length;
  return [
    label,
    design,
    String(samples.length),
    String(samples.filter((sample) => !sample.warmup).length),
    wallMs === undefined ? 'unfinished' : `${(wallMs / 60_000).toFixed(1)} min`,
    `${decided} of ${picks.length}`,
  ];
}

/**
 * Per variant present in both runs: medians with their intervals, the ratio B/A, and whether the
 * intervals overlap. A run on several engines is compared on its first engine unless a view of
 * another is given (results/views.ts: `viewOn(run, 'podman')`), so engines can be set side by side.
 */
export function compareRuns(runA: RunResults, runB: RunResults): string {
  const [a, b] = [primaryView(runA), primaryView(runB)];
  const rowsA = new Map(summaryRows(a).map((row) => [row.id, row]));
  const rows = summaryRows(b)
    .filter((row) => rowsA.has(row.id))
    .flatMap((rowB) => {
      const rowA = rowsA.get(rowB.id) as SummaryRow;
      return COMPARED.filter(([, key]) => rowA[key].median !== undefined && rowB[key].median !== undefined).map(([label, key]) => [
        rowB.id,
        label,
        cell(rowA[key]),
        cell(rowB[key]),
        (rowB[key].median! / rowA[key].median!).toFixed(3),
        verdict(variantById(a, rowB.id), variantById(b, rowB.id), key, primaryProfile(b)),
      ]);
    });
  const notes = differences(a, b);
  return [
    `A: run ${a.runId} (${a.startedAt}) on ${engineLabel(enginesOf(a)[0]!)}  `,
    `B: run ${b.runId} (${b.startedAt}) on ${engineLabel(enginesOf(b)[0]!)}  `,
    ...(notes.length > 0 ? ['', ...notes.map((note) => `- ${note}`)] : []),
    '',
    'How each run sampled: its design, the samples it took (all, and measured: without warm-ups), its wall time from ' +
      'start to finish (builds included), and its picks per language and kind that are decided (a pick named, not a tie).',
    '',
    markdownTable(
      ['run', 'design', 'samples', 'measured', 'wall time', 'picks decided'],
      [samplingRow('A', runA), samplingRow('B', runB)],
      [false, false, true, true, true, false],
    ),
    '',
    markdownTable(['variant', 'figure', 'A median ms [interval]', 'B median ms [interval]', 'B/A', 'note'], rows, [
      false,
      false,
      true,
      true,
      true,
      false,
    ]),
    '',
    'Intervals are the distribution-free intervals of each median (see summary.md for their coverage). The note is the ' +
      'shift B − A (the median of all differences between a sample of B and one of A) with its distribution-free interval ' +
      '(Mann–Whitney) at 95%: the two runs share no rounds, so drift between them is not cancelled, and on different hosts ' +
      'milliseconds do not compare (see the differences listed above).',
    '',
  ].join('\n');
}
