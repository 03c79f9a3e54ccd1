/**
 * Describe* filters as EC2 documents them: each filter names a field and lists values; a
 * resource matches when every filter matches, and a filter matches when any value matches.
 * Values may use `*` (any run of characters) and `?` (one character); `\` escapes them.
 * `tag:<key>` matches the value of that tag, `tag-key` / `tag-value` any tag's key / value.
 */
import { ApiError } from '../core/errors.js';
import type { Filter, Tag } from './model.js';

/** How each supported filter name reads a resource: one value, several, or none. */
export type FilterFields<T> = Record<string, (resource: T) => string | number | boolean | undefined | Array<string | undefined>>;

const patternCache = new Map<string, RegExp>();

/** Compiles an EC2 wildcard pattern (`*`, `?`, backslash escapes) to an anchored RegExp. */
export function wildcard(pattern: string): RegExp {
  let cached = patternCache.get(pattern);
  if (cached) return cached;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i] as string);
    else if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else source += escapeRegExp(c);
  }
  cached = new RegExp(`^${source}$`);
  if (patternCache.size > 1000) patternCache.clear();
  patternCache.set(pattern, cached);
  return cached;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function anyMatches(candidates: Array<string | undefined>, values: string[]): boolean {
  return candidates.some((candidate) => candidate !== undefined && values.some((value) => wildcard(value).test(candidate)));
}

/** Refuses filter names the resource does not support, as EC2 does (`InvalidParameterValue`). */
export function checkFilterNames<T>(filters: Filter[], fields: FilterFields<T>): void {
  for (const filter of filters) {
    if (filter.name.startsWith('tag:') || filter.name === 'tag-key' || filter.name === 'tag-value') continue;
    if (!(filter.name in fields)) throw new ApiError('InvalidParameterValue', `The filter '${filter.name}' is invalid`);
  }
}

export function matchesFilters<T extends { tags: Tag[] }>(resource: T, filters: Filter[], fields: FilterFields<T>): boolean {
  return filters.every((filter) => {
    if (filter.name.startsWith('tag:')) {
      const key = filter.name.slice(4);
      return anyMatches(
        resource.tags.filter((tag) => tag.Key === key).map((tag) => tag.Value),
        filter.values,
      );
    }
    if (filter.name === 'tag-key')
      return anyMatches(
        resource.tags.map((tag) => tag.Key),
        filter.values,
      );
    if (filter.name === 'tag-value')
      return anyMatches(
        resource.tags.map((tag) => tag.Value),
        filter.values,
      );
    const read = fields[filter.name];
    if (!read) return false;
    const value = read(resource);
    const candidates = Array.isArray(value) ? value : [value === undefined ? undefined : String(value)];
    return anyMatches(candidates, filter.values);
  });
}

/** Checks the names, then keeps the resources that match every filter. */
export function applyFilters<T extends { tags: Tag[] }>(resources: T[], filters: Filter[], fields: FilterFields<T>): T[] {
  checkFilterNames(filters, fields);
  return filters.length === 0 ? resources : resources.filter((resource) => matchesFilters(resource, filters, fields));
}
