/**
 * The checks a VPC endpoint policy must pass before it is stored, as EC2 reports them
 * (InvalidPolicyDocument "The Policy Document is not valid. …"): valid JSON (with the syntax
 * error's position), then the policy engine's endpoint grammar: a Principal in every statement,
 * at most 20,480 characters, well-formed actions, resources and conditions.
 */
import { ApiError } from '../core/errors.js';
import { parsePolicy, PolicyError } from '../policy/index.js';

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
  // JSON first: EC2 reports syntax errors with a (line,column) position.
  try {
    JSON.parse(text);
  } catch (error) {
    const match = /position (\d+)/.exec((error as Error).message);
    const offset = match ? Number(match[1]) : text.length;
    throw invalid(`Syntax error at position ${position(text, offset)}`);
  }
  // Then the policy grammar for endpoint policies (Principal required, ≤ 20,480 characters, …).
  try {
    parsePolicy(text, 'endpoint');
  } catch (error) {
    if (error instanceof PolicyError) throw invalid(error.message);
    throw error;
  }
};
