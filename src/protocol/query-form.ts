/**
 * Parses the flattened parameters of the AWS query protocols (EC2 query, awsQuery) into nested
 * structures: `Filter.1.Name=a&Filter.1.Value.1=b` -> `{ Filter: [{ Name: 'a', Value: ['b'] }] }`.
 * Numeric path segments make arrays (ordered by index, gaps closed); everything else makes
 * objects. Values stay strings: the query protocols carry no types. Also reads form bodies.
 */
import type { HttpRequest } from './http.js';
import { splitQuery } from './http.js';

type Node = { [key: string]: Node | string };

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const NUMERIC = /^\d{1,9}$/;

/** Builds the nested structure from decoded `[name, value]` pairs (later duplicates win). */
export function parseQueryParams(pairs: ReadonlyArray<readonly [string, string]>): Record<string, unknown> {
  const root: Node = Object.create(null) as Node;
  for (const [name, value] of pairs) {
    const path = name.split('.');
    if (path.some((segment) => segment === '' || FORBIDDEN.has(segment))) continue;
    let node = root;
    for (let i = 0; i < path.length - 1; i++) {
      const segment = path[i] as string;
      let next = node[segment];
      if (typeof next !== 'object') {
        next = Object.create(null) as Node;
        node[segment] = next;
      }
      node = next;
    }
    const leaf = path[path.length - 1] as string;
    if (typeof node[leaf] !== 'object') node[leaf] = value; // a structure already there wins over a scalar
  }
  return finish(root) as Record<string, unknown>;
}

/** Turns objects whose keys are all numeric into arrays (ordered by index); plain objects get a normal prototype. */
function finish(node: Node | string): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length > 0 && keys.every((key) => NUMERIC.test(key))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((index) => finish(node[String(index)] as Node | string));
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = finish(node[key] as Node | string);
  return out;
}

/** The parameters of a query-protocol request: the query string, then a form-encoded body. */
export function queryProtocolPairs(request: HttpRequest): Array<[string, string]> {
  const pairs: Array<[string, string]> = [...request.query];
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (request.body.length > 0 && (contentType === '' || contentType === 'application/x-www-form-urlencoded')) {
    // Form bodies encode spaces as '+'; the query string has already been decoded pair by pair.
    pairs.push(...splitQuery(request.body.toString('utf8').replace(/\+/g, '%20')));
  }
  return pairs;
}
