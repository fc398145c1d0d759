/**
 * The harness's own benchmarks (bench/ at the top of the repository), declared here and loaded
 * only when one runs: the micro-benchmarks' tinybench is then a dependency of `micro` alone.
 */
import path from 'node:path';
import { z } from 'zod';
import { command, integerOption, outputFolderOption } from '../command.js';

const out = { type: 'string', value: 'DIR', help: 'where the page of figures goes (default results/)' } as const;

export const overheadCommand = command({
  name: 'overhead',
  title: 'What the harness itself costs: probe delay and CPU, against docker run + curl',
  summary:
    'What the harness itself costs (Docker): probe delay and CPU, and the harness against\n' +
    'docker run + curl; writes overhead.md under --out.',
  options: { rounds: { type: 'string', value: 'N', help: 'samples of each measure (default 30)' }, out },
  schema: z.object({ rounds: integerOption(1, 30), out: outputFolderOption('results'), positionals: z.array(z.string()).max(0) }),
  async run(values, log) {
    const { runOverhead } = await import('../../../bench/overhead.js');
    await runOverhead(values.rounds, path.resolve(values.out), log);
    return 0;
  },
});

export const networkCommand = command({
  name: 'network',
  title: "A 16 MiB layer pulled cold through each network profile against the link's ideal",
  summary: "A 16 MiB layer pulled cold through each network profile against the link's ideal (Docker);\nwrites network.md under --out.",
  options: { repeat: { type: 'string', value: 'N', help: 'cold pulls per profile (default 3)' }, out },
  schema: z.object({ repeat: integerOption(1, 3), out: outputFolderOption('results'), positionals: z.array(z.string()).max(0) }),
  async run(values, log) {
    const { runNetwork } = await import('../../../bench/network.js');
    await runNetwork(values.repeat, path.resolve(values.out), log);
    return 0;
  },
});

export const microCommand = command({
  name: 'micro',
  title: "Micro-benchmarks of the harness's own hot paths (tinybench, no engine)",
  summary: "Micro-benchmarks of the harness's own hot paths on tinybench (no engine); writes micro.md under --out.",
  options: { time: { type: 'string', value: 'MS', help: 'time per task in milliseconds (default 2000)' }, out },
  schema: z.object({ time: integerOption(100, 2000), out: outputFolderOption('results'), positionals: z.array(z.string()).max(0) }),
  async run(values, log) {
    const { runMicro } = await import('../../../bench/micro.js');
    await runMicro(values.time, path.resolve(values.out), log);
    return 0;
  },
});
