/**
 * The pipeline's authorizer (IAM User Guide, "Policy evaluation logic"): an IAM user or an
 * assumed-role session needs an identity-policy Allow (inline and attached managed policies;
 * for a session, its role's); the account root needs none. When the request came through an
 * interface VPC endpoint, the endpoint's policy must allow it too; an explicit Deny anywhere
 * wins. Refusals are AccessDenied with AWS's sentence.
 */
import type { EndpointContext, RequestContext } from '../core/context.js';
import { AccessDenied } from '../core/errors.js';
import { authorizeRequest } from '../policy/evaluate.js';
import { explainVerdict } from '../policy/explain.js';
import { PolicyError } from '../policy/errors.js';
import { DEFAULT_ENDPOINT_POLICY } from '../policy/index.js';
import { parsePolicy } from '../policy/parse.js';
import type { ContextValue, NamedPolicy } from '../policy/types.js';
import { AllowCache } from './allow-cache.js';
import type { IdentityDomain } from './identity.js';

/** Where an interface endpoint's policy document comes from (the network domain stores it). */
export interface EndpointPolicySource {
  /** The endpoint's policy JSON; undefined when it has none (the AWS default applies). */
  endpointPolicy(endpoint: EndpointContext): string | undefined;
}

/** One authorization check (structurally the pipeline's AuthorizationTarget). */
export interface AuthorizationCheck {
  action: string;
  resource: string;
  context?: Record<string, string | string[] | boolean | number>;
}

/** `aws:CurrentTime` text (ISO 8601 to the second), remembered for the second it names. */
function isoSecond(now: number): string {
  const second = Math.floor(now / 1000);
  if (second !== currentSecond) {
    currentSecond = second;
    currentTimeText = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return currentTimeText;
}
let currentSecond = Number.NaN;
let currentTimeText = '';

/** The global condition keys of a request (IAM User Guide, "AWS global condition context keys"). */
export function requestContextKeys(ctx: RequestContext): Record<string, ContextValue> {
  const p = ctx.principal;
  const now = ctx.clock.now();
  const keys: Record<string, ContextValue> = {
    'aws:PrincipalArn': p.type === 'AssumedRole' && p.roleArn ? p.roleArn : p.arn,
    'aws:PrincipalAccount': p.accountId,
    'aws:PrincipalType': p.type,
    'aws:userid': p.userId,
    'aws:RequestedRegion': ctx.region,
    'aws:SecureTransport': ctx.secureTransport,
    'aws:CurrentTime': isoSecond(now),
    'aws:EpochTime': Math.floor(now / 1000),
  };
  if (p.type === 'User' && p.userName) keys['aws:username'] = p.userName;
  if (ctx.endpoint) {
    keys['aws:SourceVpce'] = ctx.endpoint.vpcEndpointId;
    keys['aws:SourceVpc'] = ctx.endpoint.vpcId;
    keys['aws:VpceAccount'] = ctx.endpoint.ownerAccountId;
    keys['aws:VpcSourceIp'] = ctx.sourceIp; // through an endpoint AWS gives the private address here, not in aws:SourceIp
  } else {
    keys['aws:SourceIp'] = ctx.sourceIp;
  }
  return keys;
}

export class IdentityAuthorizer {
  constructor(
    private readonly identity: IdentityDomain,
    private readonly endpoints?: EndpointPolicySource,
  ) {}

  private readonly allows = new AllowCache();

  authorize(ctx: RequestContext, targets: readonly AuthorizationCheck[]): void {
    if (targets.length === 0) return;
    const principal = ctx.principal;
    const identityPolicies = this.identity.compiledIdentityPolicies(principal);
    const endpointPolicy = ctx.endpoint ? this.endpointPolicyOf(ctx.endpoint) : undefined;
    const policies = identityPolicies.map((p) => p.policy);
    if (endpointPolicy) policies.push(endpointPolicy.policy);
    const remembered = this.allows.prefix(principal, policies);
    let base: Record<string, ContextValue> | undefined;
    for (const target of targets) {
      if (remembered !== undefined && this.allows.has(remembered, target.action, target.resource)) continue;
      base ??= requestContextKeys(ctx);
      const verdict = authorizeRequest({
        principal,
        principalIsRoot: principal.type === 'Account',
        action: target.action,
        resource: target.resource,
        context: { ...base, ...(target.context ?? {}) },
        identityPolicies,
        ...(endpointPolicy ? { endpointPolicy } : {}),
      });
      if (!verdict.allowed) {
        throw new AccessDenied(verdict.message ?? `User: ${principal.arn} is not authorized to perform: ${target.action}`, explainVerdict(verdict, { principalIsRoot: principal.type === 'Account' }));
      }
      if (remembered !== undefined) this.allows.add(remembered, target.action, target.resource);
    }
  }

  private endpointPolicyOf(endpoint: EndpointContext): NamedPolicy {
    const vpcEndpointId = endpoint.vpcEndpointId;
    const text = this.endpoints?.endpointPolicy(endpoint) ?? DEFAULT_ENDPOINT_POLICY;
    try {
      return { name: vpcEndpointId, policy: parsePolicy(text, 'endpoint') };
    } catch (error) {
      // A stored endpoint policy was validated when it was set; if it no longer parses, refuse.
      if (error instanceof PolicyError)
        return {
          name: vpcEndpointId,
          policy: parsePolicy('{"Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}', 'endpoint'),
        };
      throw error;
    }
  }
}
