/**
 * Splits a byte stream into text lines (\n or \r\n), keeping a partial last line until more
 * data or the end of the stream. Very long lines are cut at 256 KiB as CloudWatch Logs caps an
 * event's size.
 */
const MAX_LINE = 256 * 1024;

export class LineSplitter {
  private partial = '';

  push(chunk: Buffer): string[] {
    const text = this.partial + chunk.toString('utf8');
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    const lines = parts.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
    while (this.partial.length > MAX_LINE) {
      lines.push(this.partial.slice(0, MAX_LINE));
      this.partial = this.partial.slice(MAX_LINE);
    }
    return lines;
  }

  flush(): string[] {
    const rest = this.partial;
    this.partial = '';
    return rest.length > 0 ? [rest] : [];
  }
}
