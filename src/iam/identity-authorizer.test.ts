import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../core/clock.js';
import type { EndpointContext, Principal, RequestContext } from '../core/context.js';
import { AccessDenied } from '../core/errors.js';
import { randomIds } from '../core/ids.js';
import { buildIdentity } from '../server/identity-wiring.js';
import { openDatabase } from '../store/database.js';
import type { IdentityDomain } from './identity.js';
import { IdentityAuthorizer, requestContextKeys } from './identity-authorizer.js';

function domain(): IdentityDomain {
  return buildIdentity(openDatabase(':memory:'), new ManualClock(Date.UTC(2026, 5, 1)), randomIds);
}

const ACCT = '123456789012';
const root: Principal = { accountId: ACCT, arn: `arn:aws:iam::${ACCT}:root`, type: 'Account', userId: ACCT, accessKeyId: 'k' };
const endpoint: EndpointContext = {
  vpcEndpointId: 'vpce-0123456789abcdef0',
  vpcId: 'vpc-0aaaaaaaaaaaaaaaa',
  subnetId: 'subnet-0bbbbbbbbbbbbbbbb',
  networkInterfaceId: 'eni-0cccccccccccccccc',
  serviceName: 'com.amazonaws.us-east-1.batch',
  ownerAccountId: ACCT,
  state: 'available',
  region: 'us-east-1',
};

function ctx(principal: Principal, via?: EndpointContext): RequestContext {
  return {
    requestId: 'r',
    service: 'batch',
    region: 'us-east-1',
    partition: 'aws',
    principal,
    sourceIp: '10.0.1.5',
    secureTransport: true,
    clock: new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 0)),
    ids: randomIds,
    ...(via ? { endpoint: via } : {}),
  };
}

const queue = `arn:aws:batch:us-east-1:${ACCT}:job-queue/q`;

function userPrincipal(identity: IdentityDomain, name: string, policy?: object): Principal {
  const user = identity.users.create(ACCT, name);
  if (policy) identity.users.putPolicy(ACCT, name, 'p', JSON.stringify(policy));
  return { accountId: ACCT, arn: user.arn, type: 'User', userId: user.userId, userName: name, accessKeyId: 'AKIA' };
}

test('the account root is allowed without identity policies', () => {
  const authorizer = new IdentityAuthorizer(domain());
  assert.doesNotThrow(() => authorizer.authorize(ctx(root), [{ action: 'batch:SubmitJob', resource: queue }]));
});

test('an IAM user needs an identity-policy Allow; the denial is AWS sentence', () => {
  const identity = domain();
  const alice = userPrincipal(identity, 'alice', {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'batch:Describe*', Resource: '*' }],
  });
  const authorizer = new IdentityAuthorizer(identity);
  assert.doesNotThrow(() => authorizer.authorize(ctx(alice), [{ action: 'batch:DescribeJobQueues', resource: '*' }]));
  assert.throws(
    () => authorizer.authorize(ctx(alice), [{ action: 'batch:SubmitJob', resource: queue }]),
    (e: AccessDenied) =>
      e instanceof AccessDenied &&
      e.message ===
        `User: arn:aws:iam::${ACCT}:user/alice is not authorized to perform: batch:SubmitJob on resource: ${queue} because no identity-based policy allows the batch:SubmitJob action`,
  );
});

test('attached managed policies count; a target condition key (batch:ShareIdentifier) is evaluated', () => {
  const identity = domain();
  const bob = userPrincipal(identity, 'bob');
  const policy = identity.policies.create(ACCT, {
    policyName: 'share-a',
    document: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'batch:SubmitJob', Resource: '*', Condition: { StringEquals: { 'batch:ShareIdentifier': 'a' } } },
      ],
    }),
  });
  identity.users.attachPolicy(ACCT, 'bob', policy.arn);
  const authorizer = new IdentityAuthorizer(identity);
  assert.doesNotThrow(() =>
    authorizer.authorize(ctx(bob), [{ action: 'batch:SubmitJob', resource: queue, context: { 'batch:ShareIdentifier': 'a' } }]),
  );
  assert.throws(
    () => authorizer.authorize(ctx(bob), [{ action: 'batch:SubmitJob', resource: queue, context: { 'batch:ShareIdentifier': 'b' } }]),
    AccessDenied,
  );
});

test('through an endpoint, its policy must allow too (even for the root), and its Deny wins', () => {
  const identity = domain();
  const policies = new Map<string, string>([
    [
      endpoint.vpcEndpointId,
      JSON.stringify({
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'batch:Describe*', Resource: '*' },
          { Effect: 'Deny', Principal: '*', Action: 'batch:CancelJob', Resource: '*' },
        ],
      }),
    ],
  ]);
  const authorizer = new IdentityAuthorizer(identity, { endpointPolicy: (e) => policies.get(e.vpcEndpointId) });
  assert.doesNotThrow(() => authorizer.authorize(ctx(root, endpoint), [{ action: 'batch:DescribeJobs', resource: '*' }]));
  assert.throws(
    () => authorizer.authorize(ctx(root, endpoint), [{ action: 'batch:SubmitJob', resource: queue }]),
    (e: AccessDenied) => /because no VPC endpoint policy allows the batch:SubmitJob action$/.test(e.message),
  );
  assert.throws(
    () => authorizer.authorize(ctx(root, endpoint), [{ action: 'batch:CancelJob', resource: '*' }]),
    (e: AccessDenied) => /with an explicit deny in a VPC endpoint policy$/.test(e.message),
  );
  // Without an endpoint the same root call is allowed; an endpoint without a stored policy gets AWS's default (allow all).
  assert.doesNotThrow(() => authorizer.authorize(ctx(root), [{ action: 'batch:CancelJob', resource: '*' }]));
  assert.doesNotThrow(() =>
    authorizer.authorize(ctx(root, { ...endpoint, vpcEndpointId: 'vpce-0ffffffffffffffff' }), [
      { action: 'batch:CancelJob', resource: '*' },
    ]),
  );
});

test('aws:SourceVpce / aws:SourceVpc conditions in identity policies see the endpoint', () => {
  const identity = domain();
  const carol = userPrincipal(identity, 'carol', {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'batch:*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId } } },
    ],
  });
  const authorizer = new IdentityAuthorizer(identity);
  assert.doesNotThrow(() => authorizer.authorize(ctx(carol, endpoint), [{ action: 'batch:ListJobs', resource: '*' }]));
  assert.throws(() => authorizer.authorize(ctx(carol), [{ action: 'batch:ListJobs', resource: '*' }]), AccessDenied);
});

test('requestContextKeys: principal, network and time keys as AWS names them', () => {
  const identity = domain();
  const dave = userPrincipal(identity, 'dave');
  const keys = requestContextKeys(ctx(dave, endpoint));
  assert.equal(keys['aws:PrincipalArn'], `arn:aws:iam::${ACCT}:user/dave`);
  assert.equal(keys['aws:PrincipalType'], 'User');
  assert.equal(keys['aws:username'], 'dave');
  assert.equal(keys['aws:SourceVpce'], endpoint.vpcEndpointId);
  assert.equal(keys['aws:SourceVpc'], endpoint.vpcId);
  assert.equal(keys['aws:VpceAccount'], ACCT);
  assert.equal(keys['aws:VpcSourceIp'], '10.0.1.5');
  assert.equal(keys['aws:SourceIp'], undefined);
  assert.equal(keys['aws:CurrentTime'], '2026-06-01T12:00:00Z');
  assert.equal(keys['aws:EpochTime'], Date.UTC(2026, 5, 1, 12) / 1000);
  assert.equal(keys['aws:SecureTransport'], true);
  const session: Principal = {
    accountId: ACCT,
    arn: `arn:aws:sts::${ACCT}:assumed-role/r/s`,
    type: 'AssumedRole',
    userId: 'AROAX:s',
    roleArn: `arn:aws:iam::${ACCT}:role/r`,
    accessKeyId: 'ASIA',
  };
  assert.equal(requestContextKeys(ctx(session))['aws:PrincipalArn'], `arn:aws:iam::${ACCT}:role/r`);
  assert.equal(requestContextKeys(ctx(session))['aws:SourceIp'], '10.0.1.5');
});

test('an assumed-role session is authorized by its role policies; a deleted role leaves it nothing', () => {
  const identity = domain();
  const role = identity.roles.create(ACCT, {
    roleName: 'r',
    assumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: ACCT }, Action: 'sts:AssumeRole' }],
    }),
  });
  identity.roles.putPolicy(
    ACCT,
    'r',
    'p',
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'batch:*', Resource: '*' }] }),
  );
  const session: Principal = {
    accountId: ACCT,
    arn: `arn:aws:sts::${ACCT}:assumed-role/r/s`,
    type: 'AssumedRole',
    userId: `${role.roleId}:s`,
    roleArn: role.arn,
    accessKeyId: 'ASIA',
  };
  const authorizer = new IdentityAuthorizer(identity);
  assert.doesNotThrow(() => authorizer.authorize(ctx(session), [{ action: 'batch:SubmitJob', resource: queue }]));
  identity.roles.deletePolicy(ACCT, 'r', 'p');
  identity.roles.delete(ACCT, 'r');
  assert.throws(() => authorizer.authorize(ctx(session), [{ action: 'batch:SubmitJob', resource: queue }]), AccessDenied);
});
