import { z } from 'zod';
import { cleanDeadRuns } from '../../pipeline/leftovers.js';
import { command } from '../command.js';

export const cleanCommand = command({
  name: 'clean',
  summary:
    'Removes what runs that died (killed, crashed) left behind: their containers and images, the engines,\n' +
    'registry and processes they started, their folders and bridges. A live run is never touched.',
  options: { 'dry-run': { type: 'boolean', help: 'only list what would be removed' } },
  details: ['Every run does the same on its own at start; this is for doing it on demand.'],
  schema: z.object({ 'dry-run': z.boolean().default(false), positionals: z.array(z.string()) }),
  async run(values, log) {
    const cleaned = await cleanDeadRuns(log, values['dry-run']);
    if (cleaned.length === 0) log.info('No dead run left anything behind.');
    return 0;
  },
});
