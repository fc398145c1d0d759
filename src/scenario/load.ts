import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { BASE_CATALOG, type BaseEntry } from '../bases/catalog.js';
import { ScenarioSchema, type ScenarioDefinition, type VariantDefinition } from './schema.js';

/** A scenario with its paths made absolute, ready to plan. */
export interface Scenario {
  file: string;
  app: ScenarioDefinition['app'] & { contextDir: string };
  variants: Array<VariantDefinition & { dockerfilePath: string }>;
}

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'ScenarioError';
  }
}

/** `--scenario go-hello` means scenarios/go-hello/scenario.yaml; anything else is a file path. */
export function scenarioPath(fileOrName: string, scenariosDir: string): string {
  if (/^[a-z0-9][a-z0-9_.-]*$/.test(fileOrName) && !fileOrName.endsWith('.yaml') && !fileOrName.endsWith('.yml')) {
    return path.join(scenariosDir, fileOrName, 'scenario.yaml');
  }
  return path.resolve(fileOrName);
}

function fieldPath(issuePath: ReadonlyArray<PropertyKey>): string {
  return issuePath
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

/** Reads, validates and checks one scenario file; every mistake names the file and the field. */
export function loadScenario(file: string, catalog: readonly BaseEntry[] = BASE_CATALOG): Scenario {
  if (!existsSync(file)) throw new ScenarioError(file, '', 'file not found');
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? `line ${error.linePos[0].line}` : '';
    throw new ScenarioError(file, where, `not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    throw new ScenarioError(file, fieldPath(issue.path), issue.message);
  }
  const definition = parsed.data;
  const dir = path.dirname(file);
  const contextDir = path.resolve(dir, definition.app.source);
  if (!existsSync(contextDir) || !statSync(contextDir).isDirectory()) {
    throw new ScenarioError(file, 'app.source', `folder not found: ${contextDir}`);
  }
  const seen = new Set<string>();
  const variants = definition.variants.map((variant, index) => {
    const at = `variants[${index}]`;
    if (seen.has(variant.name)) throw new ScenarioError(file, `${at}.name`, `duplicate variant name "${variant.name}"`);
    seen.add(variant.name);
    const dockerfilePath = path.resolve(dir, variant.dockerfile);
    if (!existsSync(dockerfilePath)) throw new ScenarioError(file, `${at}.dockerfile`, `file not found: ${dockerfilePath}`);
    if (path.relative(contextDir, dockerfilePath).startsWith('..')) {
      throw new ScenarioError(file, `${at}.dockerfile`, `must be inside the build context ${contextDir}`);
    }
    checkBase(file, `${at}.base`, variant.base, 'runtime', catalog);
    if (variant.builder !== undefined) checkBase(file, `${at}.builder`, variant.builder, 'builder', catalog);
    return { ...variant, dockerfilePath };
  });
  return { file, app: { ...definition.app, contextDir }, variants };
}

function checkBase(file: string, field: string, name: string, role: BaseEntry['role'], catalog: readonly BaseEntry[]): void {
  const entry = catalog.find((candidate) => candidate.name === name);
  if (!entry) {
    const known = catalog.filter((candidate) => candidate.role === role).map((candidate) => candidate.name);
    throw new ScenarioError(file, field, `unknown base "${name}" (known ${role} bases: ${known.join(', ')})`);
  }
  if (entry.role !== role) throw new ScenarioError(file, field, `"${name}" is a ${entry.role} base, not a ${role} base`);
}
