/**
 * batchlink's IAM policy engine: a pure module (imports only npm packages and node built-ins).
 * Parse once, evaluate many times; every verdict names the statements that decided it.
 *
 * API
 * - `parsePolicy(text, kind)` -> CompiledPolicy, or throws `PolicyError` ({ message, problems }).
 *   kind: 'identity' (no Principal allowed) | 'resource' | 'endpoint' (≤ 20,480 characters) |
 *   'trust' (Principal required). `message` is IAM's MalformedPolicyDocument text; the caller
 *   picks the wire code (IAM: MalformedPolicyDocument, EC2: InvalidPolicyDocument). Results
 *   are cached by (kind, text), so calling it on every request is cheap.
 * - `evaluate(request, { identity: NamedPolicy[], resource?, endpoint?, trust? })` ->
 *   { decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny', deniedBy?, matched, byType }.
 *   The caller is the account root when `request.principal.type === 'Account'`.
 * - `authorizeRequest({ principal, principalIsRoot, action, resource, context?,
 *   identityPolicies, endpointPolicy?, resourcePolicy?, trustPolicy? })` -> the same plus
 *   `allowed` and, for a denial, AWS's sentence in `message` (built by `formatDenialMessage`).
 * - `formatDenialMessage({ principalArn, action, resource?, decision, deniedBy })`.
 * - `DEFAULT_ENDPOINT_POLICY`: the policy AWS attaches to an endpoint created without one.
 *
 * Example (a request through an interface endpoint):
 *   const endpoint = { name: 'vpce-0abc', policy: parsePolicy(endpointPolicyText, 'endpoint') };
 *   const identity = user.policies.map((p) => ({ name: p.name, policy: parsePolicy(p.document, 'identity') }));
 *   const verdict = authorizeRequest({ principal: ctx.principal, principalIsRoot: ctx.principal.type === 'Account',
 *     action: 'batch:SubmitJob', resource: jobQueueArn, context: { 'aws:SourceVpce': 'vpce-0abc' },
 *     identityPolicies: identity, endpointPolicy: endpoint });
 *   if (!verdict.allowed) throw new AccessDenied(verdict.message);
 *
 * Context keys: give request-specific keys in `context` (names are case-insensitive, e.g.
 * aws:SourceVpce, aws:SourceVpc, aws:SourceIp, aws:CurrentTime, aws:EpochTime,
 * aws:SecureTransport, aws:RequestedRegion, aws:PrincipalTag/<k>, batch:ShareIdentifier).
 * aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid and aws:username are
 * derived from `principal` unless the context sets them.
 */
export { parsePolicy, ENDPOINT_POLICY_MAX_LENGTH } from './parse.js';
export { evaluate, evaluatePolicy, authorizeRequest } from './evaluate.js';
export type { AuthorizeInput, AuthorizeResult } from './evaluate.js';
export { formatDenialMessage } from './messages.js';
export type { DenialDetails } from './messages.js';
export { PolicyError } from './errors.js';
export type { PolicyProblem } from './errors.js';
export type {
  CompiledPolicy,
  ContextKeys,
  ContextValue,
  Decision,
  Effect,
  EvaluationRequest,
  EvaluationResult,
  MatchedStatement,
  NamedPolicy,
  PolicyKind,
  PolicySet,
  RequestPrincipal,
  RequestPrincipalType,
} from './types.js';

/** The endpoint policy AWS attaches when none is given (PrivateLink guide, "Default endpoint policy"). */
export const DEFAULT_ENDPOINT_POLICY = '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';
