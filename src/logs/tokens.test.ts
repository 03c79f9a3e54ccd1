import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../core/errors.js';
import { decodeBoundary, decodeCursor, encodeBoundary, encodeCursor, eventId, isEventKey } from './tokens.js';

test('boundary tokens look like AWS tokens and round-trip', () => {
  const token = encodeBoundary('f', { timestamp: 1767225600000, seq: 42 });
  assert.match(token, /^f\/\d{56}$/);
  assert.deepEqual(decodeBoundary(token), { direction: 'f', key: { timestamp: 1767225600000, seq: 42 } });
  assert.deepEqual(decodeBoundary(encodeBoundary('b', { timestamp: 0, seq: 0 })).direction, 'b');
});

test('tokens batchlink did not issue are refused with AWS message', () => {
  for (const bad of ['x/123', 'f/12', 'f/' + '1'.repeat(56), 'garbage']) {
    assert.throws(
      () => decodeBoundary(bad),
      (e: unknown) =>
        e instanceof ApiError && e.code === 'InvalidParameterException' && e.message === 'The specified nextToken is invalid.',
    );
  }
  assert.throws(() => decodeCursor('not-json', isEventKey), /The specified nextToken is invalid/);
  assert.throws(() => decodeCursor(encodeCursor({ timestamp: 'x' }), isEventKey), /The specified nextToken is invalid/);
});

test('event ids are 56 digits and differ per event', () => {
  const a = eventId({ timestamp: 5, seq: 1 });
  assert.match(a, /^\d{56}$/);
  assert.notEqual(a, eventId({ timestamp: 5, seq: 2 }));
});
