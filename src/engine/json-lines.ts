/**
 * Follows a Docker JSON-lines progress stream (build, pull, push, import, load).
 * The engine reports many failures in-band as {"error": ...} lines on a stream that ends
 * normally, so those reject just like a broken stream does.
 */
export class EngineStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineStreamError';
  }
}

/** Follows the stream to its end; `signal` gives it up (closing the request cancels the engine's work), rejecting with its reason. */
export function followJsonLines(
  stream: NodeJS.ReadableStream,
  onLine: (line: Record<string, unknown>) => void = () => {},
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let settled = false;
    const giveUp = () => {
      fail(signal?.reason instanceof Error ? signal.reason : new Error(String(signal?.reason)));
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    };
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', giveUp);
      reject(error);
    };
    if (signal?.aborted) return giveUp();
    signal?.addEventListener('abort', giveUp, { once: true });
    const handle = (text: string) => {
      const trimmed = text.trim();
      if (!trimmed) return;
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(trimmed) as Record<string, unknown>;
      } catch {
        line = { stream: trimmed };
      }
      if (typeof line.error === 'string' || line.errorDetail) {
        const detail = line.errorDetail as { message?: string } | undefined;
        fail(new EngineStreamError(String(line.error ?? detail?.message ?? 'engine reported an error')));
        // Nothing after an error is wanted; don't leave the connection to the engine open.
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        return;
      }
      onLine(line);
    };
    stream.on('data', (chunk: Buffer | string) => {
      buffered += chunk.toString();
      for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
        handle(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
      }
    });
    stream.on('error', (error: Error) => fail(error));
    stream.on('end', () => {
      handle(buffered);
      if (!settled) {
        settled = true;
        signal?.removeEventListener('abort', giveUp);
        resolve();
      }
    });
  });
}
