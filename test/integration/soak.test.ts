import { readdirSync } from 'node:fs';
import os from 'node:os';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/common/log.js';
import { connectEngine } from '../../src/engine/connect.js';
import { diskUse, trimDisk } from '../../src/pipeline/disk-use.js';
import { measuredRun } from '../fixtures/bench-options.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

/** What the engine holds, from its own disk-usage answer: images, containers and the build cache. */
async function engineDisk(): Promise<{ images: number; imageBytes: number; containers: number; buildCacheBytes: number }> {
  const df = (await new Docker().df()) as {
    Images: Array<{ Size: number }>;
    Containers: unknown[];
    BuildCache?: Array<{ Size: number }> | null;
  };
  return {
    images: df.Images.length,
    imageBytes: df.Images.reduce((sum, image) => sum + image.Size, 0),
    containers: df.Containers.length,
    buildCacheBytes: (df.BuildCache ?? []).reduce((sum, entry) => sum + entry.Size, 0),
  };
}

/** Bytes of every layer the engine holds, each once (its own disk-usage answer). */
const layersSize = async () => ((await new Docker().df()) as { LayersSize: number }).LayersSize;

/** Entries in /tmp that basebench could have left (its registry folders, anything named after it). */
const tmpEntries = () => readdirSync(os.tmpdir()).filter((name) => name.startsWith('basebench-') && !name.startsWith('basebench-test-'));

describe('a week of runs on one machine', () => {
  const tempDir = suiteTempDir();

  it('runs the quick matrix three times back to back without the engine or /tmp growing after the first', async () => {
    const run = () => measuredRun({ outDir: tempDir(), quick: true, floor: true, repeat: 1, warmRepeat: 1, baseCachedRepeat: 1 });
    expect((await run()).state).toBe('completed');
    const [diskAfterFirst, tmpAfterFirst] = [await engineDisk(), tmpEntries()];
    for (const _ of [2, 3]) expect((await run()).state).toBe('completed');
    const [diskAfterThird, tmpAfterThird] = [await engineDisk(), tmpEntries()];
    // The same images (rebuilt from cache, the registry's copies pulled again), no container left, no build cache grown.
    expect(diskAfterThird.images).toBe(diskAfterFirst.images);
    expect(diskAfterThird.imageBytes).toBe(diskAfterFirst.imageBytes);
    expect(diskAfterThird.containers).toBe(diskAfterFirst.containers);
    expect(diskAfterThird.buildCacheBytes).toBe(diskAfterFirst.buildCacheBytes);
    expect(tmpAfterThird).toEqual(tmpAfterFirst);
    expect(tmpAfterThird).toEqual([]);

    // The stages the runs left, and what removing them frees: the bytes the end of a run reports as no other image's,
    // as the engine's own count of its layers sees it go.
    const engine = await connectEngine(silentLogger);
    const before = await diskUse(engine, tempDir());
    expect(before.engine!.stages.length).toBeGreaterThan(0);
    const layersBefore = await layersSize();
    await trimDisk(engine, tempDir(), { buildCache: true, bases: false, dryRun: false }, silentLogger);
    expect(layersBefore - (await layersSize())).toBe(before.engine!.stagesOnlyBytes);
  });
});
