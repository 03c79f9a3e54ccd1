/**
 * Condition operators (IAM User Guide, "Condition operators" and "multivalued context keys"):
 * String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress/NotIpAddress, Arn*, Null, every
 * `…IfExists` form and the ForAllValues:/ForAnyValue: set qualifiers. Values in one key are OR;
 * a key absent from the request fails positive operators and satisfies negated ones.
 */
import type { ConditionMatcher, ContextValue, PatternMatcher, VariableResolver } from './types.js';
import { compilePattern, type PatternMode } from './wildcard.js';
import { IpRanges, parseDate, parseNumber } from './values.js';

type Scalar = string | number | boolean;
type Family = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null';
type Comparison = 'eq' | 'lt' | 'le' | 'gt' | 'ge';

interface BaseOperator {
  family: Family;
  negated: boolean;
  mode?: PatternMode; // string/arn operators
  comparison?: Comparison; // numeric/date operators
}

const BASE: Record<string, BaseOperator> = {
  StringEquals: { family: 'string', negated: false, mode: 'exact' },
  StringNotEquals: { family: 'string', negated: true, mode: 'exact' },
  StringEqualsIgnoreCase: { family: 'string', negated: false, mode: 'exact-ci' },
  StringNotEqualsIgnoreCase: { family: 'string', negated: true, mode: 'exact-ci' },
  StringLike: { family: 'string', negated: false, mode: 'like' },
  StringNotLike: { family: 'string', negated: true, mode: 'like' },
  Bool: { family: 'bool', negated: false, mode: 'exact-ci' },
  BinaryEquals: { family: 'binary', negated: false },
  IpAddress: { family: 'ip', negated: false },
  NotIpAddress: { family: 'ip', negated: true },
  ArnEquals: { family: 'arn', negated: false, mode: 'arn' },
  ArnLike: { family: 'arn', negated: false, mode: 'arn' },
  ArnNotEquals: { family: 'arn', negated: true, mode: 'arn' },
  ArnNotLike: { family: 'arn', negated: true, mode: 'arn' },
  Null: { family: 'null', negated: false },
};
for (const [family, prefix] of [
  ['numeric', 'Numeric'],
  ['date', 'Date'],
] as const) {
  BASE[`${prefix}Equals`] = { family, negated: false, comparison: 'eq' };
  BASE[`${prefix}NotEquals`] = { family, negated: true, comparison: 'eq' };
  BASE[`${prefix}LessThan`] = { family, negated: false, comparison: 'lt' };
  BASE[`${prefix}LessThanEquals`] = { family, negated: false, comparison: 'le' };
  BASE[`${prefix}GreaterThan`] = { family, negated: false, comparison: 'gt' };
  BASE[`${prefix}GreaterThanEquals`] = { family, negated: false, comparison: 'ge' };
}

export interface ParsedOperator extends BaseOperator {
  name: string;
  set?: 'all' | 'any';
  ifExists: boolean;
}

/** Reads `[ForAllValues:|ForAnyValue:]<Operator>[IfExists]`; undefined when not an IAM operator. */
export function parseOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: 'all' | 'any' | undefined;
  if (rest.startsWith('ForAllValues:')) {
    set = 'all';
    rest = rest.slice('ForAllValues:'.length);
  } else if (rest.startsWith('ForAnyValue:')) {
    set = 'any';
    rest = rest.slice('ForAnyValue:'.length);
  }
  let ifExists = false;
  if (rest.endsWith('IfExists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = BASE[rest];
  if (!base || (base.family === 'null' && (ifExists || set))) return undefined;
  return { ...base, name, ifExists, ...(set ? { set } : {}) };
}

/** Why a condition value was refused: the JSON shape, or a value of the wrong type. */
export type ValueProblem = 'syntax' | 'type';

type Test = (value: Scalar, vars: VariableResolver) => boolean;

function compare(a: number, b: number, comparison: Comparison): boolean {
  switch (comparison) {
    case 'eq':
      return a === b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
  }
}

/** The positive per-value test of an operator ("does this request value match any policy value?"). */
function compileTest(op: ParsedOperator, values: readonly Scalar[], variables: boolean, used: string[]): Test | ValueProblem {
  switch (op.family) {
    case 'string':
    case 'arn':
    case 'bool': {
      const matchers: PatternMatcher[] = values.map((value) => {
        const compiled = compilePattern(String(value), op.mode ?? 'exact', variables);
        used.push(...compiled.variables);
        return compiled.matcher;
      });
      return (value, vars) => {
        const text = String(value);
        for (const matcher of matchers) if (matcher.matches(text, vars)) return true;
        return false;
      };
    }
    case 'numeric':
    case 'date': {
      const parse = op.family === 'numeric' ? parseNumber : parseDate;
      const numbers: number[] = [];
      for (const value of values) {
        const n = parse(value);
        if (n === undefined) return 'type';
        numbers.push(n);
      }
      const comparison = op.comparison ?? 'eq';
      return (value) => {
        const n = parse(value);
        if (n === undefined) return false;
        for (const wanted of numbers) if (compare(n, wanted, comparison)) return true;
        return false;
      };
    }
    case 'binary': {
      const buffers = values.map((value) => Buffer.from(String(value), 'base64'));
      return (value) => {
        const given = Buffer.from(String(value), 'base64');
        return buffers.some((buffer) => buffer.equals(given));
      };
    }
    case 'ip': {
      const ranges = new IpRanges();
      for (const value of values) if (typeof value !== 'string' || !ranges.add(value)) return 'type';
      return (value) => typeof value === 'string' && ranges.contains(value);
    }
    case 'null':
      return 'syntax'; // handled by the caller
  }
}

class Condition implements ConditionMatcher {
  constructor(
    readonly operator: string,
    readonly key: string,
    private readonly op: ParsedOperator,
    private readonly test: Test,
  ) {}

  evaluate(context: ReadonlyMap<string, ContextValue>, vars: VariableResolver): boolean {
    const raw = context.get(this.key);
    const op = this.op;
    if (raw === undefined) {
      if (op.ifExists || op.set === 'all') return true;
      if (op.set === 'any') return false;
      return op.negated;
    }
    const values: readonly Scalar[] = typeof raw === 'object' ? raw : [raw];
    if (op.set === 'all') {
      for (const value of values) if (this.test(value, vars) === op.negated) return false;
      return true;
    }
    if (op.set === 'any') {
      for (const value of values) if (this.test(value, vars) !== op.negated) return true;
      return false;
    }
    for (const value of values) if (this.test(value, vars)) return !op.negated;
    return op.negated;
  }
}

class NullCondition implements ConditionMatcher {
  constructor(
    readonly operator: string,
    readonly key: string,
    private readonly wantAbsent: readonly boolean[],
  ) {}

  evaluate(context: ReadonlyMap<string, ContextValue>): boolean {
    const raw = context.get(this.key);
    const absent = raw === undefined || (typeof raw === 'object' && raw.length === 0);
    return this.wantAbsent.includes(absent);
  }
}

/**
 * Compiles one operator/key pair. `variables` says whether policy variables are substituted
 * (2012-10-17 policies, and only for String, Arn and Bool operators). Variable keys the
 * condition needs are appended to `used`.
 */
export function compileCondition(
  op: ParsedOperator,
  key: string,
  values: readonly Scalar[],
  variables: boolean,
  used: string[],
): ConditionMatcher | ValueProblem {
  const lowerKey = key.toLowerCase();
  if (op.family === 'null') {
    const wanted: boolean[] = [];
    for (const value of values) {
      const text = String(value).toLowerCase();
      if (text !== 'true' && text !== 'false') return 'type';
      wanted.push(text === 'true');
    }
    return new NullCondition(op.name, lowerKey, wanted);
  }
  const takesVariables = variables && (op.family === 'string' || op.family === 'arn' || op.family === 'bool');
  const test = compileTest(op, values, takesVariables, used);
  if (typeof test === 'string') return test;
  return new Condition(op.name, lowerKey, op, test);
}
