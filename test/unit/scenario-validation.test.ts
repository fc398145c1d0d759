import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/common/input-error.js';
import { SCENARIOS_DIR, loadScenarios } from '../../src/pipeline/run.js';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { loadScenario as loadWithCatalog } from '../../src/scenario/load.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';
import { projectCatalog } from '../fixtures/catalog.js';

const tempRoot = suiteTempDir();

const catalog = projectCatalog();
const loadScenario = (file: string) => loadWithCatalog(file, catalog);

const VALID = `app:
  name: hello
  language: go
  source: app
  port: 8080
  path: /
  expect:
    body: hello
variants:
  - name: scratch
    dockerfile: app/Dockerfile
    builder: go-builder
    base: scratch
`;

function scenarioDir(yaml: string, files: Record<string, string> = { 'app/Dockerfile': 'FROM scratch\n' }): string {
  const dir = mkdtempSync(path.join(tempRoot(), 'scenario-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  const file = path.join(dir, 'scenario.yaml');
  writeFileSync(file, yaml);
  return file;
}

function errorOf(file: string): InputError {
  try {
    loadScenario(file);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('a scenario file', () => {
  it('that is valid loads with absolute paths and defaults filled in', () => {
    const file = scenarioDir(VALID);
    const scenario = loadScenario(file);
    expect(scenario.app.expect.status).toBe(200);
    expect(scenario.app.contextDir).toBe(path.join(path.dirname(file), 'app'));
    expect(scenario.variants[0]!.dockerfilePath).toBe(path.join(path.dirname(file), 'app', 'Dockerfile'));
  });

  it.each([
    ['a missing field', VALID.replace('  port: 8080\n', ''), 'app.port'],
    ['a port of the wrong type', VALID.replace('port: 8080', 'port: eighty'), 'app.port'],
    ['a path without a leading slash', VALID.replace('path: /', 'path: health'), 'app.path'],
    ['a language that is not a label', VALID.replace('language: go', 'language: "C++"'), 'app.language'],
    ['an unknown field', VALID.replace('  port: 8080', '  port: 8080\n  prot: 1'), 'app'],
    ['an unknown base', VALID.replace('base: scratch', 'base: debian-slimm'), 'variants[0].base'],
    ['a builder used as runtime base', VALID.replace('base: scratch', 'base: go-builder'), 'variants[0].base'],
    [
      'a UPX variant of a variant that does not exist',
      VALID.replace('    base: scratch\n', '    base: scratch\n    binary: /server\n    upxOf: nothing\n'),
      'variants[0].upxOf',
    ],
    ['a Dockerfile that does not exist', VALID.replace('app/Dockerfile', 'app/Dockerfile.nope'), 'variants[0].dockerfile'],
    ['no variants', VALID.replace(/variants:[\s\S]*$/, 'variants: []\n'), 'variants'],
  ])('with %s is rejected naming the file and the field', (_label, yaml, field) => {
    const file = scenarioDir(yaml);
    const error = errorOf(file);
    expect(error.file).toBe(file);
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${file}: ${field}: `)).toBe(true);
  });

  it('with a duplicate variant name is rejected at the second one', () => {
    const file = scenarioDir(VALID + VALID.slice(VALID.indexOf('  - name: scratch')));
    expect(errorOf(file).field).toBe('variants[1].name');
  });

  it('that is not YAML is rejected with the line', () => {
    const file = scenarioDir('app: [unclosed\n');
    expect(errorOf(file).message).toMatch(/^.*scenario\.yaml: line \d+: not valid YAML/);
  });

  it('whose source folder is missing is rejected at app.source', () => {
    const file = scenarioDir(VALID.replace('source: app', 'source: elsewhere'));
    expect(errorOf(file).field).toBe('app.source');
  });

  it('that does not exist is rejected naming it', () => {
    expect(() => loadScenario('/nonexistent/scenario.yaml')).toThrow('/nonexistent/scenario.yaml: file not found');
  });
});

describe('the shipped scenarios', () => {
  it('takes any language label, any catalog base as builder, and a runtime base named by image reference', () => {
    const scenario = loadScenario(
      scenarioDir(
        VALID.replace('language: go', 'language: cobol')
          .replace('builder: go-builder', 'builder: debian-bookworm-slim')
          .replace('base: scratch', 'base: { image: registry.example/team/base:1.2 }'),
      ),
    );
    expect(scenario.app.language).toBe('cobol');
    expect(scenario.variants[0]).toMatchObject({ builder: 'debian-bookworm-slim', base: { image: 'registry.example/team/base:1.2' } });
  });

  it('loads the worked example of an app nobody here wrote (BusyBox httpd)', () => {
    const scenario = loadScenario(path.join(PROJECT_ROOT, 'examples', 'busybox-httpd', 'scenario.yaml'));
    expect(scenario.variants.map((variant) => [variant.name, variant.builder, variant.base])).toEqual([
      ['scratch', 'debian-bookworm', 'scratch'],
      ['debian-slim', 'debian-bookworm', 'debian-bookworm-slim'],
    ]);
  });

  it('all load, and cover the five languages', () => {
    const scenarios = loadScenarios([], catalog);
    expect(scenarios.every((scenario) => scenario.file.startsWith(SCENARIOS_DIR))).toBe(true);
    expect(new Set(scenarios.map((scenario) => scenario.app.language))).toEqual(new Set(['go', 'rust', 'node', 'python', 'java']));
  });

  it("have a current set too (--set current): the same five apps on today's releases, no article base among them", () => {
    const current = loadScenarios([], catalog, 'current');
    expect(current.map((scenario) => path.basename(scenario.file))).toEqual(Array(5).fill('scenario.current.yaml'));
    expect(new Set(current.map((scenario) => scenario.app.language))).toEqual(new Set(['go', 'rust', 'node', 'python', 'java']));
    const article = new Set(loadScenarios([], catalog).flatMap((scenario) => scenario.variants.map((variant) => variant.base)));
    const shared = current.flatMap((scenario) => scenario.variants.map((variant) => variant.base)).filter((base) => article.has(base));
    // Only scratch is in both sets: no runtime base of the article's releases runs the current set.
    expect(new Set(shared)).toEqual(new Set(['scratch']));
    expect(loadScenarios(['go-hello'], catalog, 'current')[0]!.variants.some((variant) => variant.name === 'debian13-slim')).toBe(true);
  });
});
