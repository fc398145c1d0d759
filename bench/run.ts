import { parseBenchArgs, USAGE } from '../src/cli/options.js';
import { outlierWarnings } from '../src/export/outliers.js';
import { consoleLogger } from '../src/log.js';
import { runBench } from '../src/pipeline/run.js';

const log = consoleLogger();
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  log.warn('Ctrl-C: stopping after cleanup (press again to quit at once)');
  interrupt.abort();
});

try {
  const options = parseBenchArgs(process.argv.slice(2));
  if (!options) {
    process.stdout.write(USAGE);
  } else {
    const results = await runBench(options, log, interrupt.signal);
    for (const warning of outlierWarnings(results)) log.warn(warning);
    const failed = results.variants.filter((variant) => variant.state !== 'completed');
    log.info(`Done: ${results.variants.length - failed.length} variant(s) measured, ${failed.length} failed or skipped. Reports: ${options.outDir}/latest`);
    if (results.state === 'interrupted') process.exitCode = 130;
  }
} catch (error) {
  log.error((error as Error).message);
  process.exitCode = 1;
}
