import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dirtyBytes } from '../../src/measure/page-cache.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';

describe('the dirty pages a cold sample waits out', () => {
  const dir = suiteTempDir();

  it('are Dirty plus Writeback from /proc/meminfo, in bytes', () => {
    const file = path.join(dir(), 'meminfo');
    writeFileSync(file, 'MemTotal:       24000000 kB\nDirty:              1520 kB\nWriteback:            80 kB\nAnonPages: 1 kB\n');
    expect(dirtyBytes(file)).toBe(1600 * 1024);
  });

  it('are unknown, not 0, where the file or a field is missing', () => {
    const file = path.join(dir(), 'partial');
    writeFileSync(file, 'Dirty: 12 kB\n');
    expect(dirtyBytes(file)).toBeUndefined();
    expect(dirtyBytes(path.join(dir(), 'absent'))).toBeUndefined();
  });

  it('are read on this machine (Linux has the fields): a number, not unknown', () => {
    expect(dirtyBytes()).toBeTypeOf('number');
  });
});
