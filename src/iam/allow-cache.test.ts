/**
 * AllowCache: which policies' decisions may be remembered, and that a changed policy (a new
 * compiled object) or another principal never reuses an earlier Allow.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePolicy } from '../policy/parse.js';
import type { Principal } from '../core/context.js';
import { AllowCache } from './allow-cache.js';

const root: Principal = { accountId: '000000000000', arn: 'arn:aws:iam::000000000000:root', type: 'Account', userId: '000000000000', accessKeyId: 'test' };
const alice: Principal = { accountId: '000000000000', arn: 'arn:aws:iam::000000000000:user/alice', type: 'User', userId: 'AIDAALICE', userName: 'alice', accessKeyId: 'AKIAALICE' };
const plain = parsePolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"batch:SubmitJob","Resource":"*"}]}', 'endpoint');
const conditional = parsePolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"batch:SubmitJob","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}}]}', 'endpoint');
const withVariable = parsePolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::*:user/${aws:username}"}]}', 'identity');

test('only policies without conditions and variables give a key prefix', () => {
  const cache = new AllowCache();
  assert.ok(cache.prefix(root, [plain]) !== undefined);
  assert.ok(cache.prefix(root, []) !== undefined);
  assert.equal(cache.prefix(root, [plain, conditional]), undefined);
  assert.equal(cache.prefix(alice, [withVariable]), undefined);
});

test('an Allow is reused only for the same principal, policies, action and resource', () => {
  const cache = new AllowCache();
  const key = cache.prefix(root, [plain]) as string;
  cache.add(key, 'batch:SubmitJob', 'arn:q');
  assert.equal(cache.has(key, 'batch:SubmitJob', 'arn:q'), true);
  assert.equal(cache.has(key, 'batch:SubmitJob', 'arn:other'), false);
  assert.equal(cache.has(key, 'batch:CancelJob', 'arn:q'), false);
  assert.equal(cache.has(cache.prefix(alice, [plain]) as string, 'batch:SubmitJob', 'arn:q'), false);
  const changed = parsePolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}', 'endpoint');
  assert.equal(cache.has(cache.prefix(root, [changed]) as string, 'batch:SubmitJob', 'arn:q'), false);
});

test('the cache forgets everything when it reaches its limit', () => {
  const cache = new AllowCache(2);
  const key = cache.prefix(root, [plain]) as string;
  cache.add(key, 'a', 'r1');
  cache.add(key, 'a', 'r2');
  cache.add(key, 'a', 'r3');
  assert.equal(cache.has(key, 'a', 'r1'), false);
  assert.equal(cache.has(key, 'a', 'r3'), true);
});
