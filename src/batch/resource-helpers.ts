/**
 * Small helpers shared by the scheduling-policy, consumable-resource, service-environment,
 * service-job and quota-share modules: name-or-ARN references, tag maps on create, the
 * `KeyValuesPair` filters (case-insensitive, trailing `*` as prefix) of the List operations, and
 * `capacityLimits` lists.
 */
import { parseArn } from '../core/arn.js';
import type { Scope } from '../core/context.js';
import type { Input } from '../core/validate.js';
import { clientError, v } from './errors.js';
import type { Tags } from './model.js';

/** The resource name a `name` or `arn:…:<kind>/<name>` reference points at, if it is in scope. */
export function nameFromRef(scope: Scope, ref: string, kind: string): string | undefined {
  if (!ref.startsWith('arn:')) return ref;
  const arn = parseArn(ref);
  if (!arn || arn.service !== 'batch' || arn.account !== scope.accountId || arn.region !== scope.region) return undefined;
  const prefix = `${kind}/`;
  return arn.resource.startsWith(prefix) ? arn.resource.slice(prefix.length) : undefined;
}

/** Tags given on a Create call: at most 50, keys 1..128, values ≤ 256, no `aws:` prefix. */
export function tagsOnCreate(input: Input): Tags {
  const tags = v.optionalStringMap(input, 'tags') ?? {};
  const entries = Object.entries(tags);
  if (entries.length > 50) throw clientError('tags can have at most 50 entries.');
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > 128) throw clientError('Tag keys must be 1 to 128 characters long.');
    if (value.length > 256) throw clientError('Tag values must be at most 256 characters long.');
    if (key.toLowerCase().startsWith('aws:')) throw clientError('Tag keys starting with aws: are reserved for AWS use.');
  }
  return { ...tags };
}

export interface Filter {
  name: string;
  values: string[];
}

/** Reads `filters` (KeyValuesPair list), allowing only the given names. */
export function readFilters(input: Input, allowed: readonly string[], max = 1): Filter[] {
  const raw = v.optionalList(input, 'filters') ?? [];
  if (raw.length > max) throw clientError(`filters can have at most ${max} ${max === 1 ? 'entry' : 'entries'}.`);
  return raw.map((entry, i) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw clientError(`filters[${i}] must be a structure.`);
    const e = entry as Input;
    const name = v.requireString(e, 'name');
    if (!allowed.includes(name)) throw clientError(`filters[${i}].name must be one of: ${allowed.join(', ')}.`);
    const values = v.optionalStringList(e, 'values') ?? [];
    if (values.length === 0) throw clientError(`filters[${i}].values must contain at least one value.`);
    return { name, values };
  });
}

/** Case-insensitive name match; a value ending in `*` matches names starting with the rest. */
export function nameMatches(name: string, values: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return values.some((value) => {
    const v2 = value.toLowerCase();
    return v2.endsWith('*') ? lower.startsWith(v2.slice(0, -1)) : lower === v2;
  });
}

/** A finite number within [min, max] (Long/Double fields). */
export function numberIn(input: Input, field: string, min: number, max: number): number | undefined {
  const value = v.optionalNumber(input, field);
  if (value === undefined) return undefined;
  if (value < min || value > max) throw clientError(`${field} must be between ${min} and ${max}.`);
  return value;
}

/** A list of structures (each entry checked to be an object). */
export function structList(input: Input, field: string): Input[] | undefined {
  const raw = v.optionalList(input, field);
  if (raw === undefined) return undefined;
  return raw.map((entry, i) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw clientError(`${field}[${i}] must be a structure.`);
    return entry as Input;
  });
}

export interface CapacityLimitRule {
  /** The smallest `maxCapacity` accepted. */
  minCapacity: number;
  /** The unit of a limit that names none; without it, `capacityUnit` is required. */
  defaultUnit?: string;
}

/** `capacityLimits` (service environments, quota shares): non-empty when given, one limit per unit. */
export function readCapacityLimits(
  input: Input,
  required: boolean,
  rule: CapacityLimitRule,
): Array<{ maxCapacity: number; capacityUnit: string }> | undefined {
  const raw = structList(input, 'capacityLimits');
  if (raw === undefined) {
    if (required) throw clientError('capacityLimits is required.');
    return undefined;
  }
  if (raw.length === 0) throw clientError('capacityLimits must contain at least one capacity limit.');
  const units = new Set<string>();
  return raw.map((e, i) => {
    const maxCapacity = v.optionalInteger(e, 'maxCapacity', { min: rule.minCapacity });
    if (maxCapacity === undefined) throw clientError(`capacityLimits[${i}].maxCapacity is required.`);
    const capacityUnit = v.optionalString(e, 'capacityUnit', { min: 1, max: 256 }) ?? rule.defaultUnit;
    if (capacityUnit === undefined) throw clientError(`capacityLimits[${i}].capacityUnit is required.`);
    if (units.has(capacityUnit)) throw clientError(`capacityLimits has more than one limit for ${capacityUnit}.`);
    units.add(capacityUnit);
    return { maxCapacity, capacityUnit };
  });
}
