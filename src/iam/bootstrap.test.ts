import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../core/clock.js';
import { OperatorError } from '../core/errors.js';
import { randomIds } from '../core/ids.js';
import { buildIdentity } from '../server/identity-wiring.js';
import { openDatabase } from '../store/database.js';
import { applyIdentityConfig } from './bootstrap.js';
import type { IdentityDomain } from './identity.js';

function domain(): IdentityDomain {
  return buildIdentity(openDatabase(':memory:'), new ManualClock(), randomIds);
}

const allow = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const config = (document: object) => ({
  accounts: [
    {
      id: '222222222222',
      policies: [{ name: 'Managed', document }],
      users: [
        {
          name: 'u',
          path: '/p/',
          accessKeys: [{ accessKeyId: 'AKIAUSERKEY000000001', secretAccessKey: 's1' }],
          policies: [{ name: 'inline', document: allow('batch:*') }],
        },
      ],
    },
  ],
});

test('applying the same config twice is idempotent; a changed managed policy document becomes the new default version', () => {
  const identity = domain();
  applyIdentityConfig(identity, config(allow('logs:*')), 'c.json');
  applyIdentityConfig(identity, config(allow('logs:*')), 'c.json');
  assert.equal(identity.users.list('222222222222').length, 1);
  const credential = identity.credential('AKIAUSERKEY000000001');
  assert.equal(credential?.principal.arn, 'arn:aws:iam::222222222222:user/p/u');
  assert.equal(credential?.secretAccessKey, 's1');
  const arn = 'arn:aws:iam::222222222222:policy/Managed';
  assert.equal(identity.policies.get(arn).versions.length, 1);
  applyIdentityConfig(identity, config(allow('ec2:*')), 'c.json');
  const policy = identity.policies.get(arn);
  assert.equal(policy.defaultVersionId, 'v2');
  assert.equal(identity.policies.defaultDocument(policy), JSON.stringify(allow('ec2:*')));
});

test('config mistakes are operator errors naming the file and the entry', () => {
  const identity = domain();
  assert.throws(
    () =>
      applyIdentityConfig(
        identity,
        {
          accounts: [
            {
              id: '222222222222',
              users: [
                {
                  name: 'u',
                  policies: [
                    { name: 'p', document: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'batch:*', Resource: '*' }] } },
                  ],
                },
              ],
            },
          ],
        },
        'c.json',
      ),
    (e: OperatorError) =>
      e instanceof OperatorError &&
      e.message === 'c.json: accounts[0].users[0].policies[0]: MalformedPolicyDocument: Policy document should not specify a principal.',
  );
  assert.throws(
    () =>
      applyIdentityConfig(
        identity,
        {
          accounts: [
            { id: '222222222222', users: [{ name: 'v', accessKeys: [{ accessKeyId: 'ASIAXXXXXXXXXXXXXXXX', secretAccessKey: 's' }] }] },
          ],
        },
        'c.json',
      ),
    (e: OperatorError) => e instanceof OperatorError && e.message.startsWith('c.json: accounts[0].users[0].accessKeys[0].accessKeyId:'),
  );
  assert.throws(
    () => applyIdentityConfig(identity, { accounts: [{ id: '222222222222', roles: [{ name: 'r' }] }] }, 'c.json'),
    (e: OperatorError) =>
      e instanceof OperatorError &&
      e.message === 'c.json: accounts[0].roles[0].assumeRolePolicyDocument: must be a policy document (a JSON object or its text).',
  );
});

test('roles and instance profiles can be found by ARN (and profiles by name) for other domains', () => {
  const identity = domain();
  applyIdentityConfig(identity, {
    accounts: [
      {
        id: '333333333333',
        roles: [
          {
            name: 'ecsInstanceRole',
            path: '/svc/',
            assumeRolePolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
            },
          },
        ],
        instanceProfiles: [{ name: 'ecsInstanceRole', roles: ['ecsInstanceRole'] }],
      },
    ],
  });
  assert.equal(identity.roles.findByArn('arn:aws:iam::333333333333:role/svc/ecsInstanceRole')?.roleName, 'ecsInstanceRole');
  assert.equal(identity.roles.findByArn('arn:aws:iam::333333333333:role/ecsInstanceRole'), undefined, 'the path is part of the ARN');
  assert.ok(identity.instanceProfiles.findByArnOrName('333333333333', 'ecsInstanceRole'));
  assert.ok(identity.instanceProfiles.findByArnOrName('000000000000', 'arn:aws:iam::333333333333:instance-profile/ecsInstanceRole'));
  assert.equal(identity.instanceProfiles.findByArnOrName('333333333333', 'missing'), undefined);
});
