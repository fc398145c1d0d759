import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBase } from '../../src/bases/catalog.js';
import { defaultBaseCacheDir, ensureLocalBase } from '../../src/bases/local-bases.js';
import { silentLogger } from '../../src/common/log.js';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { connectEngine } from '../../src/engine/connect.js';
import { type Emulation, enableEmulation } from '../../src/engine/emulation.js';
import { warmSample } from '../../src/measure/samples.js';
import { projectCatalog } from '../fixtures/catalog.js';

/** ELF e_machine of an aarch64 binary (offset 18, little endian). */
const EM_AARCH64 = 183;

/**
 * The scenarios' own Dockerfiles, built for linux/arm64 on builder stand-ins made for arm64 from
 * the same recipes, run under qemu-user-static, answering the harness's probe. Timings under
 * emulation say nothing about arm64 hardware, so none are recorded or reported.
 */
describe('arm64 under emulation', () => {
  let emulation: Emulation;
  beforeAll(async () => {
    emulation = await enableEmulation('arm64', silentLogger);
    if (!emulation.ready) console.warn(`arm64 test skipped: ${emulation.why}`);
  });
  afterAll(async () => {
    if (emulation.ready) await emulation.undo();
  });

  it.for([
    ['go-hello', 'go-builder'],
    ['rust-hello', 'rust-builder'],
  ] as const)('builds %s on scratch for arm64 (builder %s made for arm64) and it answers', async ([app, builderName], context) => {
    if (!emulation.ready) return context.skip();
    const engine = await connectEngine(silentLogger);
    const catalog = projectCatalog();
    const builder = await ensureLocalBase(findBase(catalog, builderName)!, {
      images: engine.images,
      log: silentLogger,
      catalog,
      cacheDir: defaultBaseCacheDir(),
      arch: 'arm64',
    });
    const tag = `basebench-arm64-test/${app}:scratch`;
    try {
      await engine.images.build({
        contextDir: path.join(PROJECT_ROOT, 'scenarios', app, 'app'),
        dockerfile: 'Dockerfile',
        tag,
        buildArgs: { BUILDER_IMAGE: builder.ref, BASE_IMAGE: 'scratch' },
        labels: { 'basebench.test': 'arm64' },
        onOutput: () => {},
      });
      const [server] = (await engine.images.readTree(tag, '/server'))!;
      expect(server!.content.readUInt16LE(18), `${app}: /server is not an aarch64 ELF binary`).toBe(EM_AARCH64);
      const sample = await warmSample(
        { ref: tag },
        { id: `${app}/arm64`, containerPort: 8080, path: '/', expect: { status: 200, bodyIncludes: 'hello from basebench' } },
        1,
        {
          engine,
          engineName: 'docker',
          log: silentLogger,
          runLabel: 'arm64-test',
          timeoutMs: 60_000,
        },
      );
      expect([sample.state, sample.httpStatus, sample.error]).toEqual(['completed', 200, undefined]);
    } finally {
      await engine.images.remove(tag).catch(() => {});
    }
  });
});
