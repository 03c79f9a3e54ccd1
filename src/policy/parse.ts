/**
 * parsePolicy: IAM JSON policy text -> CompiledPolicy, or a PolicyError. Checks run in IAM's
 * order (syntax, legacy parsing, Sid uniqueness, actions, resource formats, action vendors, …;
 * the order moto's IAM validator reproduces from AWS) so the first message is the one IAM gives.
 * Compiled policies are cached by kind and text.
 */
import { actionExists, CHECKED_SERVICES, compileActions } from './actions.js';
import { compileCondition, parseOperator } from './conditions.js';
import { MSG, PolicyError, type PolicyProblem } from './errors.js';
import { compilePrincipal } from './principals.js';
import type { CompiledPolicy, CompiledStatement, ConditionMatcher, PatternMatcher, PolicyKind, PrincipalMatcher } from './types.js';
import { compilePattern } from './wildcard.js';

export const ENDPOINT_POLICY_MAX_LENGTH = 20_480;

const TOP_ELEMENTS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']);
const TRUST_ACTIONS = ['assumerole', 'assumerolewithsaml', 'assumerolewithwebidentity', 'tagsession', 'setsourceidentity', 'setcontext'];

// Phases in IAM's order of checks: the lowest phase with a problem gives the error message.
const Phase = {
  Size: 0,
  Syntax: 1,
  Legacy: 2,
  Sid: 3,
  Actions: 4,
  ResourceFormat: 5,
  ActionVendor: 6,
  Principal: 7,
  Resources: 8,
  TrustActions: 9,
  Names: 10,
} as const;
type Phase = (typeof Phase)[keyof typeof Phase];

type Json = unknown;

class Problems {
  private readonly list: Array<PolicyProblem & { phase: Phase; order: number }> = [];
  add(phase: Phase, message: string, statement?: number, element?: string): void {
    this.list.push({
      phase,
      order: this.list.length,
      message,
      ...(statement !== undefined ? { statement } : {}),
      ...(element ? { element } : {}),
    });
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
  toError(): PolicyError {
    const sorted = [...this.list].sort((a, b) => a.phase - b.phase || a.order - b.order);
    const problems = sorted.map(({ message, statement, element }) => ({
      message,
      ...(statement !== undefined ? { statement } : {}),
      ...(element ? { element } : {}),
    }));
    return new PolicyError(problems[0]?.message ?? MSG.syntax, problems);
  }
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string-or-list element; undefined when the JSON shape is wrong. */
function stringList(value: Json): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return undefined;
}

function checkAction(action: string, problems: Problems, i: number, element: string): void {
  if (action === '*') return;
  const parts = action.split(':');
  if (parts.length < 2) return problems.add(Phase.ActionVendor, MSG.vendor, i, element);
  if (parts.length > 2) return problems.add(Phase.ActionVendor, MSG.oneColon, i, element);
  const vendor = parts[0] as string;
  if (vendor.includes('*') || vendor.includes('?')) return problems.add(Phase.ActionVendor, MSG.vendorWildcard, i, element);
  if (!/^[A-Za-z0-9-]+$/.test(vendor)) return problems.add(Phase.ActionVendor, MSG.vendorInvalid(vendor), i, element);
  if (CHECKED_SERVICES.has(vendor.toLowerCase()) && !actionExists(action)) {
    problems.add(Phase.Names, MSG.unknownAction(action), i, element);
  }
}

function checkResource(resource: string, problems: Problems, i: number, element: string): void {
  if (resource === '*') return;
  const parts = resource.split(':');
  if (parts.length < 2 || parts[0] !== 'arn') return problems.add(Phase.ResourceFormat, MSG.resourceFormat(resource), i, element);
  const [, partition = '', service = '', region = ''] = parts;
  if (parts.length < 3 || service === '') return problems.add(Phase.ResourceFormat, MSG.resourceVendor, i, element);
  if (!partition.includes('*') && !partition.includes('?') && !PARTITIONS.has(partition)) {
    const padded = [...parts];
    while (padded.length < 6) padded.push('*');
    return problems.add(Phase.ResourceFormat, MSG.partition(partition, padded.join(':')), i, element);
  }
  if (parts.length < 6) return problems.add(Phase.Legacy, MSG.legacy, i, element);
  if (region !== '' && service === 'iam') {
    problems.add(Phase.ResourceFormat, `IAM resource ${resource} cannot contain region information.`, i, element);
  } else if (region !== '' && service === 's3') {
    problems.add(Phase.ResourceFormat, `Resource ${resource} can not contain region information.`, i, element);
  }
}

function isTrustAction(action: string): boolean {
  const lower = action.toLowerCase();
  if (lower === '*') return true;
  if (!lower.startsWith('sts:')) return false;
  const name = lower.slice(4);
  const re = new RegExp(
    `^${name
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return TRUST_ACTIONS.some((candidate) => re.test(candidate));
}

function compileConditions(value: Json, variables: boolean, used: string[], problems: Problems, i: number): ConditionMatcher[] {
  const out: ConditionMatcher[] = [];
  if (!isObject(value)) {
    problems.add(Phase.Syntax, MSG.syntax, i, 'Condition');
    return out;
  }
  for (const [operatorName, block] of Object.entries(value)) {
    const op = parseOperator(operatorName);
    if (!op || !isObject(block)) {
      problems.add(Phase.Syntax, MSG.syntax, i, 'Condition');
      continue;
    }
    for (const [key, raw] of Object.entries(block)) {
      const list = Array.isArray(raw) ? raw : [raw];
      const scalars = list.every((item) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean');
      if (list.length === 0 || !scalars) {
        problems.add(Phase.Syntax, MSG.syntax, i, 'Condition');
        continue;
      }
      if (!key.includes(':')) problems.add(Phase.Names, MSG.vendor, i, 'Condition');
      const compiled = compileCondition(op, key, list as Array<string | number | boolean>, variables, used);
      if (compiled === 'syntax') problems.add(Phase.Syntax, MSG.syntax, i, 'Condition');
      else if (compiled === 'type') problems.add(Phase.Legacy, MSG.legacy, i, 'Condition');
      else out.push(compiled);
    }
  }
  return out;
}

function compileStatement(raw: Json, i: number, kind: PolicyKind, variables: boolean, problems: Problems): CompiledStatement | undefined {
  if (!isObject(raw)) return void problems.add(Phase.Syntax, MSG.syntax, i);
  const keys = Object.keys(raw);
  if (keys.some((key) => !STATEMENT_ELEMENTS.has(key))) return void problems.add(Phase.Syntax, MSG.syntax, i);
  const pairs: Array<[string, string]> = [
    ['Action', 'NotAction'],
    ['Resource', 'NotResource'],
    ['Principal', 'NotPrincipal'],
  ];
  if (pairs.some(([a, b]) => a in raw && b in raw)) return void problems.add(Phase.Syntax, MSG.syntax, i);
  let ok = true;
  const fail = (phase: Phase, message: string, element: string) => {
    problems.add(phase, message, i, element);
    ok = false;
  };

  const sid = raw.Sid;
  if (sid !== undefined && typeof sid !== 'string') fail(Phase.Syntax, MSG.syntax, 'Sid');
  const effect = raw.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') {
    const caseOnly = typeof effect === 'string' && ['allow', 'deny'].includes(effect.toLowerCase());
    fail(caseOnly ? Phase.Legacy : Phase.Syntax, caseOnly ? MSG.legacy : MSG.syntax, 'Effect');
  }

  const actionElement = 'Action' in raw ? 'Action' : 'NotAction';
  const actions = actionElement in raw ? stringList(raw[actionElement]) : [];
  if (!actions) fail(Phase.Syntax, MSG.syntax, actionElement);
  else if (actions.length === 0) fail(Phase.Actions, MSG.needActions, 'Action');
  else for (const action of actions) checkAction(action, problems, i, actionElement);

  const resourceElement = 'Resource' in raw ? 'Resource' : 'NotResource';
  const resources = resourceElement in raw ? stringList(raw[resourceElement]) : undefined;
  if (resourceElement in raw && !resources) fail(Phase.Syntax, MSG.syntax, resourceElement);
  if (kind === 'trust') {
    if (resourceElement in raw) problems.add(Phase.Resources, MSG.trustResource, i, resourceElement);
    if (actionElement === 'Action' && actions?.some((action) => !isTrustAction(action))) {
      problems.add(Phase.TrustActions, MSG.trustActions, i, 'Action');
    }
  } else if (!resources || resources.length === 0) {
    if (resources || !(resourceElement in raw)) problems.add(Phase.Resources, MSG.needResources, i, 'Resource');
  } else {
    for (const resource of resources) checkResource(resource, problems, i, resourceElement);
  }

  const principalElement = 'Principal' in raw ? 'Principal' : 'NotPrincipal';
  let principals: PrincipalMatcher | undefined;
  if (principalElement in raw) {
    if (kind === 'identity') problems.add(Phase.Principal, MSG.noPrincipal, i, principalElement);
    const compiled = compilePrincipal(raw[principalElement]);
    if ('kind' in compiled) {
      problems.add(
        compiled.kind === 'syntax' ? Phase.Syntax : Phase.Principal,
        compiled.kind === 'syntax' ? MSG.syntax : compiled.message,
        i,
        principalElement,
      );
    } else {
      principals = compiled;
    }
  } else if (kind !== 'identity') {
    problems.add(Phase.Principal, MSG.missingPrincipal, i, 'Principal');
  }

  const used: string[] = [];
  const conditions = 'Condition' in raw ? compileConditions(raw.Condition, variables, used, problems, i) : [];
  if (!ok) return undefined;

  const resourceMatchers: PatternMatcher[] | undefined = resources?.map((resource) => {
    const compiled = compilePattern(resource, 'arn', variables);
    used.push(...compiled.variables);
    return compiled.matcher;
  });
  return {
    index: i,
    ...(typeof sid === 'string' ? { sid } : {}),
    effect: effect as 'Allow' | 'Deny',
    actions: compileActions(actions ?? []),
    actionNegated: actionElement === 'NotAction',
    ...(resourceMatchers ? { resources: resourceMatchers } : {}),
    resourceNegated: resourceElement === 'NotResource',
    ...(principals ? { principals } : {}),
    principalNegated: principalElement === 'NotPrincipal',
    conditions,
    variables: [...new Set(used)],
  };
}

function compile(text: string, kind: PolicyKind): CompiledPolicy {
  const problems = new Problems();
  if (kind === 'endpoint' && text.length > ENDPOINT_POLICY_MAX_LENGTH) problems.add(Phase.Size, MSG.endpointTooLong(text.length));
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch {
    problems.add(Phase.Syntax, MSG.syntax);
    throw problems.toError();
  }
  if (!isObject(doc) || Object.keys(doc).some((key) => !TOP_ELEMENTS.has(key))) {
    problems.add(Phase.Syntax, MSG.syntax);
    throw problems.toError();
  }
  const version = doc.Version ?? '2008-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17') problems.add(Phase.Syntax, MSG.syntax, undefined, 'Version');
  if (doc.Id !== undefined && typeof doc.Id !== 'string') problems.add(Phase.Syntax, MSG.syntax, undefined, 'Id');
  const rawStatements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement === undefined ? [] : [doc.Statement];
  if (rawStatements.length === 0) problems.add(Phase.Syntax, MSG.syntax, undefined, 'Statement');
  const variables = version === '2012-10-17';
  const statements: CompiledStatement[] = [];
  const sids = new Set<string>();
  rawStatements.forEach((raw: Json, i: number) => {
    const statement = compileStatement(raw, i, kind, variables, problems);
    if (isObject(raw) && typeof raw.Sid === 'string' && raw.Sid !== '') {
      if (sids.has(raw.Sid)) problems.add(Phase.Sid, MSG.sidUnique, i, 'Sid');
      sids.add(raw.Sid);
    }
    if (statement) statements.push(statement);
  });
  if (!problems.empty) throw problems.toError();
  return {
    kind,
    version: version as CompiledPolicy['version'],
    ...(typeof doc.Id === 'string' ? { id: doc.Id } : {}),
    text,
    statements,
  };
}

const CACHE_LIMIT = 1024;
const cache = new Map<string, CompiledPolicy>();

/**
 * Parses and validates a policy of the given kind. Throws PolicyError (message = the first
 * problem in IAM's order of checks). Successful results are cached by kind and text.
 */
export function parsePolicy(text: string, kind: PolicyKind): CompiledPolicy {
  const key = `${kind}\u0000${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const policy = compile(text, kind);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, policy);
  return policy;
}
