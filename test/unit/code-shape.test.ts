import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/common/project-root.js';

/** src/ folders from the bottom up, as README's layout table lists them: each may import only from itself and below. */
const LAYERS = [
  'common',
  'results',
  'engine',
  'registry',
  'network',
  'bases',
  'scenario',
  'measure',
  'report',
  'export',
  'pipeline',
  'history',
  'cli',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
  );
}

describe('the layers of src/', () => {
  it('has every folder in the layer list', () => {
    const folders = readdirSync(path.join(PROJECT_ROOT, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect([...folders].sort()).toEqual([...LAYERS].sort());
  });

  it('has no import that points upward', () => {
    const upward: string[] = [];
    for (const file of sourceFiles(path.join(PROJECT_ROOT, 'src'))) {
      const layer = path.relative(path.join(PROJECT_ROOT, 'src'), file).split(path.sep)[0]!;
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const target = path.relative(path.join(PROJECT_ROOT, 'src'), path.resolve(path.dirname(file), specifier!)).split(path.sep)[0]!;
        if (LAYERS.indexOf(target) > LAYERS.indexOf(layer))
          upward.push(`${path.relative(PROJECT_ROOT, file)} imports ${specifier} (${layer} → ${target})`);
      }
    }
    expect(upward).toEqual([]);
  });
});

describe('the source files', () => {
  it('have no line over 140 characters (the formatter wraps code; long strings are split by hand)', () => {
    const files = [...sourceFiles(path.join(PROJECT_ROOT, 'src')), ...sourceFiles(path.join(PROJECT_ROOT, 'test'))];
    const long = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => (line.length > 140 ? [`${path.relative(PROJECT_ROOT, file)}:${index + 1} (${line.length})`] : [])),
    );
    expect(long).toEqual([]);
  });
});

describe('the scenarios and the base catalog', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? files(path.join(dir, entry.name)) : entry.name === 'Cargo.lock' ? [] : [path.join(dir, entry.name)],
    );

  it('have Dockerfiles that say in a comment what they rely on in the images they build on', () => {
    const dockerfiles = files(path.join(PROJECT_ROOT, 'scenarios')).filter((file) => path.basename(file).startsWith('Dockerfile'));
    expect(dockerfiles.length).toBeGreaterThan(10);
    const silent = dockerfiles.filter((file) => !/^# .*\b[Rr]el(y|ies) on\b/m.test(readFileSync(file, 'utf8')));
    expect(silent.map((file) => path.relative(PROJECT_ROOT, file))).toEqual([]);
  });

  it('name no CPU architecture outside comments: the build platform decides (uname -m, dpkg --print-architecture)', () => {
    const named = [...files(path.join(PROJECT_ROOT, 'scenarios')), ...files(path.join(PROJECT_ROOT, 'examples'))].flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(#|\/\/)/.test(line) && /\b(x86_64|amd64|aarch64|arm64)\b/.test(line))
        .map((line) => `${path.relative(PROJECT_ROOT, file)}: ${line.trim()}`),
    );
    expect(named).toEqual([]);
  });
});
