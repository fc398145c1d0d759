import { describe, expect, it } from 'vitest';
import { sizeStartupChart } from '../../src/export/size-startup-chart.js';
import { timelineChart } from '../../src/export/timeline-chart.js';
import type { RunResults } from '../../src/results/types.js';
import { dockerAndPodman, sampleOf } from '../fixtures/builders.js';
import { goldenRun } from '../fixtures/runs.js';

/** Average advance of a sans-serif character, as a share of the font size: generous, so that a pass means it fits. */
const CHARACTER_WIDTH = 0.6;

/** Each text of an SVG whose estimated extent leaves the picture: its words, where it starts and ends. */
function clippedTexts(svg: string): string[] {
  const width = Number(/<svg[^>]* width="([\d.]+)"/.exec(svg)![1]);
  const rootSize = Number(/<svg[^>]* font-size="([\d.]+)"/.exec(svg)?.[1] ?? 16);
  const clipped: string[] = [];
  // A text is placed by its own x, plus the translation of the group it sits in (the legends).
  for (const match of svg.matchAll(/(?:<g transform="translate\(([\d.]+) [\d.]+\)">(?:<[^t][^>]*\/>)*)?<text ([^>]*)>([^<]*)<\/text>/g)) {
    const [, groupX, attributes, words] = match as unknown as [string, string | undefined, string, string];
    if (/transform=/.test(attributes)) continue; // the rotated axis title
    const x = Number(groupX ?? 0) + Number(/\bx="([\d.-]+)"/.exec(attributes)![1]);
    const size = Number(/font-size="([\d.]+)"/.exec(attributes)?.[1] ?? rootSize);
    const extent = words.replace(/&[a-z#0-9]+;/g, '_').length * size * CHARACTER_WIDTH;
    const anchor = /text-anchor="(\w+)"/.exec(attributes)?.[1] ?? 'start';
    const [from, to] = anchor === 'end' ? [x - extent, x] : anchor === 'middle' ? [x - extent / 2, x + extent / 2] : [x, x + extent];
    if (from < 0 || to > width) clipped.push(`${words} (${from.toFixed(0)} to ${to.toFixed(0)} of ${width})`);
  }
  return clipped;
}

/** The golden run as if measured on two engines (the first named under the chart's title), each warm sample with its timeline. */
function twoEnginesWithTimeline(): RunResults {
  const run = goldenRun();
  run.provenance.engines = dockerAndPodman();
  for (const variant of run.variants) {
    variant.samples.push(
      sampleOf({
        kind: 'warm',
        startToFirstResponseMs: 12_345,
        timeline: { clockShared: true, processStartedMs: 200, enteredMs: 900, listeningMs: 12_000 },
      }),
    );
  }
  return run;
}

describe('the charts', () => {
  it('keep every title, label and legend inside the picture', () => {
    const run = twoEnginesWithTimeline();
    const size = sizeStartupChart(run, 'none');
    expect(size).toContain('on docker (Docker Engine 20.10.24');
    const timeline = timelineChart(run);
    expect(timeline).toContain('12345 ms');
    expect(clippedTexts(size)).toEqual([]);
    expect(clippedTexts(timeline)).toEqual([]);
  });

  it('find a text that leaves the picture', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="10"><text x="60" font-size="10">ten letters</text></svg>';
    expect(clippedTexts(svg)).toEqual(['ten letters (60 to 126 of 100)']);
  });
});
