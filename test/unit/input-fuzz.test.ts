import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseCommand, UsageError } from '../../src/cli/command.js';
import { COMMANDS } from '../../src/cli/main.js';
import { InputError } from '../../src/common/input-error.js';
import { loadScenario } from '../../src/scenario/load.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';
import { projectCatalog } from '../fixtures/catalog.js';

/**
 * Property-based: whatever a scenario file or a command line holds, the outcome is a valid input
 * or one input error naming the file and field (or the option), never an uncaught exception.
 */
const tempDir = suiteTempDir();
const catalog = projectCatalog();

const VALID = {
  app: { name: 'hello', language: 'go', source: 'app', port: 8080, path: '/', expect: { status: 200, body: 'hello' } },
  variants: [
    { name: 'scratch', dockerfile: 'app/Dockerfile', builder: 'go-builder', base: 'scratch', binary: '/server' },
    {
      name: 'scratch-upx',
      dockerfile: 'app/Dockerfile',
      builder: 'go-builder',
      packer: 'upx-packer',
      base: 'scratch',
      upxOf: 'scratch',
      binary: '/server',
    },
  ],
};

/** Odd values: huge and unicode strings, markup, numbers of every kind, nesting. */
const oddValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('', ' ', '../../etc/passwd', '<script>alert(1)</script>', '{{x}}', '$(reboot)', '\u0000', 'a'.repeat(100_000), '~', '*'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** Every path into the valid scenario, to replace or delete one value at. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, item]) => paths(item, [...prefix, key]))];
}
const PATHS = paths(VALID).filter((item) => item.length > 0);

function mutate(path: ReadonlyArray<string | number>, value: unknown, remove: boolean): unknown {
  const copy = structuredClone(VALID) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

function scenarioFile(text: string): string {
  const dir = path.join(tempDir(), 'fuzz');
  mkdirSync(path.join(dir, 'app'), { recursive: true });
  writeFileSync(path.join(dir, 'app', 'Dockerfile'), 'FROM scratch\n');
  const file = path.join(dir, 'scenario.yaml');
  writeFileSync(file, text);
  return file;
}

/** Loads the text as a scenario: valid, or an InputError naming this file; anything else fails the property. */
function loadsOrNamesTheField(text: string): boolean {
  const file = scenarioFile(text);
  try {
    loadScenario(file, catalog);
    return true;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expect(error.message.startsWith(`${file}: `)).toBe(true);
    return true;
  }
}

describe('scenario files, fuzzed', () => {
  it('with one value replaced by an odd one or removed: valid, or one error naming the file and field', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), oddValue, fc.boolean(), (at, value, remove) =>
        loadsOrNamesTheField(stringify(mutate(at, value, remove))),
      ),
      { numRuns: 1500, seed: 20261204 },
    );
  });

  it('with the YAML text itself cut, spliced and garbled: valid, or one error naming the file', () => {
    const text = stringify(VALID);
    fc.assert(
      fc.property(fc.nat(text.length), fc.nat(40), fc.string({ maxLength: 20 }), (at, cut, insert) =>
        loadsOrNamesTheField(text.slice(0, at) + insert + text.slice(at + cut)),
      ),
      { numRuns: 1500, seed: 20261205 },
    );
  });

  it('that are not scenarios at all: any text, any YAML value', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => loadsOrNamesTheField(text)),
      { numRuns: 300, seed: 3 },
    );
    fc.assert(
      fc.property(oddValue, (value) => loadsOrNamesTheField(stringify(value))),
      { numRuns: 300, seed: 4 },
    );
  });
});

describe('command lines, fuzzed', () => {
  /** A token: a known option of the command (with or without a value), a stray word, or an odd value. */
  const asText = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined'));
  const tokens = (options: readonly string[]) => {
    const names = [...options, 'help'];
    return fc.array(
      fc.oneof(
        fc.constantFrom(...names.map((name) => `--${name}`)),
        fc.tuple(fc.constantFrom(...names), oddValue).map(([name, value]) => `--${name}=${asText(value)}`),
        fc.constantFrom('-x', '--', '-', '--no-such-option', 'positional', '--help=3', '/proc/x', '1e9', '-1', 'NaN'),
        fc.string({ maxLength: 30 }),
      ),
      { maxLength: 8 },
    );
  };

  it.each(COMMANDS.map((command) => [command.name, command] as const))(
    '%s: parsed, or one usage error naming the option',
    (_name, command) => {
      fc.assert(
        fc.property(tokens(Object.keys(command.options)), (argv) => {
          try {
            parseCommand(command, argv);
          } catch (error) {
            if (!(error instanceof UsageError)) throw error;
            expect(error.message.length).toBeGreaterThan(0);
            expect(error.message).not.toMatch(/\n {4}at /);
          }
          return true;
        }),
        { numRuns: 250, seed: 6 },
      );
    },
  );
});
