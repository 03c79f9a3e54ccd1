/**
 * awsQuery codec (IAM 2010-05-08, STS 2011-06-15), per the Smithy awsQuery protocol:
 * `POST /` with a form-encoded body `Action=<Op>&Version=<v>&…` (lists as `Name.member.N`,
 * structures as `Name.Field`, maps as `Name.entry.N.key/value`), XML responses
 * `<OpResponse xmlns=…><OpResult>…</OpResult><ResponseMetadata><RequestId/>…` and errors
 * `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 */
import { ApiError } from '../core/errors.js';
import type { Codec, DecodedRequest, HttpRequest, HttpResponse } from './http.js';
import type { XmlObject } from './xml.js';
import { xmlDocument } from './xml.js';

export interface AwsQueryConfig {
  version: string; // 2010-05-08
  namespace: string; // https://iam.amazonaws.com/doc/2010-05-08/
  operations: readonly string[];
  /** Top-level members the model types as integers / booleans (the wire carries text). */
  integers?: readonly string[];
  booleans?: readonly string[];
}

type Tree = Record<string, unknown>;

/** Decodes one `application/x-www-form-urlencoded` component ('+' is a space). */
function formDecode(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

export function parseForm(body: string): Array<[string, string]> {
  if (!body) return [];
  return body
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [formDecode(pair), ''] : [formDecode(pair.slice(0, eq)), formDecode(pair.slice(eq + 1))];
    });
}

const INDEX = /^[1-9]\d*$/;
const MAX_INDEX = 100_000;
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/** Places `value` at a dotted query key: `Tags.member.2.Key` -> input.Tags[1].Key. */
function place(root: Tree, key: string, value: string): void {
  const segments = key.split('.');
  if (segments.some((s) => UNSAFE.has(s))) return; // never write through an object's prototype
  let container: Tree | unknown[] = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    const last = i === segments.length - 1;
    let slot: string | number = segment;
    if (Array.isArray(container)) {
      if (!INDEX.test(segment) || Number(segment) > MAX_INDEX) return; // a list needs an index here (within reason)
      slot = Number(segment) - 1;
    }
    const next = segments[i + 1];
    if (last) {
      (container as Record<string | number, unknown>)[slot] = value;
      return;
    }
    // `member` / `entry` are the list and map wrappers: skip them, the index follows.
    const wrapper = next === 'member' || next === 'entry';
    if (wrapper) i++;
    const childIsList = wrapper || (next !== undefined && INDEX.test(next));
    const holder = container as Record<string | number, unknown>;
    let child = holder[slot];
    if (childIsList && !Array.isArray(child)) child = holder[slot] = [];
    if (!childIsList && (child === null || typeof child !== 'object' || Array.isArray(child))) child = holder[slot] = {};
    container = child as Tree | unknown[];
  }
}

/** Dense lists (holes dropped) and maps (`entry.N.key/value` pairs) turned into objects. */
function finish(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.filter((item) => item !== undefined).map(finish);
    const isMap =
      items.length > 0 &&
      items.every(
        (item) =>
          item !== null &&
          typeof item === 'object' &&
          !Array.isArray(item) &&
          'key' in item &&
          Object.keys(item).every((k) => k === 'key' || k === 'value'),
      );
    if (isMap) return Object.fromEntries(items.map((item) => [(item as Tree).key, (item as Tree).value ?? '']));
    return items;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, finish(v)]));
  }
  return value;
}

export function decodeQueryParams(pairs: Array<[string, string]>): Tree {
  const root: Tree = {};
  for (const [key, value] of pairs) {
    if (key === 'Action' || key === 'Version' || key.startsWith('X-Amz-')) continue;
    place(root, key, value);
  }
  return finish(root) as Tree;
}

export class AwsQueryCodec implements Codec {
  private readonly operations: Set<string>;

  constructor(private readonly config: AwsQueryConfig) {
    this.operations = new Set(config.operations);
  }

  decode(request: HttpRequest): DecodedRequest {
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const pairs: Array<[string, string]> = [...request.query];
    if (request.body.length > 0) {
      if (contentType !== 'application/x-www-form-urlencoded') {
        throw new ApiError(
          'InvalidParameterValue',
          `Unsupported content type ${contentType || '(none)'}; use application/x-www-form-urlencoded.`,
        );
      }
      pairs.push(...parseForm(request.body.toString('utf8')));
    }
    const action = pairs.find(([k]) => k === 'Action')?.[1];
    const version = pairs.find(([k]) => k === 'Version')?.[1];
    if (!action) throw new ApiError('MissingAction', 'Missing Action', 400);
    if (!this.operations.has(action) || (version !== undefined && version !== this.config.version)) {
      throw new ApiError('InvalidAction', `Could not find operation ${action} for version ${version ?? this.config.version}`, 400);
    }
    const input = decodeQueryParams(pairs);
    for (const name of this.config.integers ?? []) {
      const raw = input[name];
      if (typeof raw === 'string' && /^-?\d+$/.test(raw.trim())) input[name] = Number(raw.trim());
    }
    for (const name of this.config.booleans ?? []) {
      const raw = input[name];
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) input[name] = raw.trim().toLowerCase() === 'true';
    }
    return { operation: action, input };
  }

  encodeOutput(operation: string, output: unknown, requestId: string): HttpResponse {
    const result = (output ?? {}) as XmlObject;
    const body: XmlObject = {};
    if (Object.keys(result).length > 0) body[`${operation}Result`] = result;
    body.ResponseMetadata = { RequestId: requestId };
    return {
      status: 200,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body: xmlDocument(`${operation}Response`, this.config.namespace, body, { listItem: 'member' }),
    };
  }

  encodeError(error: ApiError, requestId: string): HttpResponse {
    const body: XmlObject = {
      Error: { Type: error.fault === 'server' ? 'Receiver' : 'Sender', Code: error.code, Message: error.message },
      RequestId: requestId,
    };
    return {
      status: error.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body: xmlDocument('ErrorResponse', this.config.namespace, body),
    };
  }
}
