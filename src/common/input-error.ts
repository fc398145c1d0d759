import { existsSync, readFileSync } from 'node:fs';
import { parseDocument, type YAMLParseError } from 'yaml';
import type { z } from 'zod';

/** A mistake in an input file, named by file and field so the user can go straight to it. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'InputError';
  }
}

export function fieldPath(issuePath: ReadonlyArray<PropertyKey>): string {
  return issuePath.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}

/** The first schema issue as an InputError. */
export function inputErrorFrom(file: string, error: z.ZodError): InputError {
  const issue = error.issues[0]!;
  return new InputError(file, fieldPath(issue.path), issue.message);
}

/** Parses a YAML input file; a missing file or bad YAML is an InputError with the line. */
export function readYamlFile(file: string): unknown {
  if (!existsSync(file)) throw new InputError(file, '', 'file not found');
  try {
    // Warnings (an unresolved tag, an ambiguous alias) are mistakes in an input file too: one error, not a stderr line.
    const document = parseDocument(readFileSync(file, 'utf8'), { logLevel: 'silent' });
    const problem = document.errors[0] ?? document.warnings[0];
    if (problem) throw problem;
    return document.toJS();
  } catch (error) {
    const located = error as YAMLParseError;
    const where = located.linePos ? `line ${located.linePos[0].line}` : '';
    throw new InputError(file, where, `not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}
