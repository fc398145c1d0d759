/**
 * A container's log as a CRI runtime writes it (the kubelet reads the same file): one line per
 * write, "<RFC 3339 nano time> <stdout|stderr> <F|P> <text>", P marking a line the runtime split.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, watch, type FSWatcher } from 'node:fs';

export interface CriLogLine {
  time: string;
  stream: 'stdout' | 'stderr';
  /** The runtime split a long line here; the next entry of the stream continues it. */
  partial: boolean;
  text: string;
}

const LINE = /^(\S+) (stdout|stderr) ([^ ]+) (.*)$/;

/** One entry; undefined for a line that isn't one (nothing is guessed). */
export function parseCriLogLine(line: string): CriLogLine | undefined {
  const match = LINE.exec(line);
  if (!match) return undefined;
  const [, time, stream, tags, text] = match as unknown as [string, string, 'stdout' | 'stderr', string, string];
  return { time, stream, partial: tags.split(':').includes('P'), text };
}

/** The log's whole lines (partial entries joined), in order, optionally one stream's. */
export function criLogText(content: string, stream?: 'stdout' | 'stderr'): string[] {
  const lines: string[] = [];
  const pending: Record<string, string> = { stdout: '', stderr: '' };
  for (const raw of content.split('\n')) {
    const entry = parseCriLogLine(raw);
    if (!entry || (stream && entry.stream !== stream)) continue;
    pending[entry.stream] += entry.text;
    if (entry.partial) continue;
    lines.push(pending[entry.stream]!);
    pending[entry.stream] = '';
  }
  return lines;
}

/** The last `count` lines of both streams, as `docker logs --tail` gives them. */
export function criLogTail(file: string, count: number): string {
  if (!existsSync(file)) return '';
  const lines = criLogText(readFileSync(file, 'utf8'));
  return lines.slice(-count).join('\n');
}

/**
 * Follows a log file from its start, calling `onLine` with each whole stdout line as it is written
 * (inotify, with a 20 ms poll behind it for the moment before the file exists). Returns the stop.
 */
export function followCriLog(file: string, onLine: (line: string) => void): () => void {
  let offset = 0;
  let carry = '';
  let partial = '';
  let watcher: FSWatcher | undefined;
  const read = () => {
    if (!existsSync(file)) return;
    if (!watcher) {
      try {
        watcher = watch(file, read);
      } catch {
        // the poll carries on
      }
    }
    const size = statSync(file).size;
    if (size <= offset) return;
    const buffer = Buffer.alloc(size - offset);
    const handle = openSync(file, 'r');
    try {
      readSync(handle, buffer, 0, buffer.length, offset);
    } finally {
      closeSync(handle);
    }
    offset = size;
    const lines = (carry + buffer.toString('utf8')).split('\n');
    carry = lines.pop() ?? '';
    for (const raw of lines) {
      const entry = parseCriLogLine(raw);
      if (entry?.stream !== 'stdout') continue;
      partial += entry.text;
      if (entry.partial) continue;
      onLine(partial);
      partial = '';
    }
  };
  const poll = setInterval(read, 20);
  read();
  return () => {
    clearInterval(poll);
    watcher?.close();
  };
}
