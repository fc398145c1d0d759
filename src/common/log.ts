/** Progress on screen: one line per event, on stderr so stdout stays clean for pipes. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function consoleLogger(stream: NodeJS.WritableStream = process.stderr): Logger {
  const started = performance.now();
  const stamp = () => `[${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s]`;
  return {
    info: (message) => stream.write(`${stamp()} ${message}\n`),
    warn: (message) => stream.write(`${stamp()} warning: ${message}\n`),
    error: (message) => stream.write(`${stamp()} error: ${message}\n`),
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
