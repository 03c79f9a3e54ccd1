/**
 * Follows a growing output file by byte offset and hands back complete lines. The offset only
 * counts bytes of complete lines, so it can be persisted and resumed after a restart without
 * splitting a line or a multi-byte character.
 */
import { open } from 'node:fs/promises';

/** A line longer than this is cut and emitted in pieces (CloudWatch Logs caps events at 256 KiB). */
const MAX_LINE_BYTES = 256 * 1024 - 26;

export class FileTail {
  constructor(
    readonly path: string,
    public offset = 0,
  ) {}

  /** New complete lines since the last call (all remaining bytes as a line when `final`). */
  async read(final = false): Promise<string[]> {
    let handle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    try {
      const { size } = await handle.stat();
      if (size <= this.offset) return [];
      const buffer = Buffer.alloc(size - this.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      return this.split(buffer.subarray(0, bytesRead), final);
    } finally {
      await handle.close();
    }
  }

  private split(bytes: Buffer, final: boolean): string[] {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = bytes.indexOf(0x0a, start);
      if (nl === -1 || nl - start > MAX_LINE_BYTES) {
        const rest = bytes.length - start;
        if (rest > MAX_LINE_BYTES) {
          lines.push(bytes.subarray(start, start + MAX_LINE_BYTES).toString('utf8'));
          start += MAX_LINE_BYTES;
          continue;
        }
        if (final && rest > 0) {
          lines.push(bytes.subarray(start).toString('utf8').replace(/\r$/, ''));
          start = bytes.length;
        }
        break;
      }
      lines.push(bytes.subarray(start, nl).toString('utf8').replace(/\r$/, ''));
      start = nl + 1;
    }
    this.offset += start;
    return lines;
  }
}
