import { outputFolderProblem } from '../common/output-folder.js';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { Logger } from '../common/log.js';

/**
 * A subcommand of `basebench`: its options declared once, here, with their help; node's
 * parseArgs reads them, a zod schema checks and converts the values, and the help text is
 * generated from the same declaration.
 */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Repeatable: the values arrive as a list. */
  multiple?: boolean;
  short?: string;
  /** The placeholder in help, e.g. "N" or "DIR". */
  value?: string;
  help: string;
}

export interface Command<Values> {
  name: string;
  /** One line for the list of commands in `basebench --help`. */
  title: string;
  /** What the command does, at the head of its own help. */
  summary: string;
  /** Positional arguments as help shows them, e.g. "A[@ENGINE] B[@ENGINE]". */
  positionals?: string;
  /** Lines of help after the options. */
  details?: string[];
  options: Record<string, OptionSpec>;
  /** From parseArgs' values (plus `positionals`) to what `run` takes; its messages name the option. */
  schema: z.ZodType<Values>;
  /** Resolves with the exit code. */
  run(values: Values, log: Logger, signal: AbortSignal): Promise<number>;
}

/** Declares a command with its value type inferred from the schema. */
export function command<Schema extends z.ZodType>(
  definition: Omit<Command<z.output<Schema>>, 'schema'> & { schema: Schema },
): Command<z.output<Schema>> {
  return definition as Command<z.output<Schema>>;
}

export class UsageError extends Error {
  constructor(
    message: string,
    readonly help: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Help fits a terminal of this many columns: option texts are written as prose and wrapped here. */
const HELP_COLUMNS = 110;

/** Lines of at most `width` characters, broken between words (a longer word gets a line of its own). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

export function helpText(command: Command<unknown>): string {
  const rows = Object.entries(command.options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return [flag, `${spec.help}${spec.multiple ? ' (repeatable)' : ''}`] as const;
  });
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  const indent = ' '.repeat(2 + width);
  const options = rows.map(([flag, help]) => `  ${flag.padEnd(width)}${wrapWords(help, HELP_COLUMNS - indent.length).join(`\n${indent}`)}`);
  return [
    `Usage: basebench ${command.name}${Object.keys(command.options).length > 0 ? ' [options]' : ''}` +
      `${command.positionals ? ` ${command.positionals}` : ''}`,
    '',
    command.summary,
    '',
    'Options:',
    ...options,
    // A paragraph of details is wrapped like the options; an indented line (an example command) stays as written.
    ...(command.details ? ['', ...command.details.flatMap((line) => (/^\s/.test(line) ? [line] : wrapWords(line, HELP_COLUMNS)))] : []),
    '',
  ].join('\n');
}

/**
 * A folder the command writes: checked as the options are read, before anything starts (a kernel
 * file system, a file in the way, a read-only mount or a full disk each get one error naming the option).
 */
export const outputFolderOption = (fallback?: string) =>
  (fallback === undefined ? z.string({ message: 'is required' }) : z.string().default(fallback)).superRefine((text, context) => {
    const problem = outputFolderProblem(text);
    if (problem) context.addIssue({ code: 'custom', message: `cannot write there: ${problem}` });
  });

/** "--repeat" for a zod issue at ["repeat"], "arguments" at ["positionals"]. */
function optionName(path: ReadonlyArray<PropertyKey>): string {
  const [first] = path;
  return first === 'positionals' ? 'arguments' : `--${String(first)}`;
}

/** Parses argv for a command; undefined when help was asked for. Throws UsageError naming the option. */
export function parseCommand<Values>(command: Command<Values>, argv: readonly string[]): Values | undefined {
  const help = helpText(command as Command<unknown>);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: command.positionals !== undefined,
      options: {
        ...Object.fromEntries(
          Object.entries(command.options).map(([name, spec]) => [
            name,
            { type: spec.type, ...(spec.multiple ? { multiple: true } : {}), ...(spec.short ? { short: spec.short } : {}) },
          ]),
        ),
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message, help);
  }
  const { help: wantsHelp, ...values } = parsed.values as Record<string, unknown>;
  if (wantsHelp) return undefined;
  const checked = command.schema.safeParse({ ...values, positionals: parsed.positionals });
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new UsageError(`${optionName(issue.path)}: ${issue.message}`, help);
  }
  return checked.data;
}

/** Schema pieces the commands share. */
export const integerOption = (minimum: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((text, context) => {
      if (text === undefined) return fallback;
      const value = Number(text);
      if (!Number.isInteger(value) || value < minimum) {
        context.addIssue({ code: 'custom', message: `must be an integer ≥ ${minimum}, got "${text}"` });
        return z.NEVER;
      }
      return value;
    });
