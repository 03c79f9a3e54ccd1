/**
 * Evaluation, table-driven: every condition operator family (with IfExists and set
 * qualifiers), wildcards, NotAction/NotResource/NotPrincipal, policy variables, principal
 * forms, explicit-deny precedence, and identity + endpoint policy combinations with AWS's
 * denial sentences.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  authorizeRequest,
  DEFAULT_ENDPOINT_POLICY,
  evaluate,
  evaluatePolicy,
  formatDenialMessage,
  parsePolicy,
  type ContextKeys,
  type NamedPolicy,
  type PolicyKind,
  type RequestPrincipal,
} from './index.js';

const ACCT = '111122223333';
const OTHER = '444455556666';
const QUEUE = `arn:aws:batch:us-east-1:${ACCT}:job-queue/research`;
const JOBDEF = `arn:aws:batch:us-east-1:${ACCT}:job-definition/train:3`;

const alice: RequestPrincipal = {
  arn: `arn:aws:iam::${ACCT}:user/alice`,
  accountId: ACCT,
  type: 'User',
  userId: 'AIDAALICE',
  userName: 'alice',
};
const bob: RequestPrincipal = { arn: `arn:aws:iam::${ACCT}:user/bob`, accountId: ACCT, type: 'User', userId: 'AIDABOB', userName: 'bob' };
const ciSession: RequestPrincipal = {
  arn: `arn:aws:sts::${ACCT}:assumed-role/Builder/ci`,
  accountId: ACCT,
  type: 'AssumedRole',
  roleArn: `arn:aws:iam::${ACCT}:role/Builder`,
  userId: 'AROABUILDER:ci',
};
const pathSession: RequestPrincipal = {
  ...ciSession,
  arn: `arn:aws:sts::${ACCT}:assumed-role/Deployer/d1`,
  roleArn: `arn:aws:iam::${ACCT}:role/teams/Deployer`,
};
const root: RequestPrincipal = { arn: `arn:aws:iam::${ACCT}:root`, accountId: ACCT, type: 'Account', userId: ACCT };
const stranger: RequestPrincipal = {
  arn: `arn:aws:iam::${OTHER}:user/eve`,
  accountId: OTHER,
  type: 'User',
  userId: 'AIDAEVE',
  userName: 'eve',
};
const batchService: RequestPrincipal = { arn: 'batch.amazonaws.com', accountId: '', type: 'Service', service: 'batch.amazonaws.com' };

type Json = Record<string, unknown>;
let counter = 0;
const policyOf = (kind: PolicyKind, statements: Json[], version: string | undefined = '2012-10-17'): NamedPolicy => ({
  name: `${kind}-${++counter}`,
  policy: parsePolicy(JSON.stringify({ ...(version ? { Version: version } : {}), Statement: statements }), kind),
});
const allowAll = (extra: Json = {}): Json => ({ Effect: 'Allow', Action: '*', Resource: '*', ...extra });
const identity = (...statements: Json[]) => policyOf('identity', statements);
const endpoint = (...statements: Json[]) => policyOf('endpoint', statements);

// ---------------------------------------------------------------------------------------------
// Condition operators: [name, Condition element, context, allowed?]
// ---------------------------------------------------------------------------------------------
type ConditionCase = [string, Json, ContextKeys, boolean];
const VPCE = 'aws:SourceVpce';
const conditionCases: ConditionCase[] = [
  ['StringEquals matches the exact value', { StringEquals: { [VPCE]: 'vpce-1a2b' } }, { [VPCE]: 'vpce-1a2b' }, true],
  ['StringEquals is case-sensitive', { StringEquals: { [VPCE]: 'vpce-1a2b' } }, { [VPCE]: 'VPCE-1A2B' }, false],
  ['StringEquals fails when the key is absent', { StringEquals: { [VPCE]: 'vpce-1a2b' } }, {}, false],
  ['StringEquals ORs several values of one key', { StringEquals: { [VPCE]: ['vpce-x', 'vpce-1a2b'] } }, { [VPCE]: 'vpce-1a2b' }, true],
  ['StringEquals treats * literally', { StringEquals: { [VPCE]: 'vpce-*' } }, { [VPCE]: 'vpce-1a2b' }, false],
  ['StringEquals compares a number value as text', { StringEquals: { 'batch:Count': '5' } }, { 'batch:Count': 5 }, true],
  [
    'StringEquals compares a boolean value as text',
    { StringEquals: { 'aws:SecureTransport': 'true' } },
    { 'aws:SecureTransport': true },
    true,
  ],
  [
    'condition key names are case-insensitive',
    { StringEquals: { 'AWS:SOURCEVPCE': 'vpce-1a2b' } },
    { 'aws:sourcevpce': 'vpce-1a2b' },
    true,
  ],
  ['StringNotEquals holds for a different value', { StringNotEquals: { [VPCE]: 'vpce-x' } }, { [VPCE]: 'vpce-1a2b' }, true],
  ['StringNotEquals fails for the same value', { StringNotEquals: { [VPCE]: 'vpce-1a2b' } }, { [VPCE]: 'vpce-1a2b' }, false],
  ['StringNotEquals holds when the key is absent', { StringNotEquals: { [VPCE]: 'vpce-1a2b' } }, {}, true],
  [
    'StringNotEquals fails when the value is any of the listed',
    { StringNotEquals: { [VPCE]: ['vpce-x', 'vpce-1a2b'] } },
    { [VPCE]: 'vpce-1a2b' },
    false,
  ],
  ['StringEqualsIgnoreCase ignores case', { StringEqualsIgnoreCase: { [VPCE]: 'VPCE-1A2B' } }, { [VPCE]: 'vpce-1a2b' }, true],
  [
    'StringNotEqualsIgnoreCase fails for a case-only difference',
    { StringNotEqualsIgnoreCase: { [VPCE]: 'VPCE-1A2B' } },
    { [VPCE]: 'vpce-1a2b' },
    false,
  ],
  ['StringNotEqualsIgnoreCase holds when the key is absent', { StringNotEqualsIgnoreCase: { [VPCE]: 'x' } }, {}, true],
  ['StringLike matches a * wildcard', { StringLike: { [VPCE]: 'vpce-1*' } }, { [VPCE]: 'vpce-1a2b' }, true],
  ['StringLike ? matches exactly one character', { StringLike: { [VPCE]: 'vpce-1a2?' } }, { [VPCE]: 'vpce-1a2b' }, true],
  ['StringLike ? does not match two characters', { StringLike: { [VPCE]: 'vpce-1a?' } }, { [VPCE]: 'vpce-1a2b' }, false],
  ['StringLike is case-sensitive', { StringLike: { [VPCE]: 'VPCE-*' } }, { [VPCE]: 'vpce-1a2b' }, false],
  ['StringNotLike fails when the pattern matches', { StringNotLike: { [VPCE]: 'vpce-*' } }, { [VPCE]: 'vpce-1a2b' }, false],
  ['StringNotLike holds when the key is absent', { StringNotLike: { [VPCE]: 'vpce-*' } }, {}, true],
  ['NumericEquals compares numbers', { NumericEquals: { 'batch:Count': '10' } }, { 'batch:Count': 10 }, true],
  ['NumericEquals reads numeric text in the request', { NumericEquals: { 'batch:Count': 10 } }, { 'batch:Count': '10.0' }, true],
  ['NumericNotEquals holds for another number', { NumericNotEquals: { 'batch:Count': '10' } }, { 'batch:Count': 11 }, true],
  ['NumericLessThan holds below the bound', { NumericLessThan: { 'batch:Count': '10' } }, { 'batch:Count': 5 }, true],
  ['NumericLessThan fails at the bound', { NumericLessThan: { 'batch:Count': '10' } }, { 'batch:Count': 10 }, false],
  ['NumericLessThanEquals holds at the bound', { NumericLessThanEquals: { 'batch:Count': '10' } }, { 'batch:Count': 10 }, true],
  ['NumericGreaterThan holds above the bound', { NumericGreaterThan: { 'batch:Count': '10' } }, { 'batch:Count': 11 }, true],
  ['NumericGreaterThanEquals fails below the bound', { NumericGreaterThanEquals: { 'batch:Count': '10' } }, { 'batch:Count': 9 }, false],
  ['NumericEquals fails for a non-numeric request value', { NumericEquals: { 'batch:Count': '10' } }, { 'batch:Count': 'ten' }, false],
  ['NumericNotEquals holds when the key is absent', { NumericNotEquals: { 'batch:Count': '10' } }, {}, true],
  ['NumericLessThan fails when the key is absent', { NumericLessThan: { 'batch:Count': '10' } }, {}, false],
  [
    'DateGreaterThan compares ISO 8601 times',
    { DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } },
    { 'aws:CurrentTime': '2026-06-01T12:00:00Z' },
    true,
  ],
  [
    'DateLessThan fails for a later time',
    { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } },
    { 'aws:CurrentTime': '2026-06-01T12:00:00Z' },
    false,
  ],
  [
    'DateEquals matches an epoch-seconds request value',
    { DateEquals: { 'aws:EpochTime': '2026-01-01T00:00:00Z' } },
    { 'aws:EpochTime': 1767225600 },
    true,
  ],
  [
    'DateEquals matches an epoch policy value against ISO',
    { DateEquals: { 'aws:CurrentTime': '1767225600' } },
    { 'aws:CurrentTime': '2026-01-01T00:00:00Z' },
    true,
  ],
  [
    'DateGreaterThanEquals honours time-zone offsets',
    { DateGreaterThanEquals: { 'aws:CurrentTime': '2026-01-01T02:00:00+02:00' } },
    { 'aws:CurrentTime': '2026-01-01T00:00:00Z' },
    true,
  ],
  [
    'DateLessThanEquals reads a date without a time',
    { DateLessThanEquals: { 'aws:CurrentTime': '2026-01-02' } },
    { 'aws:CurrentTime': '2026-01-01T23:59:59Z' },
    true,
  ],
  [
    'DateLessThan reads fractional seconds',
    { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00.500Z' } },
    { 'aws:CurrentTime': '2026-01-01T00:00:00.250Z' },
    true,
  ],
  ['DateNotEquals holds when the key is absent', { DateNotEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, {}, true],
  ['DateGreaterThan fails when the key is absent', { DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, {}, false],
  ['Bool matches a boolean request value', { Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': true }, true],
  ['Bool fails for the other value', { Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'false' }, false],
  ['Bool ignores case', { Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': 'TRUE' }, true],
  ['Bool fails when the key is absent', { Bool: { 'aws:SecureTransport': 'false' } }, {}, false],
  [
    'BinaryEquals compares base64 bytes',
    { BinaryEquals: { 'batch:Blob': 'QmluYXJ5VmFsdWU=' } },
    { 'batch:Blob': 'QmluYXJ5VmFsdWU=' },
    true,
  ],
  ['BinaryEquals fails for other bytes', { BinaryEquals: { 'batch:Blob': 'QmluYXJ5VmFsdWU=' } }, { 'batch:Blob': 'T3RoZXI=' }, false],
  [
    'IpAddress matches an IPv4 address in the CIDR',
    { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
    { 'aws:SourceIp': '203.0.113.77' },
    true,
  ],
  ['IpAddress fails outside the CIDR', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.114.1' }, false],
  ['IpAddress reads a bare address as /32', { IpAddress: { 'aws:SourceIp': '203.0.113.7' } }, { 'aws:SourceIp': '203.0.113.8' }, false],
  [
    'IpAddress accepts a CIDR with host bits set',
    { IpAddress: { 'aws:SourceIp': '203.0.113.7/24' } },
    { 'aws:SourceIp': '203.0.113.200' },
    true,
  ],
  [
    'IpAddress matches IPv6 in a /64 regardless of case',
    { IpAddress: { 'aws:SourceIp': '2001:DB8:1234:5678::/64' } },
    { 'aws:SourceIp': '2001:db8:1234:5678::beef' },
    true,
  ],
  [
    'IpAddress does not match IPv4 against an IPv6 range',
    { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } },
    { 'aws:SourceIp': '10.0.0.1' },
    false,
  ],
  [
    'IpAddress ORs IPv4 and IPv6 ranges',
    { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } },
    { 'aws:SourceIp': '2001:db8::1' },
    true,
  ],
  ['NotIpAddress fails inside the range', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '10.1.2.3' }, false],
  ['NotIpAddress holds outside the range', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '192.0.2.1' }, true],
  ['NotIpAddress holds when the key is absent', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, {}, true],
  ['IpAddress fails when the key is absent (a request through an endpoint)', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, {}, false],
  ['ArnLike wildcards the resource part', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:user/al*` } }, {}, true],
  [
    'ArnLike wildcards never cross a colon before the resource part',
    { ArnLike: { 'aws:SourceArn': 'arn:aws:someservice:*:111122223333:finance/*' } },
    { 'aws:SourceArn': 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt' },
    false,
  ],
  [
    'StringLike matches where ArnLike does not',
    { StringLike: { 'aws:SourceArn': 'arn:aws:someservice:*:111122223333:finance/*' } },
    { 'aws:SourceArn': 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt' },
    true,
  ],
  [
    'ArnEquals takes wildcards like ArnLike',
    { ArnEquals: { 'aws:SourceArn': 'arn:aws:batch:*:111122223333:job-queue/*' } },
    { 'aws:SourceArn': QUEUE },
    true,
  ],
  ['ArnNotEquals fails for a matching ARN', { ArnNotEquals: { 'aws:SourceArn': QUEUE } }, { 'aws:SourceArn': QUEUE }, false],
  ['ArnNotLike holds when the key is absent', { ArnNotLike: { 'aws:SourceArn': QUEUE } }, {}, true],
  ['ArnLike is case-sensitive', { ArnLike: { 'aws:SourceArn': QUEUE.toUpperCase() } }, { 'aws:SourceArn': QUEUE }, false],
  ['Null true holds when the key is absent', { Null: { 'aws:TokenIssueTime': 'true' } }, {}, true],
  [
    'Null true fails when the key is present',
    { Null: { 'aws:TokenIssueTime': 'true' } },
    { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' },
    false,
  ],
  [
    'Null false holds when the key is present',
    { Null: { 'aws:TokenIssueTime': 'false' } },
    { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' },
    true,
  ],
  ['Null false fails when the key is absent', { Null: { 'aws:TokenIssueTime': false } }, {}, false],
  ['StringEqualsIfExists holds when the key is absent', { StringEqualsIfExists: { [VPCE]: 'vpce-1a2b' } }, {}, true],
  ['StringEqualsIfExists still tests a present key', { StringEqualsIfExists: { [VPCE]: 'vpce-1a2b' } }, { [VPCE]: 'vpce-zzzz' }, false],
  ['StringNotEqualsIfExists holds when the key is absent', { StringNotEqualsIfExists: { [VPCE]: 'vpce-1a2b' } }, {}, true],
  ['NumericLessThanIfExists tests a present key', { NumericLessThanIfExists: { 'batch:Count': '10' } }, { 'batch:Count': 3 }, true],
  ['DateGreaterThanIfExists holds when the key is absent', { DateGreaterThanIfExists: { 'aws:TokenIssueTime': '2026-01-01' } }, {}, true],
  ['ArnLikeIfExists holds when the key is absent', { ArnLikeIfExists: { 'aws:SourceArn': QUEUE } }, {}, true],
  ['BoolIfExists holds when the key is absent', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } }, {}, true],
  ['IpAddressIfExists holds when the key is absent', { IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } }, {}, true],
  ['BinaryEqualsIfExists tests a present key', { BinaryEqualsIfExists: { 'batch:Blob': 'QQ==' } }, { 'batch:Blob': 'Qg==' }, false],
  [
    'ForAllValues:StringEquals holds when every value is listed',
    { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'cost'] } },
    { 'aws:TagKeys': ['team'] },
    true,
  ],
  [
    'ForAllValues:StringEquals fails when one value is not listed',
    { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'cost'] } },
    { 'aws:TagKeys': ['team', 'owner'] },
    false,
  ],
  ['ForAllValues holds when the key is absent', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, {}, true],
  ['ForAllValues holds for an empty set', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, { 'aws:TagKeys': [] }, true],
  [
    'ForAnyValue:StringEquals holds when one value is listed',
    { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } },
    { 'aws:TagKeys': ['owner', 'team'] },
    true,
  ],
  [
    'ForAnyValue:StringEquals fails when no value is listed',
    { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } },
    { 'aws:TagKeys': ['owner'] },
    false,
  ],
  ['ForAnyValue fails when the key is absent', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } }, {}, false],
  ['ForAnyValue fails for an empty set', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } }, { 'aws:TagKeys': [] }, false],
  [
    'ForAllValues:StringNotEquals holds when no value is forbidden',
    { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['secret'] } },
    { 'aws:TagKeys': ['team', 'cost'] },
    true,
  ],
  [
    'ForAllValues:StringNotEquals fails when one value is forbidden',
    { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['secret'] } },
    { 'aws:TagKeys': ['team', 'secret'] },
    false,
  ],
  [
    'ForAnyValue:StringNotEquals holds when one value is not forbidden',
    { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['secret'] } },
    { 'aws:TagKeys': ['secret', 'team'] },
    true,
  ],
  [
    'ForAnyValue:StringNotEquals fails when every value is forbidden',
    { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['secret'] } },
    { 'aws:TagKeys': ['secret'] },
    false,
  ],
  ['ForAnyValue:StringNotEquals fails when the key is absent', { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['secret'] } }, {}, false],
  [
    'ForAnyValue:StringLike matches a wildcard',
    { 'ForAnyValue:StringLike': { 'aws:TagKeys': ['cost-*'] } },
    { 'aws:TagKeys': ['cost-center'] },
    true,
  ],
  [
    'ForAllValues:NumericLessThan bounds every value',
    { 'ForAllValues:NumericLessThan': { 'batch:Sizes': '10' } },
    { 'batch:Sizes': ['1', '9', '12'] },
    false,
  ],
  [
    'ForAnyValue:StringEqualsIfExists holds when the key is absent',
    { 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': ['team'] } },
    {},
    true,
  ],
  [
    'a multivalued key without a qualifier matches when any value matches',
    { StringEquals: { 'aws:TagKeys': 'team' } },
    { 'aws:TagKeys': ['owner', 'team'] },
    true,
  ],
  [
    'a negated operator on a multivalued key fails when any value matches',
    { StringNotEquals: { 'aws:TagKeys': 'team' } },
    { 'aws:TagKeys': ['owner', 'team'] },
    false,
  ],
  [
    'two keys of one operator must both hold',
    { StringEquals: { [VPCE]: 'vpce-1a2b', 'aws:SourceVpc': 'vpc-9' } },
    { [VPCE]: 'vpce-1a2b', 'aws:SourceVpc': 'vpc-9' },
    true,
  ],
  [
    'two keys of one operator fail when one fails',
    { StringEquals: { [VPCE]: 'vpce-1a2b', 'aws:SourceVpc': 'vpc-9' } },
    { [VPCE]: 'vpce-1a2b', 'aws:SourceVpc': 'vpc-0' },
    false,
  ],
  [
    'two operators must both hold',
    { StringEquals: { [VPCE]: 'vpce-1a2b' }, Bool: { 'aws:SecureTransport': 'true' } },
    { [VPCE]: 'vpce-1a2b', 'aws:SecureTransport': false },
    false,
  ],
  ['derived aws:PrincipalAccount is available to conditions', { StringEquals: { 'aws:PrincipalAccount': ACCT } }, {}, true],
  ['derived aws:PrincipalType is available to conditions', { StringEquals: { 'aws:PrincipalType': 'User' } }, {}, true],
  ['a context value overrides a derived key', { StringEquals: { 'aws:PrincipalAccount': ACCT } }, { 'aws:PrincipalAccount': OTHER }, false],
];

describe('condition operators', () => {
  for (const [name, condition, context, allowed] of conditionCases) {
    test(`${name} (${allowed ? 'allows' : 'does not allow'})`, () => {
      const policy = identity(allowAll({ Condition: condition }));
      const result = evaluate({ principal: alice, action: 'batch:SubmitJob', resource: QUEUE, context }, { identity: [policy] });
      assert.equal(result.decision, allowed ? 'Allow' : 'ImplicitDeny');
    });
  }
});

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
