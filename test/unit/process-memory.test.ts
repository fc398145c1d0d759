import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kilobyteFields, processMemory } from '../../src/measure/process-memory.js';

/** The last path of a process's cgroup line: what an engine's container id is found in. */
const cgroupOf = (pid: number) => readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n')[0]!.split(':').at(-1)!;

describe("a container's memory, read from its processes", () => {
  it('parses the kB fields of /proc status and smaps_rollup', () => {
    const fields = kilobyteFields('Name:\tnode\nRssAnon:\t  1024 kB\nRssFile:\t 12 kB\nPss:   7 kB\nThreads:\t4\n');
    expect(fields.get('RssAnon')).toBe(1024 * 1024);
    expect(fields.get('RssFile')).toBe(12 * 1024);
    expect(fields.get('Pss')).toBe(7 * 1024);
    expect(fields.has('Threads')).toBe(false);
  });

  it('counts a process tree: a child holding 64 MiB of anonymous memory shows it, and its binary as file-mapped', async () => {
    // A parent (sh) with a child (node) that fills a 64 MiB buffer and waits: both are read.
    const child = spawn(
      'sh',
      ['-c', 'node -e "const b = Buffer.alloc(64 * 2 ** 20, 1); console.log(\'ready\'); setInterval(() => b[0], 1000)"; :'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      const reading = await processMemory(child.pid!, cgroupOf(child.pid!));
      expect('memory' in reading).toBe(true);
      if (!('memory' in reading)) return;
      expect(reading.memory.processes).toBe(2);
      expect(reading.memory.anonBytes).toBeGreaterThan(64 * 2 ** 20);
      expect(reading.memory.fileBytes).toBeGreaterThan(0);
      expect(reading.memory.pssBytes).toBeGreaterThan(0);
      expect(reading.memory.rssBytes).toBeGreaterThanOrEqual(reading.memory.anonBytes + reading.memory.fileBytes);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('is unknown, with the reason, never 0: no PID, a PID /proc does not have, a process of another cgroup', async () => {
    expect(await processMemory(undefined, 'abc')).toEqual({ unknown: "the engine gave no process id this host's /proc can see" });
    expect(await processMemory(2 ** 22 + 1, 'abc')).toMatchObject({ unknown: expect.stringMatching(/not in this host's \/proc/) });
    expect(await processMemory(process.pid, 'no-such-container-id')).toEqual({
      unknown: `process ${process.pid} is not in the container's cgroup`,
    });
  });
});
