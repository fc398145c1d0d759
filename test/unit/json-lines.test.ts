import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EngineStreamError, followJsonLines } from '../../src/engine/json-lines.js';

function streamOf(chunks: string[], failure?: Error): PassThrough {
  const stream = new PassThrough();
  setImmediate(() => {
    for (const chunk of chunks) stream.write(chunk);
    if (failure) stream.destroy(failure);
    else stream.end();
  });
  return stream;
}

describe('following an engine progress stream', () => {
  it('hands over every line, even ones split across chunks', async () => {
    const lines: unknown[] = [];
    await followJsonLines(streamOf(['{"status":"Pulling fs layer","id":"a"}\n{"stat', 'us":"Pull complete","id":"a"}\n']), (line) =>
      lines.push(line),
    );
    expect(lines).toEqual([
      { status: 'Pulling fs layer', id: 'a' },
      { status: 'Pull complete', id: 'a' },
    ]);
  });

  it('rejects on an in-band error line although the stream ends normally', async () => {
    const stream = streamOf(['{"status":"Pulling"}\n', '{"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}\n']);
    await expect(followJsonLines(stream)).rejects.toThrow(new EngineStreamError('manifest unknown'));
  });

  it('rejects when the stream itself breaks', async () => {
    await expect(followJsonLines(streamOf(['{"status":"Pulling"}\n'], new Error('socket hang up')))).rejects.toThrow('socket hang up');
  });

  it('gives up when told to: the request closed, its reason the rejection, the lines before it handed over', async () => {
    const stream = new PassThrough();
    const giveUp = new AbortController();
    const lines: unknown[] = [];
    const followed = followJsonLines(
      stream,
      (line) => {
        lines.push(line);
        if (line.status === 'Retrying in 5 seconds') giveUp.abort(new Error('the registry is full'));
      },
      giveUp.signal,
    );
    stream.write('{"status":"Pushing","id":"a"}\n{"status":"Retrying in 5 seconds","id":"a"}\n');
    await expect(followed).rejects.toThrow('the registry is full');
    expect(lines).toHaveLength(2);
    expect(stream.destroyed).toBe(true);
    // Given up before it starts: rejected at once, nothing read.
    const stopped = new AbortController();
    stopped.abort(new Error('stopped'));
    await expect(followJsonLines(new PassThrough(), () => {}, stopped.signal)).rejects.toThrow('stopped');
  });
});
