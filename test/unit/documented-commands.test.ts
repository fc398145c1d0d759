import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parseCommand } from '../../src/cli/command.js';
import { COMMANDS } from '../../src/cli/main.js';
import { PROJECT_ROOT } from '../../src/common/project-root.js';

/**
 * Every basebench command README shows in a shell block, and every one the scheduled workflow
 * runs, parsed by the command's own declaration: an option renamed or a value no longer accepted
 * fails here, not on a user's machine or on Monday's runner.
 */

const scripts: Record<string, string> = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts;

/** "npm run bench -- --quick" → ['bench', '--until-decided', '--quick']; undefined for what is not basebench. */
function basebenchArgv(line: string): string[] | undefined {
  const words = line
    .replace(/\s#\s.*$/, '')
    .trim()
    .split(/\s+/);
  const npx = words.indexOf('npx');
  if (npx >= 0 && words[npx + 1] === 'basebench') return words.slice(npx + 2);
  const run = words.findIndex((word, index) => word === 'npm' && words[index + 1] === 'run');
  if (run < 0) return undefined;
  const script = scripts[words[run + 2]!]?.match(/^node bin\/basebench\.js (.*)$/);
  if (!script) return undefined;
  const rest = words.slice(run + 3);
  return [...script[1]!.split(/\s+/), ...(rest[0] === '--' ? rest.slice(1) : rest)];
}

/** README's shell blocks, and its inline commands that give options (those with placeholders such as DIR or A[@ENGINE] left out). */
function readmeCommands(): string[] {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```sh\n([\s\S]*?)^```/gm)].flatMap((block) => block[1]!.split('\n'));
  const inline = [...readme.matchAll(/`(npm run [a-z:]+ -- [^`]+|basebench [a-z]+)`/g)].map((span) => span[1]!);
  return [...blocks, ...inline.filter((line) => !/[A-Z]{2,}|[<…[]/.test(line))].flatMap((line) => line.split('&&'));
}

/** "basebench bases" in a sentence is the installed command. */
const asInstalled = (line: string) => line.replace(/^basebench /, 'npx basebench ');

interface Step {
  run?: string;
}
interface Job {
  strategy?: { matrix?: Record<string, unknown[]> };
  steps: Step[];
}

/** The workflow's run steps, one line each, with its expressions filled in (a matrix value each, an input's default). */
function workflowCommands(): string[] {
  const workflow = parse(readFileSync(path.join(PROJECT_ROOT, '.github', 'workflows', 'bench.yml'), 'utf8')) as {
    jobs: Record<string, Job>;
  };
  return Object.values(workflow.jobs).flatMap((job) => {
    const matrix = Object.entries(job.strategy?.matrix ?? {});
    const fills = matrix.length === 0 ? [{}] : matrix[0]![1].map((value) => ({ [matrix[0]![0]]: String(value) }));
    return job.steps.flatMap((step) =>
      (step.run ?? '')
        .split('\n')
        .flatMap((line) =>
          fills.map((fill: Record<string, string>) =>
            line
              .replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, name: string) => fill[name] ?? '')
              .replace(/\$\{\{[^}]*\|\|\s*'([^']*)'\s*\}\}/g, '$1'),
          ),
        ),
    );
  });
}

/** Throws the command's own UsageError when the line would be refused. */
function parseLine(argv: readonly string[]) {
  const [name, ...rest] = argv;
  if (rest.length === 0 && (name === '--help' || name === '-h')) return;
  const declared = COMMANDS.find((item) => item.name === name);
  if (!declared) throw new Error(`no basebench command "${name}"`);
  const values = parseCommand(declared, rest);
  for (const scenario of (values as { scenarios?: string[] } | undefined)?.scenarios ?? []) {
    const named = !scenario.includes('/') && existsSync(path.join(PROJECT_ROOT, 'scenarios', scenario));
    if (!named && !scenario.startsWith('./my-app/') && !existsSync(path.join(PROJECT_ROOT, scenario)))
      throw new Error(`--scenario ${scenario}: no such scenario`);
  }
}

const documented = (lines: string[]) =>
  lines
    .map(asInstalled)
    .map(basebenchArgv)
    .filter((argv): argv is string[] => argv !== undefined);

describe('commands shown to users', () => {
  it.each([
    ['README', readmeCommands, 22],
    ['the scheduled workflow', workflowCommands, 9],
  ] as const)("%s: every basebench command parses with today's options", (_, lines, atLeast) => {
    const commands = documented(lines());
    expect(commands.length).toBeGreaterThanOrEqual(atLeast);
    for (const argv of commands) expect(() => parseLine(argv), argv.join(' ')).not.toThrow();
  });

  it('would catch a stale one: an option renamed, a value out of range, a scenario gone', () => {
    for (const line of [
      'npm run bench -- --quick --repeats 5',
      'npm run bench -- --fan-out 0',
      'npx basebench bench --scenario go-helo',
      'npm run compare -- results/latest',
    ])
      expect(() => parseLine(basebenchArgv(line)!), line).toThrow();
  });
});
