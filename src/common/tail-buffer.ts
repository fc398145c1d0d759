/** Keeps the last N lines of a log, for failure reports. */
export class TailBuffer {
  private readonly lines: string[] = [];

  constructor(private readonly capacity: number) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.shift();
  }

  text(): string {
    return this.lines.join('\n');
  }
}
