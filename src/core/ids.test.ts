/**
 * Ids: batchlink's UUIDs are version 7 (a millisecond timestamp first), in the 8-4-4-4-12 text
 * form AWS's job ids have, unique, and ordered by the millisecond they were made in.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomIds, timeOrderedUuid } from './ids.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('a version-7 UUID in the usual text form, its first 48 bits the millisecond', () => {
  const at = Date.UTC(2026, 11, 3, 12, 0, 0, 123);
  const id = timeOrderedUuid(at);
  assert.match(id, UUID_V7);
  assert.equal(parseInt(id.slice(0, 8) + id.slice(9, 13), 16), at);
  assert.match(randomIds.uuid(), UUID_V7);
});

test('ids are unique, and ids of a later millisecond sort after earlier ones', () => {
  const ids = new Set(Array.from({ length: 10_000 }, () => timeOrderedUuid(1_000)));
  assert.equal(ids.size, 10_000);
  assert.ok(timeOrderedUuid(1_001) > timeOrderedUuid(1_000));
  assert.ok(timeOrderedUuid(2_000) > timeOrderedUuid(1_999));
});
