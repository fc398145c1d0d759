/**
 * README's quoted figures, computed from the committed runs they cite, so that they cannot go
 * stale: README holds each between markers naming its run and figure,
 *   <!-- figure results/latest floor-cold-total -->268 ms<!-- /figure -->
 * `npm run docs` rewrites every marked figure, and a unit test fails when one disagrees. The
 * harness's own benchmarks write pages, not runs: a figure may name a page instead
 * (page-figures.ts), and a whole table of one is copied between table markers,
 *   <!-- table results/network.md 1 -->
 *
 *   | profile | link | … |
 *
 *   <!-- /table -->
 */
import { spread } from '../common/stats.js';
import type { RunResults, SampleKind } from '../results/types.js';
import { enginesOf, primaryView, viewOn } from '../results/views.js';
import { comparisonOf, engineComparisons, type VariantComparison, zstdComparisons } from './engine-comparisons.js';
import { picksOf } from './answer-table.js';
import { floorOf, warmAgainstCold } from './floor-table.js';
import { bytecodeTable } from './bytecode-table.js';
import { mb, ms } from './format.js';
import { POD_PHASES } from './pod-phases-table.js';
import { fanOutFigures } from './fan-out-table.js';
import { looksTaken, measuredValues, medianOf, memoryAgreement, memoryAgreementText, startCallRange } from './query.js';
import { coverageText, decisionLevel, decisionWords } from './verdicts.js';
import { SAMPLE_KIND_NAMES } from '../results/sample-kinds.js';

export const FIGURE_MARKER = /<!-- figure (\S+) (\S+) -->([\s\S]*?)<!-- \/figure -->/g;
export const TABLE_MARKER = /<!-- table (\S+) (\d+) -->\n\n([\s\S]*?)\n<!-- \/table -->/g;

/** The sample kind a figure's name gives, if it is one. */
const kindNamed = (name: string | undefined): SampleKind | undefined => SAMPLE_KIND_NAMES.find((kind) => kind === name);

function floorMedian(results: RunResults, kind: SampleKind, figure: 'totalMs' | 'startToFirstResponseMs'): string {
  const floor = floorOf(results);
  if (!floor) throw new Error(`run ${results.runId} has no floor`);
  return ms(spread(measuredValues(floor.samples, kind, (sample) => sample[figure])).median);
}

/** "warm slower in N (each named, with its difference), faster in M (…), no difference found in K of T" */
function warmVsColdText(results: RunResults): string {
  const words = { lower: 'warm faster', higher: 'warm slower' };
  const decisions = results.variants
    .filter((variant) => !variant.floor && variant.image)
    .map((variant) => ({ variant, decision: warmAgainstCold(results, variant) }));
  const decided = (direction: 'lower' | 'higher') => {
    const found = decisions.filter(({ decision }) => decision.direction === direction);
    const named = found.map(({ variant, decision }) => `${variant.id}: ${decisionWords(decision, words)}`);
    return `${found.length}${named.length > 0 ? ` (${named.join('; ')})` : ''}`;
  };
  const tied = decisions.filter(({ decision }) => decision.direction === 'tie').length;
  return `warm slower in ${decided('higher')}, faster in ${decided('lower')}, no difference found in ${tied} of ${decisions.length}`;
}

/** One named figure of a run, as README prints it; an unknown name or a figure the run lacks throws. */
export function readmeFigure(run: RunResults, name: string): string {
  const results = primaryView(run);
  const [head, ...rest] = name.split(':');
  switch (head) {
    case 'floor-cold-total':
      return floorMedian(results, 'cold', 'totalMs');
    case 'floor-cold-start':
      return floorMedian(results, 'cold', 'startToFirstResponseMs');
    case 'floor-warm-start':
      return floorMedian(results, 'warm', 'startToFirstResponseMs');
    case 'floor-warm-vs-cold': {
      const floor = floorOf(results);
      if (!floor) throw new Error(`run ${run.runId} has no floor`);
      return decisionWords(warmAgainstCold(results, floor), { lower: 'warm faster', higher: 'warm slower' });
    }
    case 'warm-vs-cold':
      return warmVsColdText(results);
    case 'looks':
      // looks → "8, 12, 18, 23": the rounds a run sampled until decided looked at (the last one where it ended)
      return looksTaken(run).join(', ');
    case 'memory-agreement': {
      const agreement = memoryAgreement(results);
      if (!agreement) throw new Error(`run ${run.runId} has no memory read both ways`);
      return memoryAgreementText(agreement);
    }
    case 'memory': {
      // memory:VARIANT → "anonymous X MB, file-mapped Y MB" (warm medians, from the processes)
      const variant = results.variants.find((item) => item.id === rest.join(':'));
      const anon = variant && medianOf(variant, 'warm', (sample) => sample.memory?.processes?.anonBytes);
      const file = variant && medianOf(variant, 'warm', (sample) => sample.memory?.processes?.fileBytes);
      if (anon === undefined || file === undefined) throw new Error(`run ${run.runId} has no memory for ${rest.join(':')}`);
      return `anonymous ${mb(anon)}, file-mapped ${mb(file)}`;
    }
    case 'bytecode': {
      // bytecode:VARIANT (the one with bytecode) → "+4.8 MB; warm, listening: faster by …"
      const row = bytecodeTable(results).rows.find((cells) => cells[0] === rest.join(':'));
      if (!row) throw new Error(`run ${run.runId} has no bytecode pair for ${rest.join(':')}`);
      const size = /\(([+−][^)]*)\)/.exec(row[1]!)?.[1] ?? row[1]!;
      return `${size}; the app listening, warm: ${row[2]}`;
    }
    case 'memory-read': {
      // memory-read → "N of M completed samples, on every engine" read from the processes
      const completed = run.variants.flatMap((variant) => variant.samples.filter((sample) => sample.state === 'completed'));
      const read = completed.filter((sample) => sample.memory?.processes).length;
      return `${read} of ${completed.length} completed samples on ${enginesOf(run).length} engine(s)`;
    }
    case 'start-call': {
      // The engine's start call alone, p5–p95 over every sample of the run's first engine.
      const range = startCallRange(results);
      if (!range) throw new Error(`run ${run.runId} timed no start call`);
      return range;
    }
    case 'samples':
      return String(run.variants.reduce((sum, variant) => sum + variant.samples.length, 0));
    case 'minutes': {
      if (!run.finishedAt) throw new Error(`run ${run.runId} has not finished`);
      return String(Math.round((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 60_000));
    }
    case 'level':
      return coverageText(decisionLevel(run));
    case 'decided': {
      const picks = picksOf(results);
      return `${picks.filter(({ verdict }) => verdict.winner).length} of ${picks.length}`;
    }
    case 'pick': {
      // pick:LANGUAGE:KIND → "scratch" or "a tie between scratch and scratch-upx"
      const [language, kind] = rest;
      const found = picksOf(results).find((entry) => entry.language === language && entry.verdict.kind === kindNamed(kind));
      if (!found) throw new Error(`run ${run.runId} has no ${kind} pick for ${language}`);
      const { verdict } = found;
      return verdict.winner ? verdict.winner.variant : `a tie between ${verdict.tie.map((variant) => variant.variant).join(' and ')}`;
    }
    case 'versus': {
      // versus:LANGUAGE:KIND → the fastest against the runner-up, in words with the interval
      const [language, kind] = rest;
      const found = picksOf(results).find((entry) => entry.language === language && entry.verdict.kind === kindNamed(kind));
      const runnerUp = found?.verdict.against[0];
      if (!found || !runnerUp) throw new Error(`run ${run.runId} has no ${kind} runner-up for ${language}`);
      return `${found.verdict.ranked[0]!.variant} against ${runnerUp.variant.variant}: ${decisionWords(runnerUp.decision)}`;
    }
    case 'size': {
      const variant = run.variants.find((item) => item.id === rest.join(':'));
      if (!variant?.image) throw new Error(`run ${run.runId} has no image for ${rest.join(':')}`);
      return mb(variant.image.compressedBytes);
    }
    default:
      return engineFigure(run, name);
  }
}

/** "X of Y": how many of the comparisons are decided. */
const decidedOf = (comparisons: readonly VariantComparison[]) =>
  `${comparisons.filter(({ decision }) => decision.direction !== 'tie').length} of ${comparisons.length}`;

/** The figures of runs across engines: engine comparisons, zstd, a pod's phases on the CRI, fan-out waves. */
function engineFigure(run: RunResults, name: string): string {
  const [head, ...rest] = name.split(':');
  switch (head) {
    case 'engines': {
      // engines:KIND → how many (variant, engine) comparisons with the first engine are decided, of how many
      const kind = kindNamed(rest[0]);
      if (!kind) throw new Error(`README names an unknown kind in "${name}"`);
      return decidedOf(engineComparisons(run, kind));
    }
    case 'engine-vs': {
      // engine-vs:KIND:ENGINE:VARIANT → that engine against the first, in words with the interval
      const [kind, engine, ...id] = rest;
      const known = kindNamed(kind);
      const comparison = known && comparisonOf(engineComparisons(run, known), id.join(':'), engine ?? '');
      if (!comparison) throw new Error(`run ${run.runId} has no ${kind} figure for ${id.join(':')} on ${engine}`);
      return decisionWords(comparison.decision);
    }
    case 'zstd': {
      return decidedOf(zstdComparisons(run));
    }
    case 'pod-phase': {
      // pod-phase:ENGINE:PHASE:VARIANT → the median of that phase of the variant's cold (gzip) samples on that engine
      const [engine, phase, ...id] = rest;
      const pick = POD_PHASES[phase as keyof typeof POD_PHASES];
      const variant = viewOn(run, engine ?? '').variants.find((item) => item.id === id.join(':'));
      const median = variant && pick ? medianOf(variant, 'cold', pick) : undefined;
      if (median === undefined) throw new Error(`run ${run.runId} has no ${phase} for ${id.join(':')} on ${engine}`);
      return ms(median);
    }
    case 'cold-proven': {
      // cold-proven:ENGINE → "X of Y": cold samples on it (every compression) proven by the registry's log
      const cold = run.variants
        .flatMap((variant) => variant.samples)
        .filter((sample) => sample.engine === rest[0] && sample.kind === 'cold' && !sample.warmup);
      const proven = cold.filter((sample) => sample.state === 'completed' && sample.pull?.proof === 'registry-log');
      return `${proven.length} of ${cold.length}`;
    }
    case 'fan-out': {
      // fan-out:FIGURE:NODES:VARIANT → one cell of the fan-out table (FIGURE: pull, total, sent, throughput, versusOne)
      const [figure, nodes, ...id] = rest;
      if (!run.fanOut) throw new Error(`run ${run.runId} is not a fan-out run`);
      const figures = fanOutFigures(run, id.join(':'), Number(nodes)) as Record<string, string>;
      const value = figures[figure ?? ''];
      if (value === undefined || value === '–')
        throw new Error(`run ${run.runId} has no fan-out ${figure} for ${id.join(':')} at ${nodes}`);
      return value;
    }
    default:
      throw new Error(`README names an unknown figure "${name}"`);
  }
}

/** Pure: README with every marked figure recomputed by `figureOf(run, name)`, every marked table by `tableOf(page, index)`. */
export function withFigures(
  readme: string,
  { figureOf, tableOf }: { figureOf(run: string, name: string): string; tableOf(page: string, index: number): string },
): string {
  return readme
    .replace(FIGURE_MARKER, (_whole, run: string, name: string) => `<!-- figure ${run} ${name} -->${figureOf(run, name)}<!-- /figure -->`)
    .replace(
      TABLE_MARKER,
      (_whole, page: string, index: string) => `<!-- table ${page} ${index} -->\n\n${tableOf(page, Number(index))}\n<!-- /table -->`,
    );
}
