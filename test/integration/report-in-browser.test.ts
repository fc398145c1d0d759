import { execa } from 'execa';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReports } from '../../src/export/write-reports.js';
import { suiteTempDir } from '../fixtures/temp-dir.js';
import { goldenRun } from '../fixtures/runs.js';

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('index.html in a real browser', () => {
  const tempDir = suiteTempDir();

  it('shows the chart and every report table, offline', async () => {
    const dir = tempDir();
    renderReports(goldenRun(), dir);
    const { stdout: dom } = await execa(
      'chromium',
      [...CHROMIUM_FLAGS, `--user-data-dir=${path.join(dir, 'profile')}`, '--dump-dom', `file://${path.join(dir, 'index.html')}`],
      {
        timeout: 60_000,
      },
    );
    for (const id of ['chart', 'bases', 'node', 'python', 'upx', 'recommendation', 'variants'])
      expect(dom).toContain(`<section id="${id}">`);
    expect(dom.match(/<table>/g)).toHaveLength(6);
    expect(dom.match(/<g class="mark"/g)).toHaveLength(5);
    expect(dom).toContain('local stand-in for debian:bookworm-slim');
  });
});
