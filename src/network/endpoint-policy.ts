/**
 * The checks a VPC endpoint policy must pass before it is stored: valid JSON, at most 20,480
 * characters, a Statement whose entries each name a Principal. Failures are InvalidPolicyDocument.
 * This is the fallback used until the policy engine (src/policy) validates endpoint policies;
 * the composition root may inject that engine's check instead.
 */
import { ApiError } from '../core/errors.js';

export const MAX_ENDPOINT_POLICY_CHARS = 20_480;

export type EndpointPolicyCheck = (text: string) => void;

function invalid(detail: string): ApiError {
  return new ApiError('InvalidPolicyDocument', `The Policy Document is not valid. ${detail}`);
}

/** `(line,column)` of a character offset, 1-based, as AWS reports syntax errors. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `(${line},${column})`;
}

export const checkEndpointPolicy: EndpointPolicyCheck = (text) => {
  if (text.length > MAX_ENDPOINT_POLICY_CHARS) {
    throw invalid(`The policy is ${text.length} characters long; the maximum is ${MAX_ENDPOINT_POLICY_CHARS}.`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    const match = /position (\d+)/.exec((error as Error).message);
    const offset = match ? Number(match[1]) : text.length;
    throw invalid(`Syntax error at position ${position(text, offset)}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('The policy must be a JSON object.');
  const statements = (doc as Record<string, unknown>).Statement;
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  if (list.length === 0) throw invalid('Missing required field Statement.');
  for (const [index, statement] of list.entries()) {
    if (!statement || typeof statement !== 'object' || Array.isArray(statement)) throw invalid(`Statement ${index + 1} must be an object.`);
    const entry = statement as Record<string, unknown>;
    if (entry.Principal === undefined && entry.NotPrincipal === undefined) {
      throw invalid(`Statement ${index + 1} is missing required field Principal: a VPC endpoint policy must name a Principal.`);
    }
    if (entry.Effect !== 'Allow' && entry.Effect !== 'Deny') throw invalid(`Statement ${index + 1} has an invalid Effect; use Allow or Deny.`);
  }
};
