import path from 'node:path';
import { describeEngine } from '../engine/describe.js';
import { collectProvenance } from './provenance.js';
import { PROJECT_ROOT } from '../common/project-root.js';
import type { RunResults } from '../results/types.js';
import { MEASURED_CONTAINER } from './measure-variant.js';
import type { BenchOptions } from './options.js';
import type { PlannedVariant } from './plan.js';
import type { BenchSession } from './session.js';

/** The results record of a run that is starting: settings and provenance, no variant yet. */
export async function newResults(runId: string, options: BenchOptions, planned: readonly PlannedVariant[], session: BenchSession): Promise<RunResults> {
  const provenance = await collectProvenance(session.builder.engine, session.registry, { mode: options.bases });
  return {
    schemaVersion: 1,
    runId,
    state: 'running',
    startedAt: new Date().toISOString(),
    options: {
      repeat: options.repeat,
      warmRepeat: options.warmRepeat,
      warmup: options.warmup,
      seed: options.seed,
      dropCaches: options.dropCaches,
      timeoutMs: options.timeoutMs,
      scenarios: [...new Set(planned.map((item) => path.relative(PROJECT_ROOT, item.scenario.file)))],
      variantFilter: options.variantFilter,
      order: [],
      profiles: options.profiles.map((profile) => (profile ? { ...profile } : { name: 'none' })),
      compressions: options.compressions,
    },
    provenance: {
      ...provenance,
      engines: session.engines.map((engine) => describeEngine(engine.name, engine.facts, engine.endpoint, engine.origin)),
      container: {
        network: MEASURED_CONTAINER.network,
        ulimits: MEASURED_CONTAINER.ulimits.map((limit) => `${limit.name}=${limit.soft}:${limit.hard}`),
        user: MEASURED_CONTAINER.user,
        privileges: MEASURED_CONTAINER.privileges,
      },
    },
    bases: [],
    unavailableBases: [],
    variants: [],
  };
}
