/**
 * The request context every operation receives: who is calling, from where, in which region,
 * and (when the request arrived through an interface VPC endpoint) through which endpoint.
 * Policy condition keys are read from here.
 */
import type { Clock } from './clock.js';
import type { IdSource } from './ids.js';

export type PrincipalType = 'Account' | 'User' | 'AssumedRole' | 'FederatedUser';

export interface Principal {
  accountId: string;
  arn: string; // arn:aws:iam::<account>:root | :user/<name> | arn:aws:sts::<account>:assumed-role/<role>/<session>
  type: PrincipalType;
  userId: string; // aws:userid
  userName?: string; // aws:username (IAM users only)
  roleArn?: string; // for assumed-role sessions: the role's ARN
  accessKeyId: string;
  sessionToken?: string;
}

export interface EndpointContext {
  vpcEndpointId: string;
  vpcId: string;
  subnetId: string;
  networkInterfaceId: string;
  serviceName: string;
  ownerAccountId: string;
  region: string;
  /** The endpoint as read when the request arrived (one read per request serves every check). */
  state: string;
  /** The endpoint policy's text; undefined means AWS's default full-access policy. */
  policyDocument?: string;
}

export interface RequestContext {
  requestId: string;
  service: string; // signing name: batch, logs, ec2, iam, sts
  region: string;
  partition: string;
  principal: Principal;
  endpoint?: EndpointContext;
  sourceIp: string;
  secureTransport: boolean;
  clock: Clock;
  ids: IdSource;
}

/** Resources are scoped to an account and a region (IAM uses region ''). */
export interface Scope {
  accountId: string;
  region: string;
}

export function scopeOf(ctx: RequestContext): Scope {
  return { accountId: ctx.principal.accountId, region: ctx.region };
}
