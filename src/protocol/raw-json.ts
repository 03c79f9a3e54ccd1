/**
 * An output that is already JSON text: the JSON codecs send it as it is instead of serialising
 * an object. DescribeJobs uses it to send stored job details without parsing them first. The
 * text is kept as parts and written piece by piece into one Buffer: joining ~250 KiB of job
 * details into one string and encoding that cost several times more (bench/ANALYSIS.md).
 */
export class RawJson {
  constructor(readonly parts: readonly string[]) {}

  /** `{"<key>":[item,item,…]}` from items that are each JSON text. */
  static arrayOf(key: string, items: readonly string[]): RawJson {
    const parts: string[] = [`{${JSON.stringify(key)}:[`];
    items.forEach((item, i) => (i === 0 ? parts.push(item) : parts.push(',', item)));
    parts.push(']}');
    return new RawJson(parts);
  }

  toBuffer(): Buffer {
    let size = 0;
    for (const part of this.parts) size += Buffer.byteLength(part, 'utf8');
    const out = Buffer.allocUnsafe(size);
    let offset = 0;
    for (const part of this.parts) offset += out.write(part, offset, 'utf8');
    return out;
  }
}

export function serialise(body: unknown): string | Buffer {
  return body instanceof RawJson ? body.toBuffer() : JSON.stringify(body ?? {});
}
