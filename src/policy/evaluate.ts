/**
 * Evaluation (IAM User Guide, "Policy evaluation logic", for the policy types batchlink has):
 * an explicit Deny in any policy wins; otherwise the caller needs an Allow from an identity
 * policy (the account root needs none; a resource or trust policy naming the caller itself also
 * grants), a trust policy must allow when one is given, and an endpoint policy, when the request
 * came through an endpoint, must allow too.
 */
import { formatDenialMessage } from './messages.js';
import type {
  CompiledPolicy,
  CompiledStatement,
  ContextKeys,
  ContextValue,
  Decision,
  EvaluationRequest,
  EvaluationResult,
  MatchedStatement,
  NamedPolicy,
  PolicyKind,
  PolicySet,
  PrincipalMatch,
  RequestPrincipal,
  VariableResolver,
} from './types.js';

/** Request-context map with lower-cased keys, plus the keys AWS derives from the principal. */
function buildContext(principal: RequestPrincipal, keys: ContextKeys | undefined): Map<string, ContextValue> {
  const map = new Map<string, ContextValue>();
  if (principal.type === 'Service') {
    if (principal.service) map.set('aws:principalservicename', principal.service);
  } else {
    map.set('aws:principalarn', principal.type === 'AssumedRole' && principal.roleArn ? principal.roleArn : principal.arn);
    map.set('aws:principalaccount', principal.accountId);
    map.set('aws:principaltype', principal.type);
    if (principal.userId) map.set('aws:userid', principal.userId);
    if (principal.type === 'User' && principal.userName) map.set('aws:username', principal.userName);
  }
  if (keys)
    for (const key in keys) {
      const value = keys[key];
      if (value !== undefined) map.set(key.toLowerCase(), value);
    }
  return map;
}

function resolverOf(context: ReadonlyMap<string, ContextValue>): VariableResolver {
  return {
    resolve(key) {
      const value = context.get(key);
      if (value === undefined) return undefined;
      if (typeof value === 'object') return value.length === 1 ? value[0] : undefined;
      return String(value);
    },
  };
}

interface Scope {
  lowerAction: string;
  resource: string;
  principal: RequestPrincipal;
  context: ReadonlyMap<string, ContextValue>;
  vars: VariableResolver;
}

/** What every statement of every policy is matched against for one request. */
function scopeOf(request: EvaluationRequest): Scope {
  const context = buildContext(request.principal, request.context);
  return {
    lowerAction: request.action.toLowerCase(),
    resource: request.resource,
    principal: request.principal,
    context,
    vars: resolverOf(context),
  };
}

/** Whether a statement applies to the request, and how its Principal named the caller. */
function applies(st: CompiledStatement, s: Scope): PrincipalMatch | undefined {
  if (st.actions.matches(s.lowerAction) === st.actionNegated) return undefined;
  for (const key of st.variables) if (s.vars.resolve(key) === undefined) return undefined;
  if (st.resources) {
    let hit = false;
    for (const matcher of st.resources) {
      if (matcher.matches(s.resource, s.vars)) {
        hit = true;
        break;
      }
    }
    if (hit === st.resourceNegated) return undefined;
  }
  let how: PrincipalMatch = 'direct';
  if (st.principals) {
    if (st.principalNegated) {
      if (st.principals.excludes(s.principal)) return undefined;
    } else {
      how = st.principals.match(s.principal);
      if (how === 'none') return undefined;
    }
  }
  for (const condition of st.conditions) if (!condition.evaluate(s.context, s.vars)) return undefined;
  return how;
}

interface TypeOutcome {
  allows: MatchedStatement[];
  denies: MatchedStatement[];
  /** An Allow whose Principal named the caller itself (not just its account). */
  direct: boolean;
}

function evaluatePolicies(type: PolicyKind, policies: readonly NamedPolicy[], s: Scope): TypeOutcome {
  const out: TypeOutcome = { allows: [], denies: [], direct: false };
  for (const { name, policy } of policies) {
    for (const st of policy.statements) {
      const how = applies(st, s);
      if (how === undefined) continue;
      const matched: MatchedStatement = { policyType: type, policyName: name, statementIndex: st.index, effect: st.effect };
      if (st.sid !== undefined) matched.sid = st.sid;
      if (st.effect === 'Deny') out.denies.push(matched);
      else {
        out.allows.push(matched);
        if (how === 'direct') out.direct = true;
      }
    }
  }
  return out;
}

function verdict(outcome: TypeOutcome): Decision {
  return outcome.denies.length ? 'ExplicitDeny' : outcome.allows.length ? 'Allow' : 'ImplicitDeny';
}

// The order in which a denial is attributed when several policy types refuse.
const ATTRIBUTION: readonly PolicyKind[] = ['endpoint', 'trust', 'resource', 'identity'];

function decide(request: EvaluationRequest, policies: PolicySet, isRoot: boolean): EvaluationResult {
  const s = scopeOf(request);
  const outcomes: Partial<Record<PolicyKind, TypeOutcome>> = { identity: evaluatePolicies('identity', policies.identity, s) };
  for (const type of ['resource', 'endpoint', 'trust'] as const) {
    const policy = policies[type];
    if (policy) outcomes[type] = evaluatePolicies(type, [policy], s);
  }
  const byType: Partial<Record<PolicyKind, Decision>> = {};
  for (const [type, outcome] of Object.entries(outcomes) as Array<[PolicyKind, TypeOutcome]>) byType[type] = verdict(outcome);

  const denies = ATTRIBUTION.flatMap((type) => outcomes[type]?.denies ?? []);
  if (denies.length) {
    const deniedBy = ATTRIBUTION.find((type) => outcomes[type]?.denies.length);
    return { decision: 'ExplicitDeny', ...(deniedBy ? { deniedBy } : {}), matched: denies, byType };
  }
  const identity = outcomes.identity as TypeOutcome;
  const granted = isRoot || identity.allows.length > 0 || outcomes.resource?.direct === true || outcomes.trust?.direct === true;
  const missing: PolicyKind[] = [];
  if (outcomes.endpoint && outcomes.endpoint.allows.length === 0) missing.push('endpoint');
  if (outcomes.trust && outcomes.trust.allows.length === 0) missing.push('trust');
  if (!granted) missing.push('identity');
  const allows = (['identity', 'resource', 'trust', 'endpoint'] as const).flatMap((type) => outcomes[type]?.allows ?? []);
  if (missing.length) return { decision: 'ImplicitDeny', deniedBy: missing[0] as PolicyKind, matched: allows, byType };
  return { decision: 'Allow', matched: allows, byType };
}

/**
 * Evaluates a request against grouped policies. The caller is the account root when
 * `request.principal.type` is 'Account'.
 */
export function evaluate(request: EvaluationRequest, policies: PolicySet): EvaluationResult {
  return decide(request, policies, request.principal.type === 'Account');
}

export interface AuthorizeInput {
  principal: RequestPrincipal;
  /** The account root user: needs no identity-policy allow; denies and endpoint policies still apply. */
  principalIsRoot: boolean;
  action: string;
  resource: string;
  context?: ContextKeys;
  identityPolicies: readonly NamedPolicy[];
  /** Present when the request arrived through an interface VPC endpoint. */
  endpointPolicy?: NamedPolicy;
  resourcePolicy?: NamedPolicy;
  trustPolicy?: NamedPolicy;
  /** Leave `on resource: …` out of the denial message (for actions AWS reports without one). */
  omitResourceInMessage?: boolean;
}

export interface AuthorizeResult extends EvaluationResult {
  allowed: boolean;
  /** AWS's access-denied sentence, for denials. */
  message?: string;
}

/** AWS's authorization for batchlink's cases, with the denial sentence ready for the wire. */
export function authorizeRequest(input: AuthorizeInput): AuthorizeResult {
  const policies: PolicySet = {
    identity: input.identityPolicies,
    ...(input.endpointPolicy ? { endpoint: input.endpointPolicy } : {}),
    ...(input.resourcePolicy ? { resource: input.resourcePolicy } : {}),
    ...(input.trustPolicy ? { trust: input.trustPolicy } : {}),
  };
  const request: EvaluationRequest = {
    principal: input.principal,
    action: input.action,
    resource: input.resource,
    ...(input.context ? { context: input.context } : {}),
  };
  const result = decide(request, policies, input.principalIsRoot);
  if (result.decision === 'Allow') return { ...result, allowed: true };
  const message = formatDenialMessage({
    principalArn: input.principal.arn,
    action: input.action,
    ...(input.omitResourceInMessage ? {} : { resource: input.resource }),
    decision: result.decision,
    deniedBy: result.deniedBy ?? 'identity',
  });
  return { ...result, allowed: false, message };
}

/** Convenience for a single policy: its own three-way verdict for a request. */
export function evaluatePolicy(request: EvaluationRequest, policy: CompiledPolicy, name = 'policy'): EvaluationResult {
  const s = scopeOf(request);
  const outcome = evaluatePolicies(policy.kind, [{ name, policy }], s);
  const decision = verdict(outcome);
  return {
    decision,
    ...(decision !== 'Allow' ? { deniedBy: policy.kind } : {}),
    matched: decision === 'ExplicitDeny' ? outcome.denies : outcome.allows,
    byType: { [policy.kind]: decision },
  };
}
