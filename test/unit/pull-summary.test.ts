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
