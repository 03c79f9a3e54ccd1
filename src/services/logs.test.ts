import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestContext } from '../core/context.js';
import { systemClock } from '../core/clock.js';
import { randomIds } from '../core/ids.js';
import { logsAuthorization } from './logs.js';

const ctx: RequestContext = {
  requestId: 'r',
  service: 'logs',
  region: 'eu-west-1',
  partition: 'aws',
  principal: {
    accountId: '123456789012',
    arn: 'arn:aws:iam::123456789012:root',
    type: 'Account',
    userId: '123456789012',
    accessKeyId: 'AKID',
  },
  sourceIp: '127.0.0.1',
  secureTransport: false,
  clock: systemClock,
  ids: randomIds,
};
const G = 'arn:aws:logs:eu-west-1:123456789012:log-group';

test('group-level operations are authorized on the group as AWS evaluates it (matches a `<group>:*` policy)', () => {
  for (const op of ['DeleteLogGroup', 'DescribeLogStreams', 'FilterLogEvents', 'PutRetentionPolicy', 'ListTagsLogGroup']) {
    assert.deepEqual(logsAuthorization(op, { logGroupName: '/app' }, ctx), [{ action: `logs:${op}`, resource: `${G}:/app:log-stream:` }]);
  }
});

test('stream-level operations name the stream', () => {
  for (const op of ['CreateLogStream', 'DeleteLogStream', 'PutLogEvents', 'GetLogEvents']) {
    assert.deepEqual(logsAuthorization(op, { logGroupName: '/app', logStreamName: 'job/1' }, ctx), [
      { action: `logs:${op}`, resource: `${G}:/app:log-stream:job/1` },
    ]);
  }
});

test('DescribeLogGroups names no group; a logGroupIdentifier ARN is resolved to its group', () => {
  assert.deepEqual(logsAuthorization('DescribeLogGroups', {}, ctx), [{ action: 'logs:DescribeLogGroups', resource: `${G}::log-stream:` }]);
  assert.deepEqual(logsAuthorization('GetLogEvents', { logGroupIdentifier: `${G}:/app`, logStreamName: 's' }, ctx), [
    { action: 'logs:GetLogEvents', resource: `${G}:/app:log-stream:s` },
  ]);
});

test('the tagging API uses the ARN given, and CreateLogGroup with tags also needs logs:TagResource', () => {
  assert.deepEqual(logsAuthorization('TagResource', { resourceArn: `${G}:/app`, tags: { a: 'b' } }, ctx), [
    { action: 'logs:TagResource', resource: `${G}:/app` },
  ]);
  assert.deepEqual(logsAuthorization('CreateLogGroup', { logGroupName: '/app', tags: { a: 'b' } }, ctx), [
    { action: 'logs:CreateLogGroup', resource: `${G}:/app:log-stream:` },
    { action: 'logs:TagResource', resource: `${G}:/app` },
  ]);
});

test('malformed input never makes authorization throw', () => {
  assert.doesNotThrow(() => logsAuthorization('PutLogEvents', { logGroupName: 42, logStreamName: null }, ctx));
  assert.doesNotThrow(() => logsAuthorization('TagResource', {}, ctx));
});
