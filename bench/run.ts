import { parseBenchArgs, USAGE } from '../src/cli/options.js';
import { outlierWarnings } from '../src/export/outliers.js';
import { consoleLogger } from '../src/common/log.js';
import { runBench } from '../src/pipeline/run.js';

/** Exit codes: 0 done, 1 error, 128 + the signal's number when interrupted (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP). */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

const log = consoleLogger();
const interrupt = new AbortController();
let interruptedBy: keyof typeof SIGNAL_EXIT_CODES | undefined;
for (const signal of Object.keys(SIGNAL_EXIT_CODES) as Array<keyof typeof SIGNAL_EXIT_CODES>) {
  process.on(signal, () => {
    // A second signal quits at once, cleanup or not.
    if (interrupt.signal.aborted) process.exit(SIGNAL_EXIT_CODES[signal]);
    interruptedBy = signal;
    log.warn(`${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping after cleanup (send it again to quit at once)`);
    interrupt.abort();
  });
}

try {
  const options = parseBenchArgs(process.argv.slice(2));
  if (!options) {
    process.stdout.write(USAGE);
  } else {
    const results = await runBench(options, log, interrupt.signal);
    for (const warning of outlierWarnings(results)) log.warn(warning);
    const failed = results.variants.filter((variant) => variant.state !== 'completed');
    log.info(`Done: ${results.variants.length - failed.length} variant(s) measured, ${failed.length} failed, partial or skipped. Reports: ${options.outDir}/latest`);
    if (results.state === 'interrupted') process.exitCode = SIGNAL_EXIT_CODES[interruptedBy ?? 'SIGINT'];
  }
} catch (error) {
  log.error((error as Error).message);
  process.exitCode = interruptedBy ? SIGNAL_EXIT_CODES[interruptedBy] : 1;
}
