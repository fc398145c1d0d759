import { collectProvenance } from './provenance.js';
import { SAMPLE_KINDS } from '../results/sample-kinds.js';
import { shownPath } from '../common/project-root.js';
import { SCHEMA_VERSION } from '../results/schema.js';
import type { RunResults } from '../results/types.js';
import { DEFAULT_PROBE } from '../measure/sample-context.js';
import type { BenchOptions } from './options.js';
import type { PlannedVariant } from './plan.js';
import type { BenchSession } from './bench-session.js';

/** The results record of a run that is starting: settings and provenance, no variant yet. */
export async function newResults(
  runId: string,
  options: BenchOptions,
  planned: readonly PlannedVariant[],
  session: BenchSession,
): Promise<RunResults> {
  const provenance = await collectProvenance(session.engines, session.registry, {
    mode: options.bases,
    ...(options.mirrors.length ? { mirrors: options.mirrors.map((mirror) => ({ ...mirror })) } : {}),
    ...(options.rehearsal ? { rehearsal: true } : {}),
  });
  return {
    schemaVersion: SCHEMA_VERSION,
    runId,
    state: 'running',
    startedAt: new Date().toISOString(),
    options: {
      set: options.set,
      probe: { intervalMs: DEFAULT_PROBE.intervalMs, appLine: DEFAULT_PROBE.appLine ?? false, socketWatch: DEFAULT_PROBE.socketWatch },
      ...Object.fromEntries(SAMPLE_KINDS.map((kind) => [kind.repeat.field, options[kind.repeat.field]])),
      warmup: options.warmup,
      seed: options.seed,
      dropCaches: options.dropCaches,
      timeoutMs: options.timeoutMs,
      scenarios: [...new Set(planned.map((item) => shownPath(item.scenario.file)))],
      variantFilter: options.variantFilter,
      order: [],
      level: 0.95,
      profiles: options.profiles.map((profile) => (profile ? { ...profile } : { name: 'none' })),
      compressions: options.compressions,
    },
    provenance,
    bases: [],
    unavailableBases: [],
    variants: [],
  };
}
