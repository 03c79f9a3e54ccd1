/**
 * Input validation shared by every service. A `Validator` is bound to the service's error code
 * (Batch: ClientException, Logs: InvalidParameterException, EC2: InvalidParameterValue …) and
 * reads fields out of a decoded input, refusing wrong types and violated constraints with a
 * message that names the field.
 */
import { ApiError } from './errors.js';
/** A decoded request input (any service). */
export type Input = Record<string, unknown>;

export interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
  patternText?: string;
}

export class Validator {
  constructor(
    readonly code: string,
    readonly status = 400,
  ) {}

  fail(message: string): never {
    throw new ApiError(this.code, message, this.status);
  }

  requireString(input: Input, field: string, rule: StringRule = {}): string {
    const value = this.optionalString(input, field, rule);
    if (value === undefined) this.fail(`${field} is required.`);
    return value;
  }

  optionalString(input: Input, field: string, rule: StringRule = {}): string | undefined {
    const value = input[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(`${field} must be a string.`);
    if (rule.min !== undefined && value.length < rule.min) this.fail(`${field} must be at least ${rule.min} characters long.`);
    if (rule.max !== undefined && value.length > rule.max) this.fail(`${field} must be at most ${rule.max} characters long.`);
    if (rule.pattern && !rule.pattern.test(value)) this.fail(`${field} ${rule.patternText ?? `must match ${rule.pattern.source}`}.`);
    return value;
  }

  optionalInteger(input: Input, field: string, range: { min?: number; max?: number } = {}): number | undefined {
    const value = input[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) this.fail(`${field} must be an integer.`);
    if (range.min !== undefined && value < range.min) this.fail(`${field} must be at least ${range.min}.`);
    if (range.max !== undefined && value > range.max) this.fail(`${field} must be at most ${range.max}.`);
    return value;
  }

  requireInteger(input: Input, field: string, range: { min?: number; max?: number } = {}): number {
    const value = this.optionalInteger(input, field, range);
    if (value === undefined) this.fail(`${field} is required.`);
    return value;
  }

  optionalNumber(input: Input, field: string): number | undefined {
    const value = input[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(`${field} must be a number.`);
    return value;
  }

  optionalBoolean(input: Input, field: string): boolean | undefined {
    const value = input[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') this.fail(`${field} must be a boolean.`);
    return value;
  }

  optionalEnum<T extends string>(input: Input, field: string, allowed: readonly T[]): T | undefined {
    const value = this.optionalString(input, field);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      this.fail(`${field} must be one of: ${allowed.join(', ')}.`);
    }
    return value as T;
  }

  requireEnum<T extends string>(input: Input, field: string, allowed: readonly T[]): T {
    const value = this.optionalEnum(input, field, allowed);
    if (value === undefined) this.fail(`${field} is required.`);
    return value;
  }

  optionalStringList(input: Input, field: string, limits: { max?: number } = {}): string[] | undefined {
    const value = input[field];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) this.fail(`${field} must be a list of strings.`);
    if (limits.max !== undefined && value.length > limits.max) this.fail(`${field} can have at most ${limits.max} items.`);
    return value as string[];
  }

  optionalList(input: Input, field: string): unknown[] | undefined {
    const value = input[field];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) this.fail(`${field} must be a list.`);
    return value;
  }

  optionalObject(input: Input, field: string): Input | undefined {
    const value = input[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(`${field} must be a structure.`);
    return value as Input;
  }

  optionalStringMap(input: Input, field: string): Record<string, string> | undefined {
    const value = this.optionalObject(input, field);
    if (value === undefined) return undefined;
    for (const [key, v] of Object.entries(value)) {
      if (typeof v !== 'string') this.fail(`${field}.${key} must be a string.`);
    }
    return value as Record<string, string>;
  }
}
