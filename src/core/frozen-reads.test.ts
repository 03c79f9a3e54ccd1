/**
 * FrozenReads: a document is loaded once per version, comes back frozen all the way down, a
 * missing one is remembered too, and a new version (a write, a rollback) reads the store again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrozenReads } from './frozen-reads.js';

test('loads once per version, freezes deeply, remembers misses, and reloads after the version changes', () => {
  let version = 1;
  let loads = 0;
  const store = new Map<string, { name: string; order: Array<{ ce: string }> }>([['q1', { name: 'q1', order: [{ ce: 'a' }] }]]);
  const reads = new FrozenReads<{ name: string; order: Array<{ ce: string }> }>(() => String(version));
  const load = (key: string) => () => {
    loads++;
    const doc = store.get(key);
    return doc ? structuredClone(doc) : undefined;
  };

  const first = reads.get('q1', load('q1'));
  assert.equal(reads.get('q1', load('q1')), first);
  assert.equal(loads, 1);
  assert.throws(() => {
    (first as { name: string }).name = 'changed';
  }, TypeError);
  assert.throws(() => (first?.order as Array<{ ce: string }>).push({ ce: 'b' }), TypeError);
  assert.throws(() => {
    (first?.order[0] as { ce: string }).ce = 'z';
  }, TypeError);

  assert.equal(reads.get('missing', load('missing')), undefined);
  assert.equal(reads.get('missing', load('missing')), undefined);
  assert.equal(loads, 2);

  store.set('q1', { name: 'q1', order: [{ ce: 'b' }] });
  assert.equal(reads.get('q1', load('q1'))?.order[0]?.ce, 'a', 'same version: still the first read');
  version++;
  assert.equal(reads.get('q1', load('q1'))?.order[0]?.ce, 'b');
  assert.equal(loads, 3);
});
