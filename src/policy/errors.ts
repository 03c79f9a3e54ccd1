/**
 * PolicyError: why a policy document was refused. `message` is the one sentence AWS would
 * return (IAM's MalformedPolicyDocument texts, as returned by CreatePolicy/PutUserPolicy);
 * `problems` lists everything found. Callers choose the AWS error code for their API.
 */

export interface PolicyProblem {
  message: string;
  /** 0-based index of the statement concerned, when there is one. */
  statement?: number;
  /** The policy element concerned: Action, Resource, Principal, Condition, Sid, … */
  element?: string;
}

export class PolicyError extends Error {
  constructor(
    message: string,
    readonly problems: readonly PolicyProblem[],
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}

/** IAM's exact MalformedPolicyDocument messages (and ours, marked, where AWS has none). */
export const MSG = {
  syntax: 'Syntax errors in policy.',
  legacy: 'The policy failed legacy parsing',
  sidUnique: 'Statement IDs (SID) in a single policy must be unique.',
  needActions: 'Policy statement must contain actions.',
  needResources: 'Policy statement must contain resources.',
  vendor: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  oneColon: 'Actions/Condition can contain only one colon.',
  vendorWildcard: 'Action vendors (e.g., aws, ec2, etc.) must not contain wildcards',
  vendorInvalid: (vendor: string) => `Vendor ${vendor} is not valid`,
  resourceFormat: (resource: string) => `Resource ${resource} must be in ARN format or "*".`,
  resourceVendor: 'Resource vendor must be fully qualified and cannot contain regexes.',
  partition: (partition: string, resource: string) => `Partition "${partition}" is not valid for resource "${resource}".`,
  noPrincipal: 'Policy document should not specify a principal.',
  missingPrincipal: 'Missing required field Principal',
  invalidPrincipal: (type: string, value: string) => `Invalid principal in policy: "${type}":"${value}"`,
  trustResource: 'Has prohibited field Resource.',
  trustActions: 'Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity',
  // Not an IAM check (IAM accepts unknown action names); S3 phrases its refusal "Policy has invalid action".
  unknownAction: (action: string) => `Policy has invalid action: ${action}`,
  // The documented endpoint-policy quota; EC2's own wording for it is not published.
  endpointTooLong: (length: number) =>
    `The policy document is ${length} characters long; an endpoint policy cannot exceed 20480 characters, including white space.`,
} as const;
