import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultCatalogFile, loadCatalog } from '../../bases/catalog.js';
import { defaultBaseCacheDir } from '../../bases/local-bases.js';
import { BaseResolver, type BasesMode } from '../../bases/resolve.js';
import type { Logger } from '../../common/log.js';
import { PROJECT_ROOT } from '../../common/project-root.js';
import type { Engine } from '../../engine/clients.js';

/** What the benchmark commands (bases, overhead, network, micro) share: the catalog's bases, and one page of figures under results/. */

export function catalogResolver(engine: Engine, mode: BasesMode, log: Logger) {
  const catalog = loadCatalog(defaultCatalogFile(PROJECT_ROOT));
  return {
    catalog,
    resolver: new BaseResolver(catalog, mode, { images: engine.images, log, catalog, cacheDir: defaultBaseCacheDir() }, engine.images),
  };
}

/** Writes results/<name> and prints it. */
export function writeBenchmarkPage(name: string, text: string): void {
  mkdirSync(path.join(PROJECT_ROOT, 'results'), { recursive: true });
  writeFileSync(path.join(PROJECT_ROOT, 'results', name), text);
  process.stdout.write(text);
}
