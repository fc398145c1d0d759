import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { parseRun } from '../../src/results/read-run.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

/**
 * The package as a platform team uses it: packed, installed into an empty project of theirs, and
 * run on their own app, with the catalog, the floor and the bases coming from the package and
 * every result written under their folder.
 */
describe('the packed package, installed into an empty project', () => {
  const tempDir = suiteTempDir();

  it('installs, answers --help, measures the project’s own app and renders its report', async () => {
    const packed = path.join(tempDir(), 'pack');
    mkdirSync(packed);
    const { stdout } = await execa('npm', ['pack', PROJECT_ROOT, '--pack-destination', packed, '--silent'], { cwd: packed });
    const tarball = path.join(packed, stdout.trim().split('\n').at(-1)!);
    expect(existsSync(tarball)).toBe(true);

    const project = path.join(tempDir(), 'project');
    mkdirSync(project);
    await execa('npm', ['init', '-y'], { cwd: project });
    await execa('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: project });
    const npx = (args: string[]) => execa('npx', ['--no-install', 'basebench', ...args], { cwd: project });
    expect((await npx(['--help'])).stdout).toContain('Usage: basebench COMMAND');

    // Their own app: a Go hello server (the same source as the package's go-hello) with its own scenario file.
    const app = path.join(project, 'my-app');
    mkdirSync(path.join(app, 'src'), { recursive: true });
    for (const file of ['main.go', 'go.mod', 'Dockerfile'])
      cpSync(path.join(PROJECT_ROOT, 'scenarios', 'go-hello', 'app', file), path.join(app, 'src', file));
    writeFileSync(
      path.join(app, 'scenario.yaml'),
      [
        'app: { name: my-app, language: go, source: src, port: 8080, path: /, expect: { status: 200, body: hello from basebench } }',
        'variants:',
        '  - { name: scratch, dockerfile: src/Dockerfile, builder: go-builder, base: scratch, binary: /server, quick: true }',
        '',
      ].join('\n'),
    );
    await npx(['bench', '--scenario', './my-app/scenario.yaml', '--quick', '--repeat', '1', '--warm-repeat', '1', '--warmup', '0']);
    const results = parseRun(JSON.parse(readFileSync(path.join(project, 'results', 'latest', 'results.json'), 'utf8')), 'results.json');
    expect(results.state).toBe('completed');
    expect(results.variants.map((variant) => [variant.id, variant.state])).toEqual([
      ['my-app/scratch', 'completed'],
      ['floor/scratch', 'completed'],
    ]);
    // The app's scenario is named from the project, the floor (from the installed package) from the package.
    expect(results.variants.map((variant) => variant.scenarioFile)).toEqual(['my-app/scenario.yaml', 'floor/scenario.yaml']);
    expect(existsSync(path.join(project, 'node_modules', 'basebench', 'floor', 'scenario.yaml'))).toBe(true);

    expect((await npx(['report', 'results/latest'])).stdout).toContain(path.join('results', 'latest', 'report.md'));
    expect(readFileSync(path.join(project, 'results', 'latest', 'report.md'), 'utf8')).toContain('## The answer');
  });
});
