/**
 * Evaluation across policy types: explicit-deny precedence, identity + endpoint policy
 * combinations (the AWS Batch guide's example endpoint policy among them), resource and trust
 * policies, the account root, the statements reported, and AWS's denial sentences.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  authorizeRequest,
  DEFAULT_ENDPOINT_POLICY,
  evaluate,
  formatDenialMessage,
  parsePolicy,
  type ContextKeys,
  type NamedPolicy,
  type PolicyKind,
  type RequestPrincipal,
} from './index.js';
import { ACCT, QUEUE, alice, allowAll, bob, ciSession, endpoint, identity, policyOf, root, stranger } from './test-fixtures.js';

// ---------------------------------------------------------------------------------------------
// Combining policy types: authorizeRequest and AWS's denial sentences
// ---------------------------------------------------------------------------------------------
const BATCH_GUIDE_ENDPOINT_POLICY =
  '{"Statement":[{"Principal":"*","Effect":"Allow","Action":["batch:SubmitJob","batch:ListJobs","batch:DescribeJobs"],"Resource":"*"}]}';
const guideEndpoint: NamedPolicy = { name: 'vpce-0guide', policy: parsePolicy(BATCH_GUIDE_ENDPOINT_POLICY, 'endpoint') };
const batchAdmin = identity({ Sid: 'BatchAll', Effect: 'Allow', Action: 'batch:*', Resource: '*' });

interface ComboCase {
  name: string;
  principal?: RequestPrincipal;
  root?: boolean;
  action?: string;
  resource?: string;
  context?: ContextKeys;
  identity?: NamedPolicy[];
  endpoint?: NamedPolicy;
  resource_?: NamedPolicy;
  trust?: NamedPolicy;
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  deniedBy?: PolicyKind;
  message?: string;
}

const U = alice.arn;
const comboCases: ComboCase[] = [
  {
    name: 'the Batch guide endpoint policy lets SubmitJob through with an identity allow',
    identity: [batchAdmin],
    endpoint: guideEndpoint,
    decision: 'Allow',
  },
  {
    name: 'the Batch guide endpoint policy lets ListJobs through',
    action: 'batch:ListJobs',
    resource: '*',
    identity: [batchAdmin],
    endpoint: guideEndpoint,
    decision: 'Allow',
  },
  {
    name: 'the Batch guide endpoint policy lets DescribeJobs through',
    action: 'batch:DescribeJobs',
    resource: '*',
    identity: [batchAdmin],
    endpoint: guideEndpoint,
    decision: 'Allow',
  },
  {
    name: 'the Batch guide endpoint policy refuses CancelJob with the VPC endpoint sentence',
    action: 'batch:CancelJob',
    resource: `arn:aws:batch:us-east-1:${ACCT}:job/1234`,
    identity: [batchAdmin],
    endpoint: guideEndpoint,
    decision: 'ImplicitDeny',
    deniedBy: 'endpoint',
    message: `User: ${U} is not authorized to perform: batch:CancelJob on resource: arn:aws:batch:us-east-1:${ACCT}:job/1234 because no VPC endpoint policy allows the batch:CancelJob action`,
  },
  {
    name: 'an endpoint allow does not replace a missing identity allow',
    identity: [],
    endpoint: guideEndpoint,
    decision: 'ImplicitDeny',
    deniedBy: 'identity',
    message: `User: ${U} is not authorized to perform: batch:SubmitJob on resource: ${QUEUE} because no identity-based policy allows the batch:SubmitJob action`,
  },
  {
    name: 'the default endpoint policy allows what the identity policy allows',
    identity: [batchAdmin],
    endpoint: endpoint(JSON.parse(DEFAULT_ENDPOINT_POLICY).Statement[0]),
    decision: 'Allow',
  },
  {
    name: 'an explicit deny in an identity policy beats an allow',
    identity: [batchAdmin, identity({ Sid: 'NoSubmit', Effect: 'Deny', Action: 'batch:SubmitJob', Resource: '*' })],
    decision: 'ExplicitDeny',
    deniedBy: 'identity',
    message: `User: ${U} is not authorized to perform: batch:SubmitJob on resource: ${QUEUE} with an explicit deny in an identity-based policy`,
  },
  {
    name: 'an explicit deny in the endpoint policy beats identity and endpoint allows',
    identity: [batchAdmin],
    endpoint: endpoint(allowAll({ Principal: '*' }), { Effect: 'Deny', Principal: '*', Action: 'batch:SubmitJob', Resource: '*' }),
    decision: 'ExplicitDeny',
    deniedBy: 'endpoint',
    message: `User: ${U} is not authorized to perform: batch:SubmitJob on resource: ${QUEUE} with an explicit deny in a VPC endpoint policy`,
  },
  {
    name: 'no identity policy at all gives the identity-based sentence',
    identity: [],
    decision: 'ImplicitDeny',
    deniedBy: 'identity',
    message: `User: ${U} is not authorized to perform: batch:SubmitJob on resource: ${QUEUE} because no identity-based policy allows the batch:SubmitJob action`,
  },
  { name: 'the account root needs no identity allow', principal: root, root: true, identity: [], decision: 'Allow' },
  {
    name: 'the account root is still limited by the endpoint policy',
    principal: root,
    root: true,
    action: 'batch:CancelJob',
    identity: [],
    endpoint: guideEndpoint,
    decision: 'ImplicitDeny',
    deniedBy: 'endpoint',
    message: `User: ${root.arn} is not authorized to perform: batch:CancelJob on resource: ${QUEUE} because no VPC endpoint policy allows the batch:CancelJob action`,
  },
  {
    name: 'the account root is refused by an explicit endpoint deny',
    principal: root,
    root: true,
    identity: [],
    endpoint: endpoint(allowAll({ Principal: '*' }), { Effect: 'Deny', Principal: { AWS: ACCT }, Action: '*', Resource: '*' }),
    decision: 'ExplicitDeny',
    deniedBy: 'endpoint',
  },
  {
    name: "an endpoint policy limited to one account refuses another account's caller",
    principal: stranger,
    identity: [batchAdmin],
    endpoint: endpoint({ Effect: 'Allow', Principal: { AWS: ACCT }, Action: '*', Resource: '*' }),
    decision: 'ImplicitDeny',
    deniedBy: 'endpoint',
  },
  {
    name: 'an endpoint policy condition on aws:PrincipalAccount admits the account',
    identity: [batchAdmin],
    endpoint: endpoint(allowAll({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': ACCT } } })),
    decision: 'Allow',
  },
  {
    name: 'an identity policy can require the request to come through a given endpoint',
    identity: [identity(allowAll({ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0guide' } } }))],
    context: { 'aws:SourceVpce': 'vpce-0other' },
    decision: 'ImplicitDeny',
    deniedBy: 'identity',
  },
  {
    name: 'a deny on requests outside the endpoint applies when aws:SourceVpce is absent',
    identity: [
      batchAdmin,
      identity({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0guide' } } }),
    ],
    decision: 'ExplicitDeny',
    deniedBy: 'identity',
  },
  {
    name: 'a resource policy naming the caller grants without an identity allow',
    identity: [],
    resource_: policyOf('resource', [{ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'batch:SubmitJob', Resource: '*' }]),
    decision: 'Allow',
  },
  {
    name: 'a resource policy naming only the account needs an identity allow',
    identity: [],
    resource_: policyOf('resource', [{ Effect: 'Allow', Principal: { AWS: ACCT }, Action: 'batch:SubmitJob', Resource: '*' }]),
    decision: 'ImplicitDeny',
    deniedBy: 'identity',
  },
  {
    name: 'an explicit deny in a resource policy gives the resource-based sentence',
    identity: [batchAdmin],
    resource_: policyOf('resource', [{ Effect: 'Deny', Principal: '*', Action: 'batch:SubmitJob', Resource: '*' }]),
    decision: 'ExplicitDeny',
    deniedBy: 'resource',
    message: `User: ${U} is not authorized to perform: batch:SubmitJob on resource: ${QUEUE} with an explicit deny in a resource-based policy`,
  },
  {
    name: 'a trust policy naming the user lets it assume the role without an identity allow',
    action: 'sts:AssumeRole',
    resource: `arn:aws:iam::${ACCT}:role/Builder`,
    identity: [],
    trust: policyOf('trust', [{ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'sts:AssumeRole' }]),
    decision: 'Allow',
  },
  {
    name: 'a trust policy naming the account needs an identity allow too',
    action: 'sts:AssumeRole',
    resource: `arn:aws:iam::${ACCT}:role/Builder`,
    identity: [],
    trust: policyOf('trust', [{ Effect: 'Allow', Principal: { AWS: ACCT }, Action: 'sts:AssumeRole' }]),
    decision: 'ImplicitDeny',
    deniedBy: 'identity',
  },
  {
    name: 'a trust policy that does not name the caller refuses even with an identity allow',
    action: 'sts:AssumeRole',
    resource: `arn:aws:iam::${ACCT}:role/Builder`,
    identity: [identity({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' })],
    trust: policyOf('trust', [{ Effect: 'Allow', Principal: { AWS: bob.arn }, Action: 'sts:AssumeRole' }]),
    decision: 'ImplicitDeny',
    deniedBy: 'trust',
    message: `User: ${U} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCT}:role/Builder because no role trust policy allows the sts:AssumeRole action`,
  },
  {
    name: 'a role session is authorized by its identity policies',
    principal: ciSession,
    identity: [identity({ Effect: 'Allow', Action: 'batch:SubmitJob', Resource: `arn:aws:batch:*:${ACCT}:job-queue/*` })],
    endpoint: endpoint({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:role/Builder` }, Action: 'batch:*', Resource: '*' }),
    decision: 'Allow',
  },
];

describe('authorizeRequest combines identity, endpoint, resource and trust policies', () => {
  for (const c of comboCases) {
    test(c.name, () => {
      const principal = c.principal ?? alice;
      const result = authorizeRequest({
        principal,
        principalIsRoot: c.root ?? false,
        action: c.action ?? 'batch:SubmitJob',
        resource: c.resource ?? QUEUE,
        ...(c.context ? { context: c.context } : {}),
        identityPolicies: c.identity ?? [],
        ...(c.endpoint ? { endpointPolicy: c.endpoint } : {}),
        ...(c.resource_ ? { resourcePolicy: c.resource_ } : {}),
        ...(c.trust ? { trustPolicy: c.trust } : {}),
      });
      assert.equal(result.decision, c.decision, JSON.stringify(result));
      assert.equal(result.allowed, c.decision === 'Allow');
      assert.equal(result.deniedBy, c.deniedBy);
      if (c.message) assert.equal(result.message, c.message);
      if (c.decision === 'Allow') assert.equal(result.message, undefined);
    });
  }
});

describe('explanations', () => {
  test('an explicit deny reports every matching Deny with policy name, index and Sid', () => {
    const deny = identity(
      { Sid: 'A', Effect: 'Allow', Action: '*', Resource: '*' },
      { Sid: 'NoSubmit', Effect: 'Deny', Action: 'batch:Submit*', Resource: '*' },
    );
    const ep = endpoint(allowAll({ Principal: '*' }), { Sid: 'EpDeny', Effect: 'Deny', Principal: '*', Action: '*', Resource: QUEUE });
    const result = evaluate({ principal: alice, action: 'batch:SubmitJob', resource: QUEUE }, { identity: [deny], endpoint: ep });
    assert.deepEqual(result.matched, [
      { policyType: 'endpoint', policyName: ep.name, statementIndex: 1, sid: 'EpDeny', effect: 'Deny' },
      { policyType: 'identity', policyName: deny.name, statementIndex: 1, sid: 'NoSubmit', effect: 'Deny' },
    ]);
    assert.deepEqual(result.byType, { identity: 'ExplicitDeny', endpoint: 'ExplicitDeny' });
  });

  test('an allow reports the granting statements of each policy type', () => {
    const result = evaluate(
      { principal: alice, action: 'batch:ListJobs', resource: '*' },
      { identity: [batchAdmin], endpoint: guideEndpoint },
    );
    assert.deepEqual(
      result.matched.map((m) => [m.policyType, m.policyName, m.sid]),
      [
        ['identity', batchAdmin.name, 'BatchAll'],
        ['endpoint', 'vpce-0guide', undefined],
      ],
    );
  });

  test('an implicit deny by the endpoint still shows the identity allow that matched', () => {
    const result = evaluate(
      { principal: alice, action: 'batch:CancelJob', resource: '*' },
      { identity: [batchAdmin], endpoint: guideEndpoint },
    );
    assert.equal(result.deniedBy, 'endpoint');
    assert.deepEqual(result.byType, { identity: 'Allow', endpoint: 'ImplicitDeny' });
    assert.equal(result.matched[0]?.sid, 'BatchAll');
  });

  test('evaluate treats a principal of type Account as the account root', () => {
    assert.equal(evaluate({ principal: root, action: 'batch:SubmitJob', resource: QUEUE }, { identity: [] }).decision, 'Allow');
  });

  test('authorizeRequest can leave "on resource" out of the sentence', () => {
    const result = authorizeRequest({
      principal: alice,
      principalIsRoot: false,
      action: 'batch:ListJobs',
      resource: '*',
      identityPolicies: [],
      omitResourceInMessage: true,
    });
    assert.equal(
      result.message,
      `User: ${U} is not authorized to perform: batch:ListJobs because no identity-based policy allows the batch:ListJobs action`,
    );
  });
});

describe('formatDenialMessage', () => {
  const base = { principalArn: U, action: 'batch:SubmitJob', resource: QUEUE };
  const cases: Array<[PolicyKind, 'ExplicitDeny' | 'ImplicitDeny', string]> = [
    ['identity', 'ImplicitDeny', 'because no identity-based policy allows the batch:SubmitJob action'],
    ['identity', 'ExplicitDeny', 'with an explicit deny in an identity-based policy'],
    ['endpoint', 'ImplicitDeny', 'because no VPC endpoint policy allows the batch:SubmitJob action'],
    ['endpoint', 'ExplicitDeny', 'with an explicit deny in a VPC endpoint policy'],
    ['resource', 'ImplicitDeny', 'because no resource-based policy allows the batch:SubmitJob action'],
    ['trust', 'ExplicitDeny', 'with an explicit deny in the role trust policy'],
  ];
  for (const [deniedBy, decision, tail] of cases) {
    test(`words a ${decision} by the ${deniedBy} policy as AWS does`, () => {
      assert.equal(
        formatDenialMessage({ ...base, decision, deniedBy }),
        `User: ${U} is not authorized to perform: batch:SubmitJob on resource: ${QUEUE} ${tail}`,
      );
    });
  }
});
