import { z } from 'zod';
import { defaultBaseCacheDir } from '../../bases/local-bases.js';
import { engineAt } from '../../engine/connect.js';
import { trimDisk } from '../../pipeline/disk-use.js';
import { cleanDeadRuns } from '../../pipeline/leftovers.js';
import { command } from '../command.js';

export const cleanCommand = command({
  name: 'clean',
  title: 'Removes what dead runs left behind; reports and trims what is kept on disk',
  summary:
    'Removes what runs that died (killed, crashed) left behind: their containers and images, the engines,\n' +
    'registry and processes they started, their folders, bridges and firewall chains. A live run is never touched.\nThen says ' +
    'what basebench keeps on disk between runs, and trims it when asked.',
  options: {
    'dry-run': { type: 'boolean', help: 'only list what would be removed' },
    'build-cache': { type: 'boolean', help: 'also remove the untagged builder stages basebench builds left on the engine' },
    bases: { type: 'boolean', help: 'also remove the stand-in base images and their cache (rebuilt when next needed)' },
  },
  details: [
    'Every run removes what dead runs left on its own at start, and tells at its end what is kept; this is for doing it on demand.',
  ],
  schema: z.object({
    'dry-run': z.boolean().default(false),
    'build-cache': z.boolean().default(false),
    bases: z.boolean().default(false),
    positionals: z.array(z.string()).max(0),
  }),
  async run(values, log) {
    const cleaned = await cleanDeadRuns(log, values['dry-run']);
    if (cleaned.length === 0) log.info('No dead run left anything behind.');
    // The engine as it is: clean never installs or starts one.
    const engine = engineAt(process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock');
    // No engine answering still leaves the stand-in cache on disk to report and, with --bases, remove.
    await trimDisk(
      (await engine.answers()) ? engine : undefined,
      defaultBaseCacheDir(),
      { buildCache: values['build-cache'], bases: values.bases, dryRun: values['dry-run'] },
      log,
    );
    return 0;
  },
});
