/** Progress on screen: one line per event, on stderr so stdout stays clean for pipes. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /**
   * A live status line, rewritten in place (a terminal only, not in CI): each call replaces the
   * last; other messages print above it. Absent where output is piped or in CI.
   */
  status?(message: string): void;
}

export interface ConsoleOptions {
  /** Rewrite one status line in place: by default when stderr is a terminal and CI is not set. */
  live?: boolean;
  columns?: number;
}

export function consoleLogger(stream: NodeJS.WriteStream | NodeJS.WritableStream = process.stderr, options: ConsoleOptions = {}): Logger {
  const started = performance.now();
  const stamp = () => `[${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s]`;
  const tty = stream as NodeJS.WriteStream;
  const live = options.live ?? (tty.isTTY === true && !process.env.CI);
  let statusLine = '';
  const write = (text: string) => {
    // Clear the status line, print the message, then put the status line back under it.
    stream.write(`${statusLine ? '\r\x1b[2K' : ''}${text}\n${statusLine}`);
  };
  const logger: Logger = {
    info: (message) => write(`${stamp()} ${message}`),
    warn: (message) => write(`${stamp()} warning: ${message}`),
    error: (message) => write(`${stamp()} error: ${message}`),
  };
  if (live) {
    logger.status = (message) => {
      const width = options.columns ?? tty.columns ?? 120;
      statusLine = message.length > width - 1 ? `${message.slice(0, width - 2)}…` : message;
      stream.write(`\r\x1b[2K${statusLine}`);
    };
  }
  return logger;
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
