/**
 * npm run bases — gets every local stand-in in the catalog ready (built, loaded from the cache,
 * or already in the engine) and says how long each took: the cost of a first run against a rerun.
 */
import { defaultCatalogFile, loadCatalog } from '../src/bases/catalog.js';
import { defaultBaseCacheDir } from '../src/bases/local-bases.js';
import { BaseResolver } from '../src/bases/resolve.js';
import { connectEngine } from '../src/engine/connect.js';
import { markdownTable } from '../src/report/markdown-table.js';
import { consoleLogger } from '../src/common/log.js';
import { PROJECT_ROOT } from '../src/common/project-root.js';

const log = consoleLogger();

async function main(): Promise<void> {
  const engine = await connectEngine(log);
  const catalog = loadCatalog(defaultCatalogFile(PROJECT_ROOT));
  const resolver = new BaseResolver(catalog, 'local', { images: engine.images, log, catalog, cacheDir: defaultBaseCacheDir() }, engine.images);
  const started = performance.now();
  const rows: string[][] = [];
  for (const entry of catalog.bases) {
    if (!entry.local || 'empty' in entry.local) continue;
    const base = await resolver.resolve(entry.name);
    rows.push([entry.name, base.obtained ?? '', `${((base.obtainMs ?? 0) / 1000).toFixed(1)} s`, base.ref]);
  }
  process.stdout.write(
    `${markdownTable(['base', 'obtained', 'time (parents included)', 'reference'], rows, [false, false, true, false])}\n\nAll local bases ready in ${((performance.now() - started) / 1000).toFixed(0)} s.\n`,
  );
}

main().catch((error: Error) => {
  log.error(error.message);
  process.exitCode = 1;
});
