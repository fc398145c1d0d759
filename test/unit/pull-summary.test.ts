import { describe, expect, it } from 'vitest';
import { summarisePull } from '../../src/pipeline/measure-variant.js';

describe('the pull summary', () => {
  it('counts each layer by its last status', () => {
    expect(
      summarisePull([
        { status: 'Pulling from basebench/go-hello', id: 'scratch' },
        { status: 'Pulling fs layer', id: 'l1' },
        { status: 'Already exists', id: 'l2' },
        { status: 'Downloading', id: 'l1' },
        { status: 'Pull complete', id: 'l1' },
        { status: 'Digest: sha256:abc' },
      ]),
    ).toEqual({ layersPulled: 1, layersAlreadyPresent: 1 });
  });
});

describe('the pull timing split', () => {
  it('puts the transfer up to the last download and the rest to extraction', () => {
    expect(
      summarisePull(
        [
          { status: 'Downloading', id: 'l1', at: 110 },
          { status: 'Download complete', id: 'l1', at: 150 },
          { status: 'Extracting', id: 'l1', at: 151 },
          { status: 'Download complete', id: 'l2', at: 400 },
          { status: 'Pull complete', id: 'l1', at: 420 },
          { status: 'Pull complete', id: 'l2', at: 600 },
        ],
        100,
        610,
      ),
    ).toEqual({ layersPulled: 2, layersAlreadyPresent: 0, transferMs: 300, extractTailMs: 210 });
  });
});
