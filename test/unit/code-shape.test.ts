import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { SAMPLERS } from '../../src/measure/samples.js';
import { SAMPLE_KIND_NAMES, SAMPLE_KINDS } from '../../src/results/sample-kinds.js';
import { sampleKind } from '../../src/results/schema.js';
import { benchCommand } from '../../src/cli/commands/bench.js';
import { SUMMARY_COLUMNS } from '../../src/export/summary-csv.js';

/**
 * Folders from the bottom up, one row per row of README's layout table: each may import only from
 * its own row and the rows below. Folders in one row are peers (registry and network; bases and
 * scenario; history and cli's neighbours). bench/ (the harness's own benchmarks, at the top of the
 * repository) sits below cli, which declares its commands and loads them on demand.
 */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['common'],
  ['results'],
  ['engine'],
  ['registry', 'network'],
  ['bases', 'scenario'],
  ['measure'],
  ['report'],
  ['export'],
  ['pipeline'],
  ['history'],
  ['bench'],
  ['cli'],
];
const rank = (folder: string) => LAYERS.findIndex((row) => row.includes(folder));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
  );
}

/** The layer a file is in: src/<folder>/… or the top-level bench/. */
function layerOf(file: string): string {
  const relative = path.relative(PROJECT_ROOT, file).split(path.sep);
  return relative[0] === 'src' ? relative[1]! : relative[0]!;
}

/** Every relative module a file names: import … from, export … from, and dynamic import(). */
function importsOf(text: string): string[] {
  const patterns = [/\b(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/g, /\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/g];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1]!));
}

describe('the layers of src/ and bench/', () => {
  it('has every folder in the layer list', () => {
    const folders = readdirSync(path.join(PROJECT_ROOT, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect([...folders, 'bench'].sort()).toEqual(LAYERS.flat().sort());
  });

  it('reads every way a module is named', () => {
    const text = [
      "import { a } from '../common/a.js';",
      "export { b } from '../report/b.js';",
      "export * from './c.js';",
      "const { d } = await import('../../bench/d.js');",
    ].join('\n');
    expect(importsOf(text)).toEqual(['../common/a.js', '../report/b.js', './c.js', '../../bench/d.js']);
  });

  it('has no import that points upward', () => {
    const upward: string[] = [];
    const files = [...sourceFiles(path.join(PROJECT_ROOT, 'src')), ...sourceFiles(path.join(PROJECT_ROOT, 'bench'))];
    for (const file of files) {
      const layer = layerOf(file);
      for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
        const target = layerOf(path.resolve(path.dirname(file), specifier));
        if (rank(target) > rank(layer)) upward.push(`${path.relative(PROJECT_ROOT, file)} imports ${specifier} (${layer} → ${target})`);
      }
    }
    expect(upward).toEqual([]);
  });
});

describe('the sample kinds', () => {
  it('are declared once: the schema, the samplers, the options and the summary all follow the declaration', () => {
    expect(sampleKind.options).toEqual(SAMPLE_KIND_NAMES);
    expect(Object.keys(SAMPLERS).sort()).toEqual([...SAMPLE_KIND_NAMES].sort());
    const options = Object.keys(benchCommand.options);
    expect(options).toEqual(expect.arrayContaining(SAMPLE_KINDS.map((kind) => kind.repeat.option)));
    expect(SUMMARY_COLUMNS).toEqual(expect.arrayContaining(SAMPLE_KIND_NAMES.map((kind) => `${kind.replace('-', '_')}_completed`)));
  });

  it('are listed nowhere else: no file names every kind on one line', () => {
    const kindsTogether = /cold[^\n]{0,200}'base-cached'[^\n]{0,200}warm/;
    const listing = [...sourceFiles(path.join(PROJECT_ROOT, 'src')), ...sourceFiles(path.join(PROJECT_ROOT, 'bench'))]
      .filter((file) => !file.endsWith(path.join('results', 'sample-kinds.ts')))
      .filter((file) => kindsTogether.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(PROJECT_ROOT, file));
    expect(listing).toEqual([]);
  });
});

describe('the source files', () => {
  it('have no line over 140 characters (the formatter wraps code; long strings are split by hand)', () => {
    const files = ['src', 'bench', 'test'].flatMap((folder) => sourceFiles(path.join(PROJECT_ROOT, folder)));
    const long = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => (line.length > 140 ? [`${path.relative(PROJECT_ROOT, file)}:${index + 1} (${line.length})`] : [])),
    );
    expect(long).toEqual([]);
  });

  it('in src and bench hold at most 400 lines each: a longer file is two jobs (README: Layout)', () => {
    const files = ['src', 'bench'].flatMap((folder) => sourceFiles(path.join(PROJECT_ROOT, folder)));
    const long = files
      .map((file) => ({ file: path.relative(PROJECT_ROOT, file), lines: readFileSync(file, 'utf8').trimEnd().split('\n').length }))
      .filter((entry) => entry.lines > 400);
    expect(long).toEqual([]);
  });

  it('export only what another module uses: a function or constant used in its own file alone stays private to it', () => {
    const files = ['src', 'bench', 'test'].flatMap((folder) => sourceFiles(path.join(PROJECT_ROOT, folder)));
    files.push(path.join(PROJECT_ROOT, 'bin', 'basebench.js'));
    const texts = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]));
    const unused = files
      .filter((file) => !file.includes(`${path.sep}test${path.sep}`))
      .flatMap((file) =>
        [...texts.get(file)!.matchAll(/^export (?:async )?(?:function|const|class|enum) (\w+)/gm)]
          .map(([, name]) => name!)
          .filter((name) => ![...texts].some(([other, text]) => other !== file && new RegExp(`\\b${name}\\b`).test(text)))
          .map((name) => `${path.relative(PROJECT_ROOT, file)}: ${name}`),
      );
    expect(unused).toEqual([]);
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
