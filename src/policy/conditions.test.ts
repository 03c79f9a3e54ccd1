/**
 * Condition operators, table-driven: String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress,
 * Arn*, Null, the …IfExists forms and ForAllValues:/ForAnyValue: (with absent and empty sets),
 * each case evaluated through an identity policy whose only statement carries the condition.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, type ContextKeys } from './index.js';
import { ACCT, OTHER, QUEUE, alice, allowAll, identity, type Json } from './test-fixtures.js';

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
