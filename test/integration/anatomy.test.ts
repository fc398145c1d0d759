import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { findBase } from '../../src/bases/catalog.js';
import { defaultBaseCacheDir, ensureLocalBase } from '../../src/bases/local-bases.js';
import { silentLogger } from '../../src/common/log.js';
import { connectEngine } from '../../src/engine/connect.js';
import { anatomyOfImages } from '../../src/pipeline/anatomy-of.js';
import { readRunStates } from '../../src/pipeline/run-state.js';
import { projectCatalog } from '../fixtures/catalog.js';

describe('npm run anatomy on images nobody here built for a scenario', () => {
  it('reads a Debian stand-in and a language image on it: layers, shared base, files by kind, app above the base', async () => {
    const engine = await connectEngine(silentLogger);
    const catalog = projectCatalog();
    const context = { images: engine.images, log: silentLogger, catalog, cacheDir: defaultBaseCacheDir() };
    const slim = await ensureLocalBase(findBase(catalog, 'debian-bookworm-slim')!, context);
    const python = await ensureLocalBase(findBase(catalog, 'python-3.12-slim')!, context);
    const hostsBefore = new Set((await new Docker().listImages()).flatMap((image) => image.RepoTags ?? []));

    const [base, app] = await anatomyOfImages([slim.ref, python.ref], slim.ref, silentLogger);

    expect(base!.anatomy.layers.map((layer) => layer.origin)).toEqual(['base']);
    expect(app!.anatomy.layers.map((layer) => layer.origin)).toEqual(['base', 'app']);
    // The same blob: compressed the same way, so a node pulls it once for both.
    expect(app!.anatomy.layers[0]!.digest).toBe(base!.anatomy.layers[0]!.digest);
    const kinds = Object.fromEntries(app!.anatomy.kinds.map((kind) => [kind.kind, kind.bytes]));
    // Above the base is the apt-get install layer: Python and its libraries, all counted as the app's.
    expect(kinds.app).toBeGreaterThan(10e6);
    expect(kinds['C library']).toBeGreaterThan(1e6);
    expect(base!.anatomy.efficiency.score).toBe(1);
    expect(base!.anatomy.setuid).toContain('/usr/bin/su');

    // Nothing left: no tags of its registry, no run state.
    const tagsAfter = (await new Docker().listImages()).flatMap((image) => image.RepoTags ?? []);
    expect(tagsAfter.filter((tag) => !hostsBefore.has(tag) && tag.includes('basebench-anatomy'))).toEqual([]);
    expect(readRunStates().filter((state) => state.command === 'basebench anatomy')).toEqual([]);
  });
});
