import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
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
    for (const id of ['answer', 'chart', 'bases', 'node', 'python', 'upx', 'recommendation', 'variants', 'provenance'])
      expect(dom).toContain(`<section id="${id}">`);
    // The answer first, the provenance last.
    expect(dom.indexOf('<section id="answer">')).toBeLessThan(dom.indexOf('<section id="chart">'));
    expect(dom.indexOf('<section id="provenance">')).toBeGreaterThan(dom.indexOf('<section id="variants">'));
    expect(dom.match(/<table>/g)).toHaveLength(7);
    // Cells carry their column's name, which a phone's layout shows (report-html.ts).
    expect(dom).toContain('<td data-label="language">go</td>');
    expect(dom.match(/<g class="mark"/g)).toHaveLength(5);
    expect(dom).toContain('local stand-in for debian:bookworm-slim');
  });

  it('fits a phone: at 390 px every cell wraps inside its card, none runs off the screen', async () => {
    const dir = tempDir();
    renderReports(goldenRun(), dir);
    const page = path.join(dir, 'index.html');
    // Laid out at the window's width, the page lists the cells whose text is wider than the cell (cut off on screen).
    const probe =
      '<script>{const wide=[...document.querySelectorAll("td")].filter((td)=>td.scrollWidth>td.clientWidth+1);' +
      'document.body.dataset.wide=String(wide.length);const list=document.createElement("pre");list.id="wide";' +
      'list.textContent=wide.map((td)=>td.dataset.label+": "+td.textContent).join(" | ");document.body.append(list);}</script>';
    writeFileSync(page, readFileSync(page, 'utf8').replace('</body>', `${probe}</body>`));
    const { stdout: dom } = await execa(
      'chromium',
      [...CHROMIUM_FLAGS, `--user-data-dir=${path.join(dir, 'profile')}`, '--window-size=390,800', '--dump-dom', `file://${page}`],
      { timeout: 60_000 },
    );
    expect(dom).toMatch(/data-wide="\d+"/);
    expect(dom.match(/<pre id="wide">(.*?)<\/pre>/s)?.[1]).toBe('');
    expect(dom).toContain('data-wide="0"');
  });
});
