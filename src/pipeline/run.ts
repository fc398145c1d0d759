import path from 'node:path';
import { readdirSync, existsSync } from 'node:fs';
import { defaultCatalogFile, loadCatalog, type BaseCatalog } from '../bases/catalog.js';
import { defaultBaseCacheDir } from '../bases/local-bases.js';
import { BaseResolver } from '../bases/resolve.js';
import { checkOutputDir, runDir, writeReports } from '../export/write-reports.js';
import type { Logger } from '../common/log.js';
import { whyCannotDropCaches } from '../measure/page-cache.js';
import { PROJECT_ROOT } from '../common/project-root.js';
import type { RunResults } from '../results/types.js';
import { type BaseSet, loadScenario, type Scenario, scenarioFileName, scenarioPath } from '../scenario/load.js';
import { readRun } from '../results/read-run.js';
import { buildAll } from './build-all.js';
import { checkSpace, estimateSpace } from './disk.js';
import { Interrupted } from './interrupt.js';
import { RunStopped } from './recover.js';
import { measureInRounds } from './measure-rounds.js';
import { measureFanOut } from './fan-out.js';
import { measureOnCluster } from './on-cluster.js';
import { describeDiskUse, diskUse } from './disk-use.js';
import type { BenchOptions } from './options.js';
import { FLOOR_SCENARIO, planVariants, type PlannedVariant } from './plan.js';
import { progressLine } from './progress.js';
import { newResults } from './results-record.js';
import { openSession } from './bench-session.js';
import { repeatsOf } from '../results/sample-kinds.js';

export const SCENARIOS_DIR = path.join(PROJECT_ROOT, 'scenarios');

function defaultScenarioFiles(set: BaseSet): string[] {
  return readdirSync(SCENARIOS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(SCENARIOS_DIR, entry.name, scenarioFileName(set))))
    .map((entry) => path.join(SCENARIOS_DIR, entry.name, scenarioFileName(set)))
    .sort();
}

/** Reads and validates every scenario before anything is built. */
export function loadScenarios(fileOrNames: readonly string[], catalog: BaseCatalog, set: BaseSet = 'article'): Scenario[] {
  const files = fileOrNames.length > 0 ? fileOrNames.map((item) => scenarioPath(item, SCENARIOS_DIR, set)) : defaultScenarioFiles(set);
  return files.map((file) => loadScenario(file, catalog));
}

/** The last run in the output folder, whose image sizes estimate this run's disk needs; none if unreadable. */
function earlierRun(outDir: string): RunResults | undefined {
  try {
    return readRun(path.join(outDir, 'latest'));
  } catch {
    return undefined;
  }
}

function newRunId(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .replace('T', '-');
}

/** The variants a run measures: the scenarios' (filtered), and the engine's floor beside them unless --no-floor. */
export function plannedVariants(options: BenchOptions, catalog: BaseCatalog): PlannedVariant[] {
  const planned = planVariants(loadScenarios(options.scenarios, catalog, options.set), options.variantFilter, options.quick);
  return options.floor ? [...planned, ...planVariants([loadScenario(FLOOR_SCENARIO, catalog)], [])] : planned;
}

/** Step 1: every input checked before anything starts. */
function plan(options: BenchOptions): { catalog: BaseCatalog; planned: PlannedVariant[]; runId: string } {
  const catalog = loadCatalog(options.catalogFile ?? defaultCatalogFile(PROJECT_ROOT));
  const planned = plannedVariants(options, catalog);
  checkOutputDir(options.outDir);
  const cannotDrop = options.dropCaches ? whyCannotDropCaches() : undefined;
  if (cannotDrop) throw new Error(cannotDrop);
  if (options.compressions.includes('zstd') && options.registry)
    throw new Error("--compression zstd needs the run's own registry: leave out --registry");
  return { catalog, planned, runId: newRunId() };
}

/** The whole pipeline, as README's "What one run does" tells it; reports are rewritten after every round. */
export async function runBench(options: BenchOptions, log: Logger, signal: AbortSignal): Promise<RunResults> {
  const { catalog, planned, runId } = plan(options);
  const session = await openSession(options, catalog, runId, log);
  // Ctrl-C: take the running container away at once, so the sample in flight ends now.
  const stopOnAbort = () =>
    session.engines.forEach(({ client }) => void client.containers.removeLabelled('basebench.run', runId).catch(() => 0));
  signal.addEventListener('abort', stopOnAbort, { once: true });
  try {
    log.info(
      checkSpace(
        estimateSpace(
          planned.map((item) => item.id),
          options.compressions.length,
          earlierRun(options.outDir),
        ),
        session.engines,
        session.registry.storage,
      ),
    );
    const results = await newResults(runId, options, planned, session);
    const save = () => writeReports(results, options.outDir);
    // On disk from the first moment: a run killed while it builds still leaves a readable results.json.
    save();
    const logDir = path.join(runDir(options.outDir, runId), 'logs');
    const resolver = new BaseResolver(
      catalog,
      options.bases,
      { images: session.builder.client.images, log, catalog, cacheDir: defaultBaseCacheDir(), logDir },
      session.builder.client.images,
      options.mirrors,
    );
    log.info(
      `Run ${runId}: ${planned.length} variant(s) on ${session.engines.map((engine) => engine.name).join(', ')}; reports in ` +
        `${runDir(options.outDir, runId)}`,
    );
    try {
      const ready = await buildAll(planned, results, { session, resolver, log, signal, logDir, compressions: options.compressions, save });
      const measuring = { ...options, repeats: repeatsOf(options), session, log, signal, save, progress: progressLine(log) };
      const cluster = session.engines.find((engine) => engine.cluster)?.cluster;
      if (options.fanOut) await measureFanOut(ready, results, options.fanOut, measuring);
      else if (cluster) await measureOnCluster(ready, results, cluster, measuring);
      else await measureInRounds(ready, results, measuring);
      results.state = 'completed';
    } catch (error) {
      if (error instanceof RunStopped) {
        results.state = error.state;
        log.error(`Stopping: ${error.message}; reports keep what was measured so far`);
      } else if (error instanceof Interrupted) {
        results.state = 'interrupted';
        log.warn('Interrupted: reports keep what was measured so far');
      } else {
        throw error;
      }
    } finally {
      results.finishedAt = new Date().toISOString();
      save();
    }
    // What stays on disk between runs, and how to trim it (a weekly runner fills up otherwise).
    await diskUse(session.builder.client, defaultBaseCacheDir()).then(
      (use) => log.info(describeDiskUse(use)),
      () => {},
    );
    return results;
  } finally {
    signal.removeEventListener('abort', stopOnAbort);
    await session.close();
  }
}
