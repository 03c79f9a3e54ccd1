/**
 * RawJson: stored JSON texts written back to back into one Buffer, byte-exact for non-ASCII text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RawJson, serialise } from './raw-json.js';

test('arrayOf writes {"key":[a,b]} byte for byte, multi-byte characters included', () => {
  const items = ['{"jobName":"a"}', '{"tags":{"team":"données-ü-✓"}}', '{"x":"😀"}'];
  const bytes = RawJson.arrayOf('jobs', items).toBuffer();
  assert.equal(bytes.toString('utf8'), `{"jobs":[${items.join(',')}]}`);
  assert.deepEqual(JSON.parse(bytes.toString('utf8')), { jobs: items.map((i) => JSON.parse(i)) });
});

test('an empty list, and plain objects still serialise as JSON text', () => {
  assert.equal((serialise(RawJson.arrayOf('jobs', [])) as Buffer).toString('utf8'), '{"jobs":[]}');
  assert.equal(serialise({ a: 1 }), '{"a":1}');
  assert.equal(serialise(undefined), '{}');
});
