import { describe, expect, it } from 'vitest';
import { summarisePull } from '../../src/measure/cold-pull.js';

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

describe('the pull streams of other engines', () => {
  it('sees a layer Podman already holds ("Already exists"), and no "Pull complete" from it', () => {
    // As Podman 4.3's compat API streamed a pull of a two-layer image whose layers were present.
    expect(
      summarisePull([
        { status: 'Already exists', id: '386431811b9c' },
        { status: 'Already exists', id: 'f64e4429788c' },
        { status: 'Pulling fs layer', id: 'e74fe66dd2a4' },
        { status: 'Download complete', id: 'e74fe66dd2a4' },
      ]),
    ).toEqual({ layersPulled: 0, layersAlreadyPresent: 2 });
  });

  it('splits a containerd-store pull at its last "Download complete", though it has no extraction events', () => {
    expect(
      summarisePull(
        [
          { status: 'Pulling fs layer', id: 'l1', at: 101 },
          { status: 'Downloading', id: 'l1', at: 205 },
          { status: 'Download complete', id: 'l1', at: 306 },
          { status: 'Download complete', id: 'l2', at: 306 },
          { status: 'Digest: sha256:abc', at: 420 },
        ],
        100,
        430,
      ),
    ).toEqual({ layersPulled: 0, layersAlreadyPresent: 0, transferMs: 206, extractTailMs: 124 });
  });
});
