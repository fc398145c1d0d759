import { consoleLogger } from '../common/log.js';
import { InputError } from '../common/input-error.js';
import { helpText, parseCommand, UsageError, type Command } from './command.js';
import { anatomyCommand } from './commands/anatomy.js';
import { basesCommand } from './commands/bases.js';
import { benchCommand, rehearseCommand, SIGNAL_EXIT_CODES } from './commands/bench.js';
import { cleanCommand } from './commands/clean.js';
import { compareCommand, docsCommand, mergeCommand, pagesCommand, reportCommand } from './commands/files.js';
import { microCommand, networkCommand, overheadCommand } from './commands/harness-benchmarks.js';

/** Every subcommand of `basebench`, in the order help lists them. */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own value type; main only passes parsed values back to it
export const COMMANDS: ReadonlyArray<Command<any>> = [
  benchCommand,
  rehearseCommand,
  reportCommand,
  compareCommand,
  mergeCommand,
  pagesCommand,
  docsCommand,
  basesCommand,
  anatomyCommand,
  cleanCommand,
  overheadCommand,
  networkCommand,
  microCommand,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((item) => item.name.length)) + 2;
  return [
    'Usage: basebench COMMAND [options]   (basebench COMMAND --help for its options)',
    '',
    'What does a container base image cost you in pull time and cold-start latency?',
    '',
    'Commands:',
    ...COMMANDS.map((item) => `  ${item.name.padEnd(width)}${item.title}`),
    '',
  ].join('\n');
}

/** Runs one subcommand; resolves with the process's exit code. Signals abort the command, a second one exits at once. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview());
    return name === undefined ? 1 : 0;
  }
  const found = COMMANDS.find((item) => item.name === name);
  const log = consoleLogger();
  if (!found) {
    log.error(`unknown command "${name}"\n\n${overview()}`);
    return 1;
  }
  const interrupt = new AbortController();
  let interruptedBy: keyof typeof SIGNAL_EXIT_CODES | undefined;
  const handlers = (Object.keys(SIGNAL_EXIT_CODES) as Array<keyof typeof SIGNAL_EXIT_CODES>).map((signal) => {
    const handler = () => {
      if (interrupt.signal.aborted) process.exit(SIGNAL_EXIT_CODES[signal]);
      interruptedBy = signal;
      log.warn(`${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping after cleanup (send it again to quit at once)`);
      interrupt.abort();
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  try {
    const values = parseCommand(found, rest);
    if (values === undefined) {
      process.stdout.write(helpText(found));
      return 0;
    }
    const code = await found.run(values, log, interrupt.signal);
    return interruptedBy ? SIGNAL_EXIT_CODES[interruptedBy] : code;
  } catch (error) {
    if (error instanceof UsageError) {
      log.error(`${error.message}\n\n${error.help}`);
      return 1;
    }
    log.error(error instanceof InputError ? error.message : (error as Error).message);
    return interruptedBy ? SIGNAL_EXIT_CODES[interruptedBy] : 1;
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}
