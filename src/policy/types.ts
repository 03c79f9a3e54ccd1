/**
 * Public shapes of the policy engine: compiled policies (what parsePolicy returns), the
 * request an evaluation looks at, and the three-way decision with the statements that made it.
 * Compiled policies are shared through a cache: treat them as read-only.
 */

/** Which slot a policy fills; decides the grammar rules (Principal required or forbidden). */
export type PolicyKind = 'identity' | 'resource' | 'endpoint' | 'trust';

export type Effect = 'Allow' | 'Deny';

/** The three-way result of IAM evaluation. */
export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/** A request-context value. Arrays are multivalued keys (for ForAllValues / ForAnyValue). */
export type ContextValue = string | number | boolean | readonly string[];

export type ContextKeys = Readonly<Record<string, ContextValue | undefined>>;

/** `Account` is the account root user; `Service` is an AWS service principal. */
export type RequestPrincipalType = 'Account' | 'User' | 'AssumedRole' | 'FederatedUser' | 'Service';

/**
 * Who is calling. Structurally compatible with core's `Principal`, so `ctx.principal` can be
 * passed as is. `roleArn` is the role of an assumed-role session (`arn:aws:iam::ACCT:role/path/NAME`).
 */
export interface RequestPrincipal {
  arn: string;
  accountId: string;
  type: RequestPrincipalType;
  roleArn?: string;
  userId?: string;
  userName?: string;
  /** For `Service` principals: e.g. `batch.amazonaws.com`. */
  service?: string;
}

export interface EvaluationRequest {
  principal: RequestPrincipal;
  action: string; // e.g. batch:SubmitJob (matched case-insensitively)
  resource: string; // an ARN, or '*' for actions without resource-level permissions
  /** Condition keys; names are looked up case-insensitively. */
  context?: ContextKeys;
}

/** A compiled policy plus the name that explanations and messages use for it. */
export interface NamedPolicy {
  name: string;
  policy: CompiledPolicy;
}

export interface PolicySet {
  identity: readonly NamedPolicy[];
  resource?: NamedPolicy;
  endpoint?: NamedPolicy;
  trust?: NamedPolicy;
}

/** One statement that took part in a decision. */
export interface MatchedStatement {
  policyType: PolicyKind;
  policyName: string;
  statementIndex: number; // 0-based position in the policy's Statement list
  sid?: string;
  effect: Effect;
}

export interface EvaluationResult {
  decision: Decision;
  /** For a denial: the policy type the denial is attributed to (the one AWS would name). */
  deniedBy?: PolicyKind;
  /**
   * Allow: the Allow statements that granted it. ExplicitDeny: every matching Deny.
   * ImplicitDeny: the Allows that did match in other policy types (`deniedBy` names the one missing).
   */
  matched: MatchedStatement[];
  /** Each policy type's own three-way verdict (absent when no policy of that type was given). */
  byType: Partial<Record<PolicyKind, Decision>>;
}

// ---- compiled forms (internal structure, exported for typing only) ----

export interface CompiledPolicy {
  readonly kind: PolicyKind;
  /** '2012-10-17' or '2008-10-17' (an absent Version means 2008-10-17: no policy variables). */
  readonly version: '2012-10-17' | '2008-10-17';
  readonly id?: string;
  readonly text: string;
  readonly statements: readonly CompiledStatement[];
}

/** Matches a lower-cased action name. */
export interface ActionMatcher {
  matches(lowerAction: string): boolean;
}

/** Matches a string (resource ARN, condition value) given the resolved policy variables. */
export interface PatternMatcher {
  /** False when a policy variable it uses cannot be resolved from the context. */
  matches(value: string, vars: VariableResolver): boolean;
}

export interface VariableResolver {
  /** The variable's single value, or undefined when absent (or multivalued). */
  resolve(lowerKey: string): string | undefined;
}

export interface CompiledStatement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  readonly actions: ActionMatcher;
  readonly actionNegated: boolean;
  /** Undefined when the statement has no Resource/NotResource (trust policies). */
  readonly resources?: readonly PatternMatcher[];
  readonly resourceNegated: boolean;
  /** Undefined for identity policies. */
  readonly principals?: PrincipalMatcher;
  readonly principalNegated: boolean;
  readonly conditions: readonly ConditionMatcher[];
  /** Lower-cased keys of every policy variable the statement uses (resolved before matching). */
  readonly variables: readonly string[];
}

/** How a principal element matched: by naming the account, or naming the caller itself. */
export type PrincipalMatch = 'none' | 'account' | 'direct';

export interface PrincipalMatcher {
  match(principal: RequestPrincipal): PrincipalMatch;
  /** NotPrincipal semantics: true when the whole identity chain (account, role, session) is named. */
  excludes(principal: RequestPrincipal): boolean;
}

export interface ConditionMatcher {
  readonly operator: string;
  readonly key: string;
  evaluate(context: ReadonlyMap<string, ContextValue>, vars: VariableResolver): boolean;
}
