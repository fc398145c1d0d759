import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCatalogFile, findBase, loadCatalog, type BaseCatalog } from '../../src/bases/catalog.js';
import { recipeHash, renderRecipe } from '../../src/bases/recipes.js';
import { decideSource } from '../../src/bases/resolve.js';
import { InputError } from '../../src/common/input-error.js';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';
import { BaseResolver } from '../../src/bases/resolve.js';
import type { ImageClient } from '../../src/engine/clients.js';
import { silentLogger } from '../../src/common/log.js';
import { projectCatalog } from '../fixtures/catalog.js';

const tempRoot = suiteTempDir();

const catalog = projectCatalog();
const base = (name: string) => findBase(catalog, name)!;

function catalogFile(yaml: string): string {
  const file = path.join(mkdtempSync(path.join(tempRoot(), 'catalog-')), 'bases.yaml');
  writeFileSync(file, yaml);
  return file;
}

function rejection(yaml: string): InputError {
  const file = catalogFile(yaml);
  try {
    loadCatalog(file);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).file).toBe(file);
    return error as InputError;
  }
  throw new Error('expected the catalog to be rejected');
}

const SLIM = `  - name: slim
    roles: [runtime]
    upstream: debian:bookworm-slim
    local: { mmdebstrap: { suite: bookworm, slim: true } }
`;

describe('the base catalog', () => {
  it('resolves each base to upstream when its registry answers, in auto and upstream modes', () => {
    for (const entry of catalog.bases) {
      const expected = entry.local && 'empty' in entry.local ? 'empty' : 'upstream';
      expect(decideSource(entry, 'auto', true)).toEqual({ source: expected });
      expect(decideSource(entry, 'upstream', true)).toEqual({ source: expected });
    }
  });

  it('resolves each base to its local stand-in offline, or says why there is none', () => {
    for (const mode of ['auto', 'local'] as const) {
      expect(decideSource(base('debian-bookworm-slim'), mode, false)).toEqual({ source: 'local' });
      expect(decideSource(base('distroless-static-debian12'), mode, false)).toEqual({ source: 'local' });
      expect(decideSource(base('go-builder'), mode, false)).toEqual({ source: 'local' });
      expect(decideSource(base('scratch'), mode, false)).toEqual({ source: 'empty' });
      const alpine = decideSource(base('alpine-3.20'), mode, false);
      expect(alpine).toHaveProperty('unavailable');
      expect((alpine as { unavailable: string }).unavailable).toContain('a Debian image is not Alpine');
    }
    // local mode never uses upstream, even when it answers.
    expect(decideSource(base('debian-bookworm-slim'), 'local', true)).toEqual({ source: 'local' });
    expect(decideSource(base('debian-bookworm-slim'), 'upstream', false)).toHaveProperty('unavailable');
  });

  it('says, for every runtime stand-in it ships, what differs from upstream, and how Python ones ship bytecode', () => {
    const standIns = catalog.bases.filter((entry) => entry.roles.includes('runtime') && entry.local && !('empty' in entry.local));
    const missing = standIns.filter((entry) => !entry.fidelity?.differs.length).map((entry) => entry.name);
    expect(missing).toEqual([]);
    const python = standIns.filter((entry) => /python/.test(entry.name));
    expect(python.length).toBeGreaterThanOrEqual(6);
    for (const entry of python) {
      expect(entry.fidelity?.bytecode, entry.name).toBeDefined();
      // Upstream python:* deletes the standard library's bytecode; a stand-in from apt must delete what py3compile wrote.
      if (entry.fidelity?.bytecode === 'none' && entry.local && 'packages' in entry.local)
        expect(entry.local.packages.bytecode, entry.name).toBe('remove');
    }
  });

  it('renders distroless stand-ins that unpack packages onto the empty image, without shells or dpkg', () => {
    const rendered = renderRecipe(base('distroless-python3-debian12'), catalog)!;
    expect(rendered.dockerfile).toContain('FROM scratch');
    expect(rendered.dockerfile).toContain('ENTRYPOINT ["/usr/bin/python3.11"]');
    for (const excluded of ['dash', 'bash', 'dpkg', 'perl-base'])
      expect(rendered.dockerfile).toMatch(new RegExp(`'[^']*\\b${excluded}\\b[^']*'`));
    expect(Object.keys(rendered.files)).toEqual(['assemble-distroless.sh']);
  });

  it('hashes recipes so a change to a parent changes every base built on it', () => {
    const before = recipeHash(base('go-builder'), catalog);
    // Deterministic: the catalog read again from its file gives the same hash (it names the cached stand-in).
    const reread = loadCatalog(defaultCatalogFile(PROJECT_ROOT));
    expect(recipeHash(findBase(reread, 'go-builder')!, reread)).toBe(before);
    const changed: BaseCatalog = {
      ...catalog,
      bases: catalog.bases.map((entry) =>
        entry.name === 'debian-bookworm-slim' ? { ...entry, local: { mmdebstrap: { suite: 'bookworm', slim: false } } } : entry,
      ),
    };
    expect(recipeHash(findBase(changed, 'go-builder')!, changed)).not.toBe(before);
    expect(recipeHash(findBase(changed, 'upx-packer')!, changed)).toBe(recipeHash(base('upx-packer'), catalog));
  });

  it.each([
    ['a duplicate name', `bases:\n${SLIM}${SLIM}`, 'bases[1].name', 'duplicate base name "slim"'],
    [
      'an unknown parent',
      `bases:\n${SLIM}  - { name: b, roles: [builder], upstream: x, local: { packages: { from: nope, install: [gcc] } } }\n`,
      'bases[1].local.packages.from',
      'unknown base "nope"',
    ],
    [
      'a base built on itself',
      `bases:\n  - { name: a, roles: [builder], upstream: x, local: { packages: { from: b, install: [gcc] } } }\n  - { name: b, ` +
        `roles: [builder], upstream: y, local: { packages: { from: a, install: [gcc] } } }\n`,
      'bases[0].local.packages.from',
      'built on itself',
    ],
    [
      'no stand-in and no reason',
      `bases:\n  - { name: a, roles: [runtime], upstream: alpine:3.20, local: null }\n`,
      'bases[0].offline',
      'must say why',
    ],
    [
      'a bad package name',
      `bases:\n${SLIM}  - { name: b, roles: [builder], upstream: x, local: { packages: { from: slim, install: ["gcc; rm -rf /"] } } }\n`,
      'bases[1].local.packages.install[0]',
      'Debian package name',
    ],
    [
      'an unknown recipe',
      `bases:\n  - { name: a, roles: [runtime], upstream: x, local: { docker: { file: Dockerfile } } }\n`,
      'bases[0].local',
      'must be one recipe: { empty: true }, { mmdebstrap: … }, { packages: … } or { distroless: … }',
    ],
    [
      'an unknown role',
      `bases:\n  - { name: a, roles: [tester], upstream: x, local: { empty: true } }\n`,
      'bases[0].roles[0]',
      'expected one of "builder"|"runtime"|"packer"',
    ],
  ])('rejects %s, naming the file and the field', (_label, yaml, field, message) => {
    const error = rejection(yaml);
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
  });
});

describe('a runtime base named by image reference', () => {
  const images = (local: boolean, remote: string | Error) =>
    ({
      inspect: async () => (local ? { id: 'sha256:local', tags: [], diffIds: [], sizeBytes: 1, repoDigests: [] } : undefined),
      remoteDigest: async () => {
        if (remote instanceof Error) throw remote;
        return remote;
      },
    }) as unknown as ImageClient;
  const resolverWith = (client: ImageClient) =>
    new BaseResolver(
      projectCatalog(),
      'auto',
      { images: client, log: silentLogger, catalog: projectCatalog(), cacheDir: '/nonexistent' },
      client,
    );

  it('is the engine’s image when the engine has it, else its registry’s digest', async () => {
    expect(await resolverWith(images(true, new Error('offline'))).resolveImage('team/base:1')).toEqual({
      name: 'team/base:1',
      source: 'image',
      ref: 'team/base:1',
      digest: 'sha256:local',
    });
    expect((await resolverWith(images(false, 'sha256:remote')).resolveImage('team/base:1')).digest).toBe('sha256:remote');
  });

  it('is unavailable, with why, when neither has it', async () => {
    await expect(resolverWith(images(false, new Error('no such host'))).resolveImage('team/base:1')).rejects.toThrow(
      'image team/base:1 is not in the engine and its registry did not answer (no such host)',
    );
  });
});
