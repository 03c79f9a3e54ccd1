/**
 * Matching, table-driven: action names and wildcards, NotAction, resource ARNs with per-segment
 * wildcards, NotResource, policy variables (with defaults and the ${*} ${?} ${$} escapes), and
 * every Principal / NotPrincipal form.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, evaluatePolicy, type ContextKeys, type RequestPrincipal } from './index.js';
import {
  ACCT,
  JOBDEF,
  QUEUE,
  alice,
  batchService,
  bob,
  ciSession,
  endpoint,
  identity,
  pathSession,
  policyOf,
  root,
  stranger,
  type Json,
} from './test-fixtures.js';

// ---------------------------------------------------------------------------------------------
// Actions, resources and policy variables: [name, statement, request overrides, allowed?]
// ---------------------------------------------------------------------------------------------
interface Req {
  principal?: RequestPrincipal;
  action?: string;
  resource?: string;
  context?: ContextKeys;
}
type MatchCase = [string, Json[], Req, boolean, string?];
const allowOn = (Action: unknown, Resource: unknown = '*', extra: Json = {}): Json => ({ Effect: 'Allow', Action, Resource, ...extra });
const matchCases: MatchCase[] = [
  ['action names match case-insensitively', [allowOn('BATCH:submitjob')], {}, true],
  ['batch:Describe* matches DescribeJobs', [allowOn('batch:Describe*')], { action: 'batch:DescribeJobs' }, true],
  ['batch:Describe* does not match ListJobs', [allowOn('batch:Describe*')], { action: 'batch:ListJobs' }, false],
  ['batch:?ubmitJob matches SubmitJob', [allowOn('batch:?ubmitJob')], {}, true],
  ['* matches any action of any service', [allowOn('*')], { action: 'logs:PutLogEvents' }, true],
  ['an action of another service does not match', [allowOn('batch:*')], { action: 'ec2:DescribeVpcs' }, false],
  ['NotAction allows actions it does not list', [{ Effect: 'Allow', NotAction: 'batch:TerminateJob', Resource: '*' }], {}, true],
  [
    'NotAction does not allow the actions it lists',
    [{ Effect: 'Allow', NotAction: ['batch:Terminate*'], Resource: '*' }],
    { action: 'batch:TerminateJob' },
    false,
  ],
  [
    'a Deny with NotAction denies everything it does not list',
    [allowOn('*'), { Effect: 'Deny', NotAction: 'batch:List*', Resource: '*' }],
    {},
    false,
  ],
  [
    'a Deny with NotAction spares the actions it lists',
    [allowOn('*'), { Effect: 'Deny', NotAction: 'batch:List*', Resource: '*' }],
    { action: 'batch:ListJobs' },
    true,
  ],
  ['an exact resource ARN matches', [allowOn('batch:SubmitJob', QUEUE)], {}, true],
  ['a wildcard in the resource part matches', [allowOn('batch:SubmitJob', `arn:aws:batch:us-east-1:${ACCT}:job-queue/res*`)], {}, true],
  ['a wildcard in the region segment matches', [allowOn('batch:SubmitJob', `arn:aws:batch:*:${ACCT}:job-queue/research`)], {}, true],
  [
    'a partial wildcard in the region segment matches',
    [allowOn('batch:SubmitJob', `arn:aws:batch:us-*:${ACCT}:job-queue/research`)],
    {},
    true,
  ],
  [
    'a wildcard in the region segment does not cross a colon',
    [allowOn('batch:SubmitJob', `arn:aws:batch:*:${ACCT}:job-queue/research`)],
    { resource: `arn:aws:batch:us-east-1:x:${ACCT}:job-queue/research` },
    false,
  ],
  [
    'a job definition named without revision does not match a revision',
    [allowOn('batch:SubmitJob', `arn:aws:batch:us-east-1:${ACCT}:job-definition/train`)],
    { resource: JOBDEF },
    false,
  ],
  [
    'a job definition with :* matches every revision',
    [allowOn('batch:SubmitJob', `arn:aws:batch:us-east-1:${ACCT}:job-definition/train:*`)],
    { resource: JOBDEF },
    true,
  ],
  ['resource ARNs match case-sensitively', [allowOn('batch:SubmitJob', QUEUE.replace('research', 'Research'))], {}, false],
  ['Resource "*" matches a request on "*"', [allowOn('batch:ListJobs')], { action: 'batch:ListJobs', resource: '*' }, true],
  [
    'a resource ARN does not match a request on "*"',
    [allowOn('batch:ListJobs', QUEUE)],
    { action: 'batch:ListJobs', resource: '*' },
    false,
  ],
  [
    'NotResource allows resources it does not list',
    [{ Effect: 'Allow', Action: 'batch:*', NotResource: `arn:aws:batch:*:*:job-queue/prod*` }],
    {},
    true,
  ],
  [
    'NotResource does not allow resources it lists',
    [{ Effect: 'Allow', Action: 'batch:*', NotResource: `arn:aws:batch:*:*:job-queue/res*` }],
    {},
    false,
  ],
  [
    "${aws:username} resolves to the caller's name",
    [allowOn('batch:SubmitJob', `arn:aws:batch:*:${ACCT}:job-queue/\${aws:username}-*`)],
    { resource: QUEUE.replace('research', 'alice-gpu') },
    true,
  ],
  [
    "${aws:username} does not match another user's resource",
    [allowOn('batch:SubmitJob', `arn:aws:batch:*:${ACCT}:job-queue/\${aws:username}-*`)],
    { resource: QUEUE.replace('research', 'bob-gpu') },
    false,
  ],
  [
    'a statement whose variable is missing does not match (no aws:username for a role session)',
    [allowOn('batch:SubmitJob', `arn:aws:batch:*:${ACCT}:job-queue/\${aws:username}*`)],
    { principal: ciSession },
    false,
  ],
  [
    '${aws:userid} resolves in a condition',
    [allowOn('batch:SubmitJob', '*', { Condition: { StringEquals: { 'batch:ShareIdentifier': '${aws:userid}' } } })],
    { principal: ciSession, context: { 'batch:ShareIdentifier': 'AROABUILDER:ci' } },
    true,
  ],
  [
    '${aws:PrincipalTag/team} resolves from the context',
    [allowOn('batch:SubmitJob', `arn:aws:batch:*:${ACCT}:job-queue/\${aws:PrincipalTag/team}`)],
    { context: { 'aws:PrincipalTag/team': 'research' } },
    true,
  ],
  [
    'a missing ${aws:PrincipalTag/team} does not match',
    [allowOn('batch:SubmitJob', `arn:aws:batch:*:${ACCT}:job-queue/\${aws:PrincipalTag/team}`)],
    {},
    false,
  ],
  [
    '${aws:SourceVpce} resolves in a resource',
    [allowOn('batch:SubmitJob', `arn:aws:batch:*:${ACCT}:job-queue/\${aws:SourceVpce}`)],
    { resource: QUEUE.replace('research', 'vpce-1a2b'), context: { 'aws:SourceVpce': 'vpce-1a2b' } },
    true,
  ],
  [
    'a variable default value is used when the key is missing',
    [allowOn('batch:SubmitJob', `arn:aws:batch:*:${ACCT}:job-queue/\${aws:PrincipalTag/team, 'research'}`)],
    {},
    true,
  ],
  [
    '${*} is a literal asterisk',
    [allowOn('batch:SubmitJob', `arn:aws:batch:*:${ACCT}:job-queue/star\${*}`)],
    { resource: QUEUE.replace('research', 'star*') },
    true,
  ],
  [
    '${*} does not act as a wildcard',
    [allowOn('batch:SubmitJob', `arn:aws:batch:*:${ACCT}:job-queue/star\${*}`)],
    { resource: QUEUE.replace('research', 'starry') },
    false,
  ],
  [
    '${?} is a literal question mark',
    [allowOn('batch:SubmitJob', '*', { Condition: { StringLike: { 'batch:ShareIdentifier': 'why${?}' } } })],
    { context: { 'batch:ShareIdentifier': 'whyX' } },
    false,
  ],
  [
    '${$} is a literal dollar sign',
    [allowOn('batch:SubmitJob', '*', { Condition: { StringEquals: { 'batch:ShareIdentifier': '${$}{aws:username}' } } })],
    { context: { 'batch:ShareIdentifier': '${aws:username}' } },
    true,
  ],
  [
    'a variable value is matched literally, not as a pattern',
    [allowOn('batch:SubmitJob', `arn:aws:batch:*:${ACCT}:job-queue/\${aws:PrincipalTag/team}`)],
    { context: { 'aws:PrincipalTag/team': 'res*' } },
    false,
  ],
  [
    'a multivalued key cannot be used as a variable',
    [allowOn('batch:SubmitJob', `arn:aws:batch:*:${ACCT}:job-queue/\${aws:PrincipalTag/team}`)],
    { context: { 'aws:PrincipalTag/team': ['research', 'x'] } },
    false,
  ],
  ['variables are literal text in a 2008-10-17 policy', [], { resource: QUEUE.replace('research', 'alice') }, false, '2008'],
  [
    'a Deny whose variable is missing does not apply',
    [allowOn('*'), { Effect: 'Deny', Action: '*', Resource: `arn:aws:batch:*:*:job-queue/\${aws:username}` }],
    { principal: ciSession },
    true,
  ],
  [
    'variable variable names are case-insensitive',
    [allowOn('batch:SubmitJob', `arn:aws:batch:*:${ACCT}:job-queue/\${AWS:UserName}-*`)],
    { resource: QUEUE.replace('research', 'alice-1') },
    true,
  ],
];

describe('actions, resources and policy variables', () => {
  for (const [name, statements, req, allowed, version] of matchCases) {
    test(`${name} (${allowed ? 'allows' : 'does not allow'})`, () => {
      const policy =
        version === '2008'
          ? policyOf('identity', [allowOn('batch:SubmitJob', `arn:aws:batch:*:${ACCT}:job-queue/\${aws:username}`)], '2008-10-17')
          : identity(...statements);
      const result = evaluate(
        {
          principal: req.principal ?? alice,
          action: req.action ?? 'batch:SubmitJob',
          resource: req.resource ?? QUEUE,
          ...(req.context ? { context: req.context } : {}),
        },
        { identity: [policy] },
      );
      assert.equal(result.decision === 'Allow', allowed, JSON.stringify(result));
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Principal forms in endpoint / resource policies: [name, Principal element, caller, matches?]
// ---------------------------------------------------------------------------------------------
type PrincipalCase = [string, unknown, RequestPrincipal, boolean];
const principalCases: PrincipalCase[] = [
  ['"*" matches any caller', '*', stranger, true],
  ['{"AWS":"*"} matches any caller', { AWS: '*' }, ciSession, true],
  ['an account id matches a user of that account', { AWS: ACCT }, alice, true],
  ['an account id matches a role session of that account', { AWS: ACCT }, ciSession, true],
  ['an account id does not match another account', { AWS: ACCT }, stranger, false],
  ['an account root ARN matches any principal of the account', { AWS: `arn:aws:iam::${ACCT}:root` }, bob, true],
  ['an account root ARN matches the root user', { AWS: `arn:aws:iam::${ACCT}:root` }, root, true],
  ['a user ARN matches that user', { AWS: alice.arn }, alice, true],
  ['a user ARN does not match another user', { AWS: alice.arn }, bob, false],
  ['a role ARN matches its assumed-role sessions', { AWS: `arn:aws:iam::${ACCT}:role/Builder` }, ciSession, true],
  ['a role ARN with a path matches its sessions', { AWS: `arn:aws:iam::${ACCT}:role/teams/Deployer` }, pathSession, true],
  ["a role ARN does not match another role's session", { AWS: `arn:aws:iam::${ACCT}:role/Builder` }, pathSession, false],
  ['a session ARN matches that session', { AWS: ciSession.arn }, ciSession, true],
  [
    'a session ARN does not match another session of the role',
    { AWS: `arn:aws:sts::${ACCT}:assumed-role/Builder/other` },
    ciSession,
    false,
  ],
  ['a list of principals matches any of them', { AWS: [bob.arn, alice.arn] }, alice, true],
  ['a Service principal matches that service', { Service: 'batch.amazonaws.com' }, batchService, true],
  ['a Service principal does not match an IAM user', { Service: 'batch.amazonaws.com' }, alice, false],
  ['a Federated principal matches no batchlink caller', { Federated: 'cognito-identity.amazonaws.com' }, alice, false],
];

describe('principal forms', () => {
  for (const [name, principal, caller, matches] of principalCases) {
    test(`${name}`, () => {
      const policy = endpoint({ Effect: 'Allow', Principal: principal, Action: '*', Resource: '*' });
      assert.equal(
        evaluatePolicy({ principal: caller, action: 'batch:SubmitJob', resource: QUEUE }, policy.policy).decision,
        matches ? 'Allow' : 'ImplicitDeny',
      );
    });
  }

  const notPrincipal: Array<[string, string[], RequestPrincipal, boolean]> = [
    ['a Deny with NotPrincipal spares a user named with its account', [alice.arn, `arn:aws:iam::${ACCT}:root`], alice, false],
    ['a Deny with NotPrincipal denies a user named without its account', [alice.arn], alice, true],
    ['a Deny with NotPrincipal denies callers it does not name', [alice.arn, `arn:aws:iam::${ACCT}:root`], bob, true],
    [
      'a Deny with NotPrincipal spares a session named with role and account',
      [ciSession.arn, ciSession.roleArn as string, ACCT],
      ciSession,
      false,
    ],
    ['a Deny with NotPrincipal denies a session when only the role is named', [ciSession.roleArn as string, ACCT], ciSession, true],
    ['a Deny with NotPrincipal spares the root user when the account is named', [ACCT], root, false],
  ];
  for (const [name, names, caller, denied] of notPrincipal) {
    test(name, () => {
      const policy = policyOf('resource', [
        { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
        { Effect: 'Deny', NotPrincipal: { AWS: names }, Action: '*', Resource: '*' },
      ]);
      const result = evaluatePolicy({ principal: caller, action: 'batch:SubmitJob', resource: QUEUE }, policy.policy);
      assert.equal(result.decision, denied ? 'ExplicitDeny' : 'Allow');
    });
  }
});
