/**
 * IAM's checks when a policy document is stored: the grammar is the policy engine's
 * (parsePolicy: identity policies must not name a Principal and need Resource; trust policies
 * need a Principal and only sts:AssumeRole* actions), refused as MalformedPolicyDocument with
 * AWS's message. Sizes are AWS's quotas (inline user 2,048, role 10,240, managed 6,144
 * characters, whitespace not counted).
 */
import { parsePolicy } from '../policy/parse.js';
import { PolicyError } from '../policy/errors.js';
import type { CompiledPolicy } from '../policy/types.js';
import { limitExceeded, malformedPolicy } from './errors.js';

export type DocumentKind = 'identity' | 'trust';

/** Parses and checks a policy document, or throws MalformedPolicyDocument. */
export function checkPolicyDocument(text: string, kind: DocumentKind): CompiledPolicy {
  try {
    return parsePolicy(text, kind);
  } catch (error) {
    if (error instanceof PolicyError) throw malformedPolicy(error.message);
    throw error;
  }
}

/** The JSON of a document already accepted by checkPolicyDocument. */
export function policyJson(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

const LIMITS = { user: 2048, role: 10240, managed: 6144 } as const;

export function checkPolicySize(text: string, holder: keyof typeof LIMITS, name: string): void {
  const size = text.replace(/\s/g, '').length;
  const limit = LIMITS[holder];
  if (size <= limit) return;
  if (holder === 'managed') throw limitExceeded(`Cannot exceed quota for PolicySize: ${limit}`);
  throw limitExceeded(`Maximum policy size of ${limit} bytes exceeded for ${holder} ${name}`);
}
