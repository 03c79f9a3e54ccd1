/**
 * Input checks for the Logs service with AWS's wording: a request's constraint violations are
 * collected and reported together as InvalidParameterException
 * "N validation error(s) detected: Value '<v>' at '<field>' failed to satisfy constraint: …",
 * per field in the order pattern, minimum length, maximum length (as AWS lists them).
 */
import type { Validator } from '../core/validate.js';
import type { Input } from './types.js';

export interface StringConstraint {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: RegExp; // anchored
  patternText?: string; // the pattern as AWS prints it
}

export interface NumberConstraint {
  required?: boolean;
  min?: number;
  max?: number;
  oneOf?: readonly number[];
}

export class Constraints {
  private readonly violations: string[] = [];

  constructor(
    private readonly v: Validator,
    private readonly input: Input,
  ) {}

  string(field: string, rule: StringConstraint = {}): string | undefined {
    const value = this.v.optionalString(this.input, field);
    return value === undefined ? this.missing(field, rule.required) : this.checkString(field, value, rule);
  }

  /** A string at a nested path (e.g. logEvents.1.member.message). */
  checkString(path: string, value: string, rule: StringConstraint): string {
    for (const problem of Constraints.problems(value, rule)) this.violate(path, value, problem);
    return value;
  }

  /** What a string violates, in AWS's order: pattern, minimum length, maximum length. */
  static problems(value: string, rule: StringConstraint): string[] {
    const length = [...value].length;
    const found: string[] = [];
    if (rule.pattern && !rule.pattern.test(value))
      found.push(`Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`);
    if (rule.min !== undefined && length < rule.min) found.push(`Member must have length greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && length > rule.max) found.push(`Member must have length less than or equal to ${rule.max}`);
    return found;
  }

  integer(field: string, rule: NumberConstraint = {}): number | undefined {
    const value = this.v.optionalInteger(this.input, field);
    return value === undefined ? this.missing(field, rule.required) : this.checkNumber(field, value, rule);
  }

  checkNumber(path: string, value: number, rule: NumberConstraint): number {
    if (rule.oneOf && !rule.oneOf.includes(value)) {
      this.violate(path, value, `Member must satisfy enum value set: [${rule.oneOf.join(', ')}]`);
    }
    if (rule.min !== undefined && value < rule.min)
      this.violate(path, value, `Member must have value greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && value > rule.max) this.violate(path, value, `Member must have value less than or equal to ${rule.max}`);
    return value;
  }

  enum<T extends string>(field: string, allowed: readonly T[]): T | undefined {
    const value = this.v.optionalString(this.input, field);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value))
      this.violate(field, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
    return value as T;
  }

  /** A list with a size constraint; `[]` is printed as AWS prints it, longer lists are not. */
  list(field: string, rule: { required?: boolean; min?: number; max?: number } = {}): unknown[] | undefined {
    const value = this.v.optionalList(this.input, field);
    if (value === undefined) return this.missing(field, rule.required);
    const shown = value.length === 0 ? '[]' : undefined;
    if (rule.min !== undefined && value.length < rule.min)
      this.violate(field, shown, `Member must have length greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && value.length > rule.max)
      this.violate(field, shown, `Member must have length less than or equal to ${rule.max}`);
    return value;
  }

  /** A required member at a nested path that is absent. */
  missingAt(path: string): void {
    this.violations.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
  }

  /** Throws InvalidParameterException when anything was violated. */
  done(): void {
    const n = this.violations.length;
    if (n > 0) this.v.fail(`${n} validation error${n === 1 ? '' : 's'} detected: ${this.violations.join('; ')}`);
  }

  private missing(field: string, required: boolean | undefined): undefined {
    if (required) this.missingAt(field);
    return undefined;
  }

  /** Records one violation; `value` undefined prints no value (AWS does so for long lists and maps). */
  violate(path: string, value: string | number | undefined, constraint: string): void {
    const shown = value === undefined ? 'Value' : `Value '${value}'`;
    this.violations.push(`${shown} at '${path}' failed to satisfy constraint: ${constraint}`);
  }
}
