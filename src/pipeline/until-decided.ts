/**
 * Sampling until decided: after each planned look (common/stats.ts, sequentialDesign), the picks
 * per language and kind are decided again on every engine; a variant stays in the rounds only
 * while it is in a tie that is still open, so variants that are clearly out of every pick, and
 * picks already decided, cost no more samples. A run of several engines or compressions asks
 * more of each variant: it stays while its comparison with the first engine (cold total, warm
 * start) or its zstd pull against gzip is still open too. The floor is sampled while anything else is.
 */
import type { RunResults, VariantResult } from '../results/types.js';
import { sequentialDesign } from '../common/stats.js';
import { roundSlots, type Rounds, type SchedulePlan, scheduleSamples, seededRandom } from '../measure/schedule.js';
import type { ReadyVariant } from './build-all.js';
import type { MeasureRoundsContext } from './measure-rounds.js';
import { enginesOf, viewOn, views } from '../results/views.js';
import { picksOf } from '../report/answer-table.js';
import { engineComparisons, zstdComparisons } from '../report/engine-comparisons.js';

/**
 * The variants still in an open tie on some engine, or with a comparison across engines or compressions still
 * undecided: the ones the next rounds sample.
 */
export function stillOpen(results: RunResults, sampled: readonly VariantResult[]): Set<string> {
  const open = new Set<string>();
  const ids = new Set(sampled.filter((variant) => !variant.floor).map((variant) => variant.id));
  for (const engine of enginesOf(results)) {
    for (const { verdict } of picksOf(viewOn(results, engine.name))) {
      if (verdict.tie.length > 1) for (const variant of verdict.tie) if (ids.has(variant.id)) open.add(variant.id);
    }
  }
  const across = [...engineComparisons(results, 'cold'), ...engineComparisons(results, 'warm'), ...zstdComparisons(results)];
  // A comparison no round has measured both sides of (a kind not taken, a variant that never started) is not open.
  for (const { variant, decision } of across) if (decision.n > 0 && decision.direction === 'tie' && ids.has(variant)) open.add(variant);
  if (open.size > 0) for (const variant of sampled) if (variant.floor) open.add(variant.id);
  return open;
}

/** Records why a variant's sampling stopped, once. */
function stopSampling(variant: VariantResult, rounds: number, reason: NonNullable<VariantResult['sampling']>['reason']): void {
  variant.sampling ??= { rounds, reason };
}

/**
 * Every kind in every round, for the variants whose picks are still open; at each planned look
 * the open ones are found again (stillOpen). Stops at the cap, when nothing is open, or
 * before a round the time budget would not cover (the time a round took so far, on average).
 */
export function untilDecidedRounds(
  plan: SchedulePlan,
  ready: readonly ReadyVariant[],
  results: RunResults,
  context: Pick<MeasureRoundsContext, 'untilDecided' | 'log' | 'progress'>,
): Rounds {
  const { maxRounds, budgetMs } = context.untilDecided!;
  const design = sequentialDesign(maxRounds, results.options.level ?? 0.95);
  results.options.sequential = { looks: design.looks, lookLevel: design.lookLevel, maxRounds, budgetMs };
  const random = seededRandom(plan.seed);
  const taken = plan.kinds.filter((entry) => entry.repeat > 0).map((entry) => entry.kind);
  let active = new Set(plan.variants);
  let round = 0;
  let started: number | undefined;
  // The most it can take: every kind asked for in every round up to the cap.
  const all = scheduleSamples({ ...plan, kinds: plan.kinds.map((entry) => ({ ...entry, repeat: entry.repeat > 0 ? maxRounds : 0 })) });
  const stop = (ids: Iterable<string>, reason: 'decided' | 'cap' | 'budget') => {
    for (const id of ids) {
      const variant = results.variants.find((item) => item.id === id);
      if (variant) stopSampling(variant, Math.max(0, round - plan.warmup), reason);
    }
  };
  return {
    fixed: false,
    samples: all.reduce((sum, slots) => sum + slots.length, 0),
    count: all.length,
    budgetMs,
    next() {
      started ??= performance.now();
      const measured = round - plan.warmup;
      if (active.size === 0) return undefined;
      if (measured >= maxRounds) {
        stop(active, 'cap');
        return undefined;
      }
      const perRound = round > 0 ? (performance.now() - started) / round : 0;
      if (round > 0 && performance.now() - started + perRound > budgetMs) {
        context.log.warn(`The time budget (${Math.round(budgetMs / 60000)} min) is spent: sampling stops after round ${round}`);
        stop(active, 'budget');
        return undefined;
      }
      round += 1;
      const warmup = round <= plan.warmup;
      return roundSlots(
        plan,
        round,
        taken.map((kind) => ({ kind, warmup, repetition: round })),
        random,
        active,
      );
    },
    after(done) {
      const measured = done - plan.warmup;
      // After the first round: a budget that can't reach the first look decides nothing; say so while it can be changed.
      if (done === 1 && started !== undefined) {
        const projected = (performance.now() - started) * (plan.warmup + design.looks[0]!);
        if (projected > budgetMs)
          context.log.warn(
            `At this pace the first look (after ${design.looks[0]} measured rounds) needs about ${Math.ceil(projected / 60_000)} min, ` +
              `more than --budget ${Math.round(budgetMs / 60_000)}m: nothing would be decided. Raise --budget, or stop (Ctrl-C) and ` +
              'narrow the run (--variant, --quick).',
          );
      }
      if (!design.looks.includes(measured)) return;
      const open = stillOpen(
        results,
        ready.map((entry) => entry.result).filter((variant) => active.has(variant.id)),
      );
      stop(
        [...active].filter((id) => !open.has(id)),
        'decided',
      );
      const across = views(results).length > 1;
      const state =
        open.size === 0
          ? `every pick${across ? ' and every comparison across engines or compressions' : ''} decided`
          : `${open.size} variant(s) still open (in a tie${across ? ', or a comparison across engines or compressions undecided' : ''}): ` +
            [...open].join(', ');
      context.log.info(`Look after round ${measured} (each decides at ${(design.lookLevel * 100).toFixed(1)}%): ${state}`);
      active = open;
      const perRound = all[all.length - 1]!.length;
      const left = Math.max(0, maxRounds - measured);
      const sampledPerVariant = perRound / Math.max(1, plan.variants.length);
      context.progress.resize(
        all.slice(0, done).reduce((sum, slots) => sum + slots.length, 0) + Math.round(left * sampledPerVariant * active.size),
        done + (active.size > 0 ? left : 0),
      );
    },
  };
}
