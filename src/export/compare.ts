import { decideShift, reachesLevel, type Spread } from '../common/stats.js';
import type { Sample, VariantResult } from '../results/types.js';
import { looksTaken, measuredValues, primaryProfile, variantById } from '../report/query.js';
import { comparePaired, decisionLevel, decisionLevelText, decisionWords, medianWithInterval } from '../report/verdicts.js';
import { partnerOn } from '../report/engine-comparisons.js';
import { engineLabel } from '../report/engine-label.js';
import type { RunResults } from '../results/types.js';
import { enginesOf, primaryView } from '../results/views.js';
import { markdownTable } from '../report/markdown-table.js';
import { summaryRows, type SummaryRow } from '../report/summary-rows.js';
import { picksOf } from '../report/answer-table.js';
import { hostLabel, MACHINES_DIFFER, sameHost } from '../report/hosts.js';
import { repeatsText, SAMPLE_KINDS } from '../results/sample-kinds.js';

const COMPARED: ReadonlyArray<[label: string, key: 'coldTotal' | 'pull' | 'startToFirstResponse' | 'warmStartToFirstResponse']> = [
  ['cold total', 'coldTotal'],
  ['pull', 'pull'],
  ['cold start→response', 'startToFirstResponse'],
  ['warm start→response', 'warmStartToFirstResponse'],
];

const cell = (figure: Spread) => medianWithInterval(figure, (milliseconds) => milliseconds.toFixed(1));

type FigureKey = (typeof COMPARED)[number][1];

/** The samples behind each compared figure. */
const FIGURE_OF: Record<FigureKey, { kind: Sample['kind']; pick: (sample: Sample) => number | undefined }> = {
  coldTotal: { kind: 'cold', pick: (sample) => sample.totalMs },
  pull: { kind: 'cold', pick: (sample) => sample.pullMs },
  startToFirstResponse: { kind: 'cold', pick: (sample) => sample.startToFirstResponseMs },
  warmStartToFirstResponse: { kind: 'warm', pick: (sample) => sample.startToFirstResponseMs },
};

/**
 * B − A in words. Two runs share no rounds: a two-sample shift. Two views of one run (its engines or
 * compressions) took their samples in the same rounds: B's sample is paired with A's of its round,
 * so the machine's drift cancels, as in the run's own engine table.
 */
function verdict(
  a: VariantResult | undefined,
  b: VariantResult | undefined,
  key: FigureKey,
  profile: string,
  oneRun: RunResults | undefined,
): string {
  const { kind, pick } = FIGURE_OF[key];
  const values = (variant: VariantResult | undefined) => measuredValues(variant?.samples ?? [], kind, pick, profile);
  const sampleOfA = a?.samples[0];
  const decision =
    oneRun && a && b && sampleOfA
      ? comparePaired(oneRun, b, a, kind, pick, { profile, partner: partnerOn(sampleOfA.engine ?? '', sampleOfA.compression) })
      : decideShift(values(a), values(b));
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
    ? `until decided (looks at rounds ${looksTaken(run).join(', ') || 'none yet'}; cap ${options.sequential.maxRounds})`
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
 * Where a variant stands in its own run: its rank among its language's variants and its median over the fastest's.
 * The rank is 1 + how many of them beat it round by round in that run (paired, interval excluding 0), so candidates
 * the run could not tell apart share a rank: a tie on both hosts reads as the same rank, not as a flip.
 */
interface Placing {
  /** Undefined where the run has too few rounds to decide any pair of its language at its level: no rank to give. */
  rank?: number;
  shared: boolean;
  of: number;
  overFastest: number;
}

/** Each variant's placing per language, among the variants both runs measured, so the two runs rank the same set. */
function placings(run: RunResults, rows: readonly SummaryRow[], key: FigureKey, common: ReadonlySet<string>): Map<string, Placing> {
  const { kind, pick } = FIGURE_OF[key];
  const profile = primaryProfile(run);
  const placed = new Map<string, Placing>();
  const measured = rows.filter((row) => common.has(row.id) && row[key].median !== undefined);
  for (const language of new Set(measured.map((row) => row.language))) {
    const group = measured.filter((row) => row.language === language);
    const fastest = Math.min(...group.map((row) => row[key].median!));
    // Each pair once: x against y decides which (if either) beats the other.
    const beatenBy = new Map(group.map((row) => [row.id, 0]));
    let decidable = false;
    for (const [index, x] of group.entries()) {
      for (const y of group.slice(index + 1)) {
        const decision = comparePaired(run, variantById(run, x.id)!, variantById(run, y.id)!, kind, pick, { profile });
        decidable ||= reachesLevel(decision);
        const loser = decision.direction === 'lower' ? y : decision.direction === 'higher' ? x : undefined;
        if (loser) beatenBy.set(loser.id, beatenBy.get(loser.id)! + 1);
      }
    }
    // With too few rounds for the level (5 pairs at 95%), nothing can beat anything: "1=" for all would read as a verdict.
    const ranks = new Map(group.map((row) => [row.id, decidable ? 1 + beatenBy.get(row.id)! : undefined]));
    for (const row of group) {
      const rank = ranks.get(row.id);
      const shared = rank !== undefined && group.some((other) => other !== row && ranks.get(other.id) === rank);
      placed.set(row.id, { ...(rank === undefined ? {} : { rank }), shared, of: group.length, overFastest: row[key].median! / fastest });
    }
  }
  return placed;
}

const rankText = (placing: Placing) => `${placing.rank}${placing.shared ? '=' : ''}`;

const placingCell = (figure: Spread, placing: Placing) =>
  `${figure.median!.toFixed(1)} (${placing.rank === undefined ? 'no rank' : `${rankText(placing)} of ${placing.of}`}, ` +
  `${placing.overFastest.toFixed(2)}×)`;

function placingWords(a: Placing, b: Placing): string {
  const ranked = a.rank !== undefined && b.rank !== undefined;
  const rank = !ranked
    ? `no rank in ${a.rank === undefined ? (b.rank === undefined ? 'either run' : 'A') : 'B'} (too few rounds to decide)`
    : rankText(a) === rankText(b)
      ? `same rank (${rankText(a)} of ${a.of})`
      : `rank ${rankText(a)} → ${rankText(b)} of ${a.of}`;
  return `${rank}; ${a.overFastest.toFixed(2)}× → ${b.overFastest.toFixed(2)}× its language's fastest`;
}

/**
 * Runs from different hosts: milliseconds from two machines do not compare (MACHINES_DIFFER), so
 * each run places each variant within its own language, and only those placings are set side by side.
 */
function placingRows(a: RunResults, b: RunResults, rowsA: readonly SummaryRow[], rowsB: readonly SummaryRow[]): string[][] {
  const common = new Set(rowsA.map((row) => row.id).filter((id) => rowsB.some((row) => row.id === id)));
  const placed = new Map(COMPARED.map(([, key]) => [key, [placings(a, rowsA, key, common), placings(b, rowsB, key, common)]]));
  return rowsB.flatMap((rowB) =>
    COMPARED.flatMap(([label, key]) => {
      const [placedA, placedB] = placed.get(key)!;
      const [a, b] = [placedA!.get(rowB.id), placedB!.get(rowB.id)];
      if (!a || !b) return [];
      const rowA = rowsA.find((row) => row.id === rowB.id)!;
      return [[rowB.id, label, placingCell(rowA[key], a), placingCell(rowB[key], b), placingWords(a, b)]];
    }),
  );
}

/**
 * Per variant present in both runs: medians with their intervals, the ratio B/A and the shift
 * B − A in words; for runs from different hosts, each variant's placing in its own run instead.
 * A run on several engines is compared on its first engine unless a view of another is given
 * (results/views.ts: `viewOn(run, 'podman')`), so engines can be set side by side.
 */
export function compareRuns(runA: RunResults, runB: RunResults): string {
  const [a, b] = [primaryView(runA), primaryView(runB)];
  const [rowsA, rowsB] = [summaryRows(a), summaryRows(b)];
  const oneHost = sameHost(a.provenance.host, b.provenance.host);
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
    ...(oneHost ? shiftTable(a, b, rowsA, rowsB) : placingTable(a, b, rowsA, rowsB)),
    '',
  ].join('\n');
}

/** One host: each figure's medians, B/A and the shift B − A in words. */
function shiftTable(a: RunResults, b: RunResults, rowsA: readonly SummaryRow[], rowsB: readonly SummaryRow[]): string[] {
  const byId = new Map(rowsA.map((row) => [row.id, row]));
  // Two views of one run: B's samples paired with A's by round, at the run's own decision level.
  const oneRun = a.runId === b.runId ? b : undefined;
  const rows = rowsB
    .filter((row) => byId.has(row.id))
    .flatMap((rowB) => {
      const rowA = byId.get(rowB.id)!;
      return COMPARED.filter(([, key]) => rowA[key].median !== undefined && rowB[key].median !== undefined).map(([label, key]) => [
        rowB.id,
        label,
        cell(rowA[key]),
        cell(rowB[key]),
        (rowB[key].median! / rowA[key].median!).toFixed(3),
        verdict(variantById(a, rowB.id), variantById(b, rowB.id), key, primaryProfile(b), oneRun),
      ]);
    });
  return [
    markdownTable(['variant', 'figure', 'A median ms [interval]', 'B median ms [interval]', 'B/A', 'note'], rows, [
      false,
      false,
      true,
      true,
      true,
      false,
    ]),
    '',
    'Intervals are the distribution-free intervals of each median (each prints its coverage). ' +
      (oneRun
        ? 'A and B are two views of one run, sampled in the same rounds: the note is the median of the per-round differences ' +
          `B − A with its distribution-free interval at ${decisionLevelText(decisionLevel(oneRun))}, paired by round, so the ` +
          'machine’s drift cancels.'
        : 'The note is the shift B − A (the median of all differences between a sample of B and one of A) with its ' +
          'distribution-free interval (Mann–Whitney) at 95%: the two runs share no rounds, so drift between them is not cancelled.'),
  ];
}

/** Different hosts: each variant's placing within its own run, side by side; no B/A and no shift in milliseconds. */
function placingTable(a: RunResults, b: RunResults, rowsA: readonly SummaryRow[], rowsB: readonly SummaryRow[]): string[] {
  return [
    `A ran on ${hostLabel(a.provenance.host)}, B on ${hostLabel(b.provenance.host)}. Milliseconds from two machines do not ` +
      `compare (${MACHINES_DIFFER}), so ` +
      'each run places each variant within its language, among the variants both runs measured: its rank (1 + how many ' +
      `of them beat it round by round in that run, at ${decisionLevelText(decisionLevel(a))}; “=” where variants the run ` +
      'could not tell apart share it; no rank where the run has too few rounds to decide anything at that level) and its ' +
      "median as a multiple of that language's fastest median. Only those placings " +
      "are set side by side; each run's median is its own host's.",
    '',
    markdownTable(
      ['variant', 'figure', 'A median ms (rank, × fastest)', 'B median ms (rank, × fastest)', 'within each run, A → B'],
      placingRows(a, b, rowsA, rowsB),
      [false, false, true, true, false],
    ),
  ];
}
