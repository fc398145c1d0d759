import type { RunResults } from '../results/types.js';
import { SAMPLE_KINDS } from '../results/sample-kinds.js';

export class MergeRefused extends Error {
  constructor(reasons: string[], forceable = true) {
    super(`refusing to merge: ${reasons.join('; ')}${forceable ? ' (pass --force to merge anyway)' : ''}`);
    this.name = 'MergeRefused';
  }
}

/** Sampling until decided, told apart by what decides (the looks and the cap), not by the time budget each part had. */
function samplingDesign(sequential: RunResults['options']['sequential']): string {
  return sequential ? `until decided (looks after rounds ${sequential.looks.join(', ')}, at most ${sequential.maxRounds})` : 'fixed';
}

/** What must match for partial runs to be one run: same harness, same sampling. */
function mismatches(parts: readonly RunResults[]): string[] {
  const [first, ...rest] = parts;
  const reasons: string[] = [];
  const checks: Array<[string, (run: RunResults) => unknown]> = [
    ['harness version', (run) => run.provenance.harness.version],
    ...SAMPLE_KINDS.map((kind): [string, (run: RunResults) => unknown] => [
      `${kind.name} repeats`,
      (run) => run.options[kind.repeat.field],
    ]),
    ['warm-ups', (run) => run.options.warmup],
    // Picks are decided at the level each look is taken at: parts sampled by another design decide by another rule.
    ['sampling designs', (run) => samplingDesign(run.options.sequential)],
    ['page cache dropping', (run) => run.options.dropCaches],
    ['network profiles', (run) => JSON.stringify(run.options.profiles)],
    ['base mode', (run) => run.provenance.bases.mode],
    // Samples name their engine: parts must have been measured on the same engines, in the same order.
    ['engines', (run) => run.provenance.engines.map((engine) => engine.name).join(', ')],
    ['layer compressions', (run) => run.options.compressions.join(', ')],
  ];
  for (const [what, read] of checks) {
    for (const run of rest) {
      if (read(run) !== read(first!))
        reasons.push(`${what} differ: ${String(read(first!))} in ${first!.runId}, ${String(read(run))} in ${run.runId}`);
    }
  }
  return reasons;
}

/** Every part measured its own host's floor: each keeps it, named after its part, so variants are set against their own. */
function withOwnFloors(parts: readonly RunResults[]): RunResults[] {
  if (parts.filter((part) => part.variants.some((variant) => variant.floor)).length < 2) return [...parts];
  return parts.map((part) => {
    const renamed = (id: string) => (part.variants.find((variant) => variant.id === id)?.floor ? `${id}@${part.runId}` : id);
    return {
      ...part,
      variants: part.variants.map((variant) => (variant.floor ? { ...variant, id: renamed(variant.id) } : variant)),
      ...(part.mergedFrom ? { mergedFrom: part.mergedFrom.map((entry) => ({ ...entry, variants: entry.variants.map(renamed) })) } : {}),
    };
  });
}

/**
 * Merges partial runs into one: variants side by side, bases and unavailable bases once each,
 * every part's provenance kept. A variant measured in two parts is always refused.
 */
export function mergeRuns(parts: readonly RunResults[], options: { force?: boolean } = {}): RunResults {
  if (parts.length === 0) throw new Error('nothing to merge');
  parts = withOwnFloors(parts);
  const seen = new Map<string, string>();
  for (const part of parts) {
    for (const variant of part.variants) {
      const other = seen.get(variant.id);
      if (other) throw new MergeRefused([`${variant.id} is in both ${other} and ${part.runId}`], false);
      seen.set(variant.id, part.runId);
    }
  }
  const reasons = mismatches(parts);
  if (reasons.length > 0 && !options.force) throw new MergeRefused(reasons);
  const ordered = [...parts].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const first = ordered[0]!;
  const finished = ordered
    .map((part) => part.finishedAt)
    .filter((value): value is string => !!value)
    .sort();
  return {
    ...first,
    runId: `merged-${first.runId}`,
    state: ordered.every((part) => part.state === 'completed') ? 'completed' : 'interrupted',
    startedAt: first.startedAt,
    ...(finished.length > 0 ? { finishedAt: finished.at(-1)! } : {}),
    options: {
      ...first.options,
      scenarios: [...new Set(ordered.flatMap((part) => part.options.scenarios))],
      order: ordered.flatMap((part) => part.options.order ?? []),
    },
    bases: ordered
      .flatMap((part) => part.bases)
      .filter((base, index, all) => all.findIndex((other) => other.name === base.name && other.digest === base.digest) === index),
    unavailableBases: ordered
      .flatMap((part) => part.unavailableBases)
      .filter((base, index, all) => all.findIndex((other) => other.name === base.name) === index),
    variants: ordered.flatMap((part) => part.variants),
    mergedFrom: ordered.flatMap(
      (part) =>
        part.mergedFrom ?? [
          {
            runId: part.runId,
            startedAt: part.startedAt,
            provenance: part.provenance,
            variants: part.variants.map((variant) => variant.id),
          },
        ],
    ),
  };
}
