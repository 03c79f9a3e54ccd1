/**
 * parsePolicy: grammar checks with IAM's exact MalformedPolicyDocument messages, the rules per
 * policy kind, action-name checks against the service catalogs, and the compile cache.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ENDPOINT_POLICY, parsePolicy, PolicyError, type PolicyKind } from './index.js';

const V = '2012-10-17';
const doc = (statement: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ Version: V, ...extra, Statement: statement });
const allow = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action: 'batch:SubmitJob', Resource: '*', ...extra });
const withPrincipal = (extra: Record<string, unknown> = {}) => allow({ Principal: '*', ...extra });

function refusal(text: string, kind: PolicyKind): PolicyError {
  try {
    parsePolicy(text, kind);
  } catch (error) {
    assert.ok(error instanceof PolicyError, `expected PolicyError, got ${String(error)}`);
    return error;
  }
  assert.fail('the policy was accepted');
}

const refused: Array<[string, string, PolicyKind, string]> = [
  ['text that is not JSON', '{"Version":', 'identity', 'Syntax errors in policy.'],
  ['a top-level array', '[]', 'identity', 'Syntax errors in policy.'],
  ['an unknown top-level element', doc(allow(), { Extra: 'x' }), 'identity', 'Syntax errors in policy.'],
  ['an unknown Version', doc(allow(), { Version: '2013-10-17' }), 'identity', 'Syntax errors in policy.'],
  ['an Id that is not a string', doc(allow(), { Id: ['x'] }), 'identity', 'Syntax errors in policy.'],
  ['a policy without Statement', JSON.stringify({ Version: V }), 'identity', 'Syntax errors in policy.'],
  ['an empty Statement list', doc([]), 'identity', 'Syntax errors in policy.'],
  ['a statement that is a string', doc(['afd']), 'identity', 'Syntax errors in policy.'],
  ['an unknown statement element', doc(allow({ Extra: 'x' })), 'identity', 'Syntax errors in policy.'],
  ['an Effect that is neither Allow nor Deny', doc(allow({ Effect: 'invalid' })), 'identity', 'Syntax errors in policy.'],
  ['an Effect spelled in the wrong case', doc(allow({ Effect: 'denY' })), 'identity', 'The policy failed legacy parsing'],
  ['a statement without Effect', doc({ Action: 'batch:SubmitJob', Resource: '*' }), 'identity', 'Syntax errors in policy.'],
  ['both Action and NotAction', doc(allow({ NotAction: 'batch:ListJobs' })), 'identity', 'Syntax errors in policy.'],
  ['both Resource and NotResource', doc(allow({ NotResource: '*' })), 'identity', 'Syntax errors in policy.'],
  ['an Action that is an object', doc(allow({ Action: {} })), 'identity', 'Syntax errors in policy.'],
  ['a Resource list holding an object', doc(allow({ Resource: ['*', {}] })), 'identity', 'Syntax errors in policy.'],
  ['a statement without actions', doc({ Effect: 'Allow', Resource: '*' }), 'identity', 'Policy statement must contain actions.'],
  ['an empty Action list', doc(allow({ Action: [] })), 'identity', 'Policy statement must contain actions.'],
  [
    'an identity statement without resources',
    doc({ Effect: 'Allow', Action: 'batch:SubmitJob' }),
    'identity',
    'Policy statement must contain resources.',
  ],
  ['an empty Resource list', doc(allow({ Resource: [] })), 'identity', 'Policy statement must contain resources.'],
  [
    'an action without a vendor',
    doc(allow({ Action: 'invalid' })),
    'identity',
    'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  ],
  ['an action with two colons', doc(allow({ Action: 's3:List:Bucket' })), 'identity', 'Actions/Condition can contain only one colon.'],
  ['an action vendor with a space', doc(allow({ Action: 'a a:ListBucket' })), 'identity', 'Vendor a a is not valid'],
  [
    'an action vendor with a wildcard',
    doc(allow({ Action: '*:Untag*' })),
    'identity',
    'Action vendors (e.g., aws, ec2, etc.) must not contain wildcards',
  ],
  [
    'a resource that is not an ARN',
    doc(allow({ Resource: 'invalid resource' })),
    'identity',
    'Resource invalid resource must be in ARN format or "*".',
  ],
  [
    'a resource ARN without a vendor',
    doc(allow({ Resource: 'arn:aws' })),
    'identity',
    'Resource vendor must be fully qualified and cannot contain regexes.',
  ],
  [
    'a resource ARN with too few parts',
    doc(allow({ Resource: 'arn:aws:s3::example_bucket' })),
    'identity',
    'The policy failed legacy parsing',
  ],
  [
    'a resource ARN with an unknown partition',
    doc(allow({ Resource: 'arn:b:c:d:e:f:g:h' })),
    'identity',
    'Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".',
  ],
  [
    'an IAM resource with a region',
    doc(allow({ Resource: 'arn:aws:iam:us-east-1::user/x' })),
    'identity',
    'IAM resource arn:aws:iam:us-east-1::user/x cannot contain region information.',
  ],
  [
    'two statements with one Sid',
    doc([allow({ Sid: 'A' }), allow({ Sid: 'A' })]),
    'identity',
    'Statement IDs (SID) in a single policy must be unique.',
  ],
  ['a Sid that is not a string', doc(allow({ Sid: {} })), 'identity', 'Syntax errors in policy.'],
  ['an identity policy with Principal', doc(withPrincipal()), 'identity', 'Policy document should not specify a principal.'],
  [
    'an identity policy with NotPrincipal',
    doc(allow({ NotPrincipal: { AWS: '111122223333' } })),
    'identity',
    'Policy document should not specify a principal.',
  ],
  ['an endpoint policy without Principal', doc(allow()), 'endpoint', 'Missing required field Principal'],
  ['a resource policy without Principal', doc(allow()), 'resource', 'Missing required field Principal'],
  ['a trust policy without Principal', doc({ Effect: 'Allow', Action: 'sts:AssumeRole' }), 'trust', 'Missing required field Principal'],
  [
    'a trust policy with Resource',
    doc({ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole', Resource: '*' }),
    'trust',
    'Has prohibited field Resource.',
  ],
  [
    'a trust policy allowing a Batch action',
    doc({ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'batch:SubmitJob' }),
    'trust',
    'Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity',
  ],
  [
    'a principal ARN with a wildcard',
    doc(withPrincipal({ Principal: { AWS: 'arn:aws:iam::111122223333:user/*' } })),
    'endpoint',
    'Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:user/*"',
  ],
  [
    'a principal that is neither an account nor an ARN',
    doc(withPrincipal({ Principal: { AWS: 'alice' } })),
    'resource',
    'Invalid principal in policy: "AWS":"alice"',
  ],
  ['an unknown principal type', doc(withPrincipal({ Principal: { Foo: 'x' } })), 'endpoint', 'Syntax errors in policy.'],
  ['a Principal string other than "*"', doc(withPrincipal({ Principal: 'alice' })), 'endpoint', 'Syntax errors in policy.'],
  [
    'a Condition that is a list',
    doc(allow({ Condition: [{ StringEquals: { 'aws:SourceVpce': 'x' } }] })),
    'identity',
    'Syntax errors in policy.',
  ],
  [
    'an unknown condition operator',
    doc(allow({ Condition: { StringEqualz: { 'aws:SourceVpce': 'x' } } })),
    'identity',
    'Syntax errors in policy.',
  ],
  [
    'a lower-cased condition operator',
    doc(allow({ Condition: { stringequals: { 'aws:SourceVpce': 'x' } } })),
    'identity',
    'Syntax errors in policy.',
  ],
  ['NullIfExists', doc(allow({ Condition: { NullIfExists: { 'aws:SourceVpce': 'true' } } })), 'identity', 'Syntax errors in policy.'],
  ['an operator block that is a string', doc(allow({ Condition: { DateGreaterThan: 'b' } })), 'identity', 'Syntax errors in policy.'],
  [
    'a condition value that is an object',
    doc(allow({ Condition: { DateGreaterThan: { 'aws:CurrentTime': {} } } })),
    'identity',
    'Syntax errors in policy.',
  ],
  [
    'an empty condition value list',
    doc(allow({ Condition: { StringEquals: { 'aws:SourceVpce': [] } } })),
    'identity',
    'Syntax errors in policy.',
  ],
  [
    'a date that is not a date',
    doc(allow({ Condition: { DateGreaterThan: { 'aws:CurrentTime': 'sdfdsf' } } })),
    'identity',
    'The policy failed legacy parsing',
  ],
  [
    'a number that is not a number',
    doc(allow({ Condition: { NumericEquals: { 'batch:Count': 'ten' } } })),
    'identity',
    'The policy failed legacy parsing',
  ],
  [
    'an IP range that is not an IP range',
    doc(allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } } })),
    'identity',
    'The policy failed legacy parsing',
  ],
  [
    'a Null value other than true or false',
    doc(allow({ Condition: { Null: { 'aws:SourceVpce': 'maybe' } } })),
    'identity',
    'The policy failed legacy parsing',
  ],
  [
    'a condition key without a vendor',
    doc(allow({ Condition: { StringEquals: { SourceVpce: 'x' } } })),
    'identity',
    'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  ],
  ['an unknown Batch action', doc(allow({ Action: 'batch:SubmitJobs' })), 'identity', 'Policy has invalid action: batch:SubmitJobs'],
  ['a Batch wildcard matching no action', doc(allow({ Action: 'batch:Frob*' })), 'identity', 'Policy has invalid action: batch:Frob*'],
  [
    'an unknown Batch action in NotAction',
    doc({ Effect: 'Deny', NotAction: 'batch:ListJob', Resource: '*' }),
    'identity',
    'Policy has invalid action: batch:ListJob',
  ],
  [
    'an unknown EC2 action',
    doc(allow({ Action: 'ec2:DescribeVpcEndpointz' })),
    'identity',
    'Policy has invalid action: ec2:DescribeVpcEndpointz',
  ],
  ['an unknown Logs action', doc(allow({ Action: 'logs:PutLogEvent' })), 'identity', 'Policy has invalid action: logs:PutLogEvent'],
  ['an unknown IAM action', doc(allow({ Action: 'iam:CreateUsers' })), 'identity', 'Policy has invalid action: iam:CreateUsers'],
  ['an unknown STS action', doc(allow({ Action: 'sts:AssumeRoles' })), 'identity', 'Policy has invalid action: sts:AssumeRoles'],
  [
    'an unknown Batch action in an endpoint policy',
    doc(withPrincipal({ Action: ['batch:SubmitJob', 'batch:SubmitJobs'] })),
    'endpoint',
    'Policy has invalid action: batch:SubmitJobs',
  ],
  [
    'a syntax error in a later statement (before an earlier unknown action)',
    doc([allow({ Action: 'batch:Nope' }), { Effect: 'Allow' }, 'x']),
    'identity',
    'Syntax errors in policy.',
  ],
];

describe("parsePolicy refuses malformed policies with IAM's message", () => {
  for (const [what, text, kind, message] of refused) {
    test(`refuses ${what} (${kind}): "${message}"`, () => {
      assert.equal(refusal(text, kind).message, message);
    });
  }
});

describe('parsePolicy limits and problem lists', () => {
  const padded = (length: number) => {
    const base = JSON.parse(DEFAULT_ENDPOINT_POLICY) as { Statement: Array<Record<string, unknown>> };
    (base.Statement[0] as Record<string, unknown>).Sid = '';
    const text = JSON.stringify(base);
    return text.replace('"Sid":""', `"Sid":"${'A'.repeat(length - text.length)}"`);
  };

  test('accepts an endpoint policy of exactly 20,480 characters', () => {
    const text = padded(20_480);
    assert.equal(text.length, 20_480);
    assert.equal(parsePolicy(text, 'endpoint').kind, 'endpoint');
  });

  test('refuses an endpoint policy of 20,481 characters, naming the limit', () => {
    const error = refusal(padded(20_481), 'endpoint');
    assert.match(error.message, /20481 characters long; an endpoint policy cannot exceed 20480 characters/);
  });

  test('does not apply the endpoint size limit to identity policies', () => {
    const text = JSON.stringify({ Version: V, Statement: [allow({ Sid: 'A'.repeat(21_000) })] });
    assert.equal(parsePolicy(text, 'identity').statements.length, 1);
  });

  test('lists every problem with its statement index and element', () => {
    const error = refusal(doc([allow({ Action: 'batch:SubmitJobs' }), allow({ Resource: 'bucket' }), withPrincipal()]), 'identity');
    assert.deepEqual(error.problems, [
      { message: 'Resource bucket must be in ARN format or "*".', statement: 1, element: 'Resource' },
      { message: 'Policy document should not specify a principal.', statement: 2, element: 'Principal' },
      { message: 'Policy has invalid action: batch:SubmitJobs', statement: 0, element: 'Action' },
    ]);
    assert.equal(error.message, 'Resource bucket must be in ARN format or "*".');
  });
});

describe('parsePolicy accepts valid policies', () => {
  test('accepts the AWS Batch guide example endpoint policy', () => {
    const text =
      '{"Statement":[{"Principal":"*","Effect":"Allow","Action":["batch:SubmitJob","batch:ListJobs","batch:DescribeJobs"],"Resource":"*"}]}';
    const policy = parsePolicy(text, 'endpoint');
    assert.equal(policy.statements.length, 1);
    assert.equal(policy.version, '2008-10-17');
  });

  test('accepts the default endpoint policy', () => {
    assert.equal(parsePolicy(DEFAULT_ENDPOINT_POLICY, 'endpoint').statements[0]?.effect, 'Allow');
  });

  test('accepts a single statement object and keeps its Sid', () => {
    const policy = parsePolicy(doc(allow({ Sid: 'One' })), 'identity');
    assert.equal(policy.statements[0]?.sid, 'One');
    assert.equal(policy.version, '2012-10-17');
  });

  test('accepts Batch wildcards that match real actions and action names in any case', () => {
    assert.ok(parsePolicy(doc(allow({ Action: ['batch:Describe*', 'batch:List*', 'BATCH:submitjob', 'batch:?ancelJob'] })), 'identity'));
  });

  test('accepts actions of services it does not check', () => {
    assert.ok(parsePolicy(doc(allow({ Action: ['s3:AnythingAtAll', 'ecr:GetAuthorizationToken'] })), 'identity'));
  });

  test('accepts a trust policy for a service with sts:AssumeRole and sts:TagSession', () => {
    const text = doc({ Effect: 'Allow', Principal: { Service: 'batch.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] });
    assert.equal(parsePolicy(text, 'trust').statements[0]?.resources, undefined);
  });

  test('accepts every principal form in a resource policy', () => {
    const principal = {
      AWS: [
        '*',
        '111122223333',
        'arn:aws:iam::111122223333:root',
        'arn:aws:iam::111122223333:user/alice',
        'arn:aws:iam::111122223333:role/path/Builder',
        'arn:aws:sts::111122223333:assumed-role/Builder/ci',
      ],
      Service: 'batch.amazonaws.com',
      Federated: 'cognito-identity.amazonaws.com',
      CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
    };
    assert.ok(parsePolicy(doc(withPrincipal({ Principal: principal })), 'resource'));
  });

  test('accepts every condition operator family with IfExists and set qualifiers', () => {
    const condition = {
      StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' },
      'ForAllValues:StringLike': { 'aws:TagKeys': ['team*'] },
      'ForAnyValue:StringNotEqualsIgnoreCase': { 'aws:TagKeys': 'x' },
      NumericLessThanEquals: { 'batch:Count': 10 },
      DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' },
      DateLessThan: { 'aws:EpochTime': '1893456000' },
      Bool: { 'aws:SecureTransport': true },
      BinaryEquals: { 'batch:Blob': 'QmluYXJ5' },
      NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] },
      ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin*' },
      Null: { 'aws:TokenIssueTime': 'true' },
    };
    assert.equal(parsePolicy(doc(allow({ Condition: condition })), 'identity').statements[0]?.conditions.length, 11);
  });
});

describe('parsePolicy caches compiled policies', () => {
  test('returns the same compiled policy for the same text and kind', () => {
    const text = doc(allow({ Sid: 'Cached' }));
    assert.equal(parsePolicy(text, 'identity'), parsePolicy(text, 'identity'));
  });

  test('compiles the same text separately for another kind', () => {
    const text = doc(withPrincipal({ Sid: 'Kinds' }));
    assert.notEqual(parsePolicy(text, 'endpoint'), parsePolicy(text, 'resource'));
    assert.throws(() => parsePolicy(text, 'identity'), PolicyError);
  });
});
