/**
 * A small XML response builder shared by the XML protocols: EC2 query (lists as
 * `<xxxSet><item>…</item></xxxSet>`) and awsQuery (IAM/STS, lists as `<Xs><member>…</member></Xs>`).
 * Output objects are written with their wire (locationName) keys; this module only serializes:
 * arrays become a wrapper element holding one `listItem` element per entry, `undefined`/`null`
 * are omitted, booleans are `true`/`false`, `Date`s are ISO 8601, text is escaped.
 */

/** A value the builder can write. Object keys are element names, in insertion order. */
export type XmlValue = string | number | boolean | bigint | Date | null | undefined | XmlObject | XmlValue[];
export interface XmlObject {
  [element: string]: XmlValue;
}

export interface XmlOptions {
  /** The element name of each list entry: `item` (EC2, the default) or `member` (awsQuery). */
  listItem?: 'item' | 'member';
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

/** Escapes text for element content or attribute values; drops characters XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing the control characters XML 1.0 forbids
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"'\r]/g, (c) => ESCAPES[c] ?? c);
}

/** The text form of a scalar: booleans as `true`/`false`, dates as ISO 8601 with milliseconds. */
export function xmlText(value: string | number | boolean | bigint | Date): string {
  if (value instanceof Date) return value.toISOString();
  return escapeXml(String(value));
}

/** One element `<name>…</name>` holding `value` (omitted entirely when the value is null/undefined). */
export function xmlElement(name: string, value: XmlValue, options: XmlOptions = {}): string {
  if (value === undefined || value === null) return '';
  const item = options.listItem ?? 'item';
  if (Array.isArray(value)) {
    return `<${name}>${value.map((entry) => xmlElement(item, entry, options) || `<${item}/>`).join('')}</${name}>`;
  }
  if (typeof value === 'object' && !(value instanceof Date)) return `<${name}>${xmlChildren(value, options)}</${name}>`;
  return `<${name}>${xmlText(value)}</${name}>`;
}

/** The children of an element: one element per key of `object`, in key order. */
export function xmlChildren(object: XmlObject, options: XmlOptions = {}): string {
  let out = '';
  for (const [key, value] of Object.entries(object)) out += xmlElement(key, value, options);
  return out;
}

/**
 * A complete document: the XML declaration and a root element carrying the namespace, e.g.
 * `xmlDocument('DescribeVpcsResponse', EC2_NS, { requestId, vpcSet: [...] })`.
 */
export function xmlDocument(root: string, namespace: string | undefined, body: XmlObject, options: XmlOptions = {}): string {
  const ns = namespace ? ` xmlns="${escapeXml(namespace)}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${xmlChildren(body, options)}</${root}>`;
}
