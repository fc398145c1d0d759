import { connectEngine } from '../../engine/connect.js';
import { markdownTable } from '../../report/markdown-table.js';
import type { Logger } from '../../common/log.js';
import { z } from 'zod';
import { catalogResolver } from '../../bases/resolve.js';
import { command } from '../command.js';

async function main(log: Logger): Promise<void> {
  const engine = await connectEngine(log);
  const { catalog, resolver } = catalogResolver(engine, 'local', log);
  const started = performance.now();
  const rows: string[][] = [];
  for (const entry of catalog.bases) {
    if (!entry.local || 'empty' in entry.local) continue;
    const base = await resolver.resolve(entry.name);
    rows.push([entry.name, base.obtained ?? '', `${((base.obtainMs ?? 0) / 1000).toFixed(1)} s`, base.ref]);
  }
  process.stdout.write(
    `${markdownTable(['base', 'obtained', 'time (parents included)', 'reference'], rows, [false, false, true, false])}\n\nAll local ` +
      `bases ready in ${((performance.now() - started) / 1000).toFixed(0)} s.\n`,
  );
}

export const basesCommand = command({
  name: 'bases',
  title: 'Gets every local stand-in base ready: built, or loaded from the cache',
  summary:
    'Gets every local stand-in base ready (built, loaded from the cache, or already in the engine)\nand says how long each took (Docker).',
  options: {},
  schema: z.object({ positionals: z.array(z.string()) }),
  async run(_values, log) {
    await main(log);
    return 0;
  },
});
