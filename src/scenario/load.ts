import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError, inputErrorFrom, readYamlFile } from '../common/input-error.js';
import type { BaseCatalog, BaseRole } from '../bases/catalog.js';
import { ScenarioSchema, type ScenarioDefinition, type VariantDefinition } from './schema.js';

/** A scenario with its paths made absolute, ready to plan. */
export interface Scenario {
  file: string;
  app: ScenarioDefinition['app'] & { contextDir: string };
  variants: Array<VariantDefinition & { dockerfilePath: string }>;
}

/** The base sets a scenario folder can have variants for: the article's releases, and today's. */
export type BaseSet = 'article' | 'current';

/** scenario.yaml holds a scenario's variants on the article's bases, scenario.current.yaml on today's. */
export const scenarioFileName = (set: BaseSet) => (set === 'article' ? 'scenario.yaml' : `scenario.${set}.yaml`);

/** `--scenario go-hello` means scenarios/go-hello/scenario.yaml (or its set's file); anything else is a file path. */
export function scenarioPath(fileOrName: string, scenariosDir: string, set: BaseSet = 'article'): string {
  if (/^[a-z0-9][a-z0-9_.-]*$/.test(fileOrName) && !fileOrName.endsWith('.yaml') && !fileOrName.endsWith('.yml')) {
    return path.join(scenariosDir, fileOrName, scenarioFileName(set));
  }
  return path.resolve(fileOrName);
}

/** Reads, validates and checks one scenario file; every mistake names the file and the field. */
export function loadScenario(file: string, catalog: BaseCatalog): Scenario {
  const raw = readYamlFile(file);
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) throw inputErrorFrom(file, parsed.error);
  const definition = parsed.data;
  const dir = path.dirname(file);
  const contextDir = path.resolve(dir, definition.app.source);
  if (!existsSync(contextDir) || !statSync(contextDir).isDirectory()) {
    throw new InputError(file, 'app.source', `folder not found: ${contextDir}`);
  }
  const seen = new Set<string>();
  const variants = definition.variants.map((variant, index) => {
    const at = `variants[${index}]`;
    if (seen.has(variant.name)) throw new InputError(file, `${at}.name`, `duplicate variant name "${variant.name}"`);
    seen.add(variant.name);
    const dockerfilePath = path.resolve(dir, variant.dockerfile);
    if (!existsSync(dockerfilePath)) throw new InputError(file, `${at}.dockerfile`, `file not found: ${dockerfilePath}`);
    if (path.relative(contextDir, dockerfilePath).startsWith('..')) {
      throw new InputError(file, `${at}.dockerfile`, `must be inside the build context ${contextDir}`);
    }
    if (typeof variant.base === 'string') checkBase(file, `${at}.base`, variant.base, 'runtime', catalog);
    // Any base of the catalog can build: a Debian image with a compiler installed is as good as a language image.
    if (variant.builder !== undefined) checkBase(file, `${at}.builder`, variant.builder, undefined, catalog);
    if (variant.packer !== undefined) checkBase(file, `${at}.packer`, variant.packer, 'packer', catalog);
    return { ...variant, dockerfilePath };
  });
  definition.variants.forEach((variant, index) => {
    if (variant.bytecodeOf !== undefined && !definition.variants.some((candidate) => candidate.name === variant.bytecodeOf))
      throw new InputError(file, `variants[${index}].bytecodeOf`, `no variant named "${variant.bytecodeOf}" in this file`);
    if (variant.upxOf === undefined) return;
    const unpacked = definition.variants.find((candidate) => candidate.name === variant.upxOf);
    if (!unpacked) throw new InputError(file, `variants[${index}].upxOf`, `no variant named "${variant.upxOf}" in this file`);
    if (!variant.binary || !unpacked.binary) {
      throw new InputError(file, `variants[${index}].binary`, 'a UPX variant and the variant it packs must both name their binary');
    }
  });
  return { file, app: { ...definition.app, contextDir }, variants };
}

/** A catalog base exists, and (given a role) has it. */
function checkBase(file: string, field: string, name: string, role: BaseRole | undefined, catalog: BaseCatalog): void {
  const entry = catalog.bases.find((candidate) => candidate.name === name);
  if (!entry) {
    const known = catalog.bases
      .filter((candidate) => role === undefined || candidate.roles.includes(role))
      .map((candidate) => candidate.name);
    throw new InputError(
      file,
      field,
      `unknown base "${name}" (known ${role ?? ''}${role ? ' ' : ''}bases in ${catalog.file}: ${known.join(', ')})`,
    );
  }
  if (role && !entry.roles.includes(role))
    throw new InputError(file, field, `"${name}" is not a ${role} base (it is: ${entry.roles.join(', ')})`);
}
