/**
 * Retry strategies: `attempts` 1..10 and up to 5 `evaluateOnExit` rules. A rule matches when
 * each of its given globs (onStatusReason, onReason, onExitCode; a trailing `*` is the only
 * wildcard) matches; the first matching rule's action (RETRY/EXIT) decides, and with no match
 * the job is retried while attempts remain.
 */
import type { Input } from '../core/validate.js';
import { clientError, v } from './errors.js';

export interface EvaluateOnExit {
  onStatusReason?: string;
  onReason?: string;
  onExitCode?: string;
  action: 'RETRY' | 'EXIT';
}

export interface RetryStrategy {
  attempts?: number;
  evaluateOnExit?: EvaluateOnExit[];
}

export function validateRetryStrategy(input: Input | undefined): RetryStrategy | undefined {
  if (!input) return undefined;
  const attempts = v.optionalInteger(input, 'attempts');
  if (attempts !== undefined && (attempts < 1 || attempts > 10)) throw clientError('The number of attempts must be between 1 and 10.');
  const rules = v.optionalList(input, 'evaluateOnExit');
  if (rules && rules.length > 5) throw clientError('evaluateOnExit can have at most 5 entries.');
  const evaluateOnExit = rules?.map((rule) => {
    const r = (rule ?? {}) as Input;
    const action = v.requireString(r, 'action').toUpperCase();
    if (action !== 'RETRY' && action !== 'EXIT') throw clientError('evaluateOnExit.action must be RETRY or EXIT.');
    const onExitCode = v.optionalString(r, 'onExitCode', { max: 512 });
    if (onExitCode !== undefined && !/^[0-9]*\*?$/.test(onExitCode)) throw clientError('onExitCode can contain only numbers and can end with an asterisk (*).');
    const onStatusReason = v.optionalString(r, 'onStatusReason', { max: 512 });
    const onReason = v.optionalString(r, 'onReason', { max: 512 });
    return { action: action as 'RETRY' | 'EXIT', ...(onExitCode ? { onExitCode } : {}), ...(onStatusReason ? { onStatusReason } : {}), ...(onReason ? { onReason } : {}) };
  });
  return { ...(attempts !== undefined ? { attempts } : {}), ...(evaluateOnExit ? { evaluateOnExit } : {}) };
}

function globMatches(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : value === pattern;
}

/** Whether a failed attempt should be retried (attempt is 1-based, the one that just ended). */
export function shouldRetry(strategy: RetryStrategy | undefined, attempt: number, exit: { exitCode?: number; statusReason?: string; reason?: string }): boolean {
  const attempts = strategy?.attempts ?? 1;
  if (attempt >= attempts) return false;
  for (const rule of strategy?.evaluateOnExit ?? []) {
    const checks: boolean[] = [];
    if (rule.onExitCode !== undefined) checks.push(globMatches(rule.onExitCode, exit.exitCode === undefined ? undefined : String(exit.exitCode)));
    if (rule.onStatusReason !== undefined) checks.push(globMatches(rule.onStatusReason, exit.statusReason));
    if (rule.onReason !== undefined) checks.push(globMatches(rule.onReason, exit.reason));
    if (checks.length > 0 && checks.every(Boolean)) return rule.action === 'RETRY';
  }
  return true;
}
