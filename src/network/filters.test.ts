import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../core/errors.js';
import { applyFilters, wildcard } from './filters.js';
import type { FilterFields } from './filters.js';

interface Thing {
  id: string;
  cidrs: string[];
  isDefault: boolean;
  tags: Array<{ Key: string; Value: string }>;
}
const fields: FilterFields<Thing> = { 'thing-id': (t) => t.id, cidr: (t) => t.cidrs, 'is-default': (t) => t.isDefault };
const things: Thing[] = [
  { id: 'a-1', cidrs: ['10.0.0.0/16'], isDefault: true, tags: [{ Key: 'Name', Value: 'prod-web' }] },
  { id: 'b-2', cidrs: ['10.1.0.0/16', '10.2.0.0/16'], isDefault: false, tags: [{ Key: 'env', Value: 'dev' }] },
];
const ids = (list: Thing[]) => list.map((t) => t.id);

test('wildcard: * and ? match runs and single characters, backslash escapes them', () => {
  assert.equal(wildcard('prod-*').test('prod-web'), true);
  assert.equal(wildcard('a-?').test('a-1'), true);
  assert.equal(wildcard('a-?').test('a-12'), false);
  assert.equal(wildcard('a\\*').test('a*'), true);
  assert.equal(wildcard('a\\*').test('ab'), false);
  assert.equal(wildcard('10.0.0.0/16').test('10a0.0.0/16'), false);
});

test('applyFilters: values of one filter are ORed, filters are ANDed, booleans compare as text', () => {
  assert.deepEqual(ids(applyFilters(things, [{ name: 'thing-id', values: ['a-1', 'b-2'] }], fields)), ['a-1', 'b-2']);
  assert.deepEqual(ids(applyFilters(things, [{ name: 'cidr', values: ['10.2.*'] }], fields)), ['b-2']);
  assert.deepEqual(
    ids(
      applyFilters(
        things,
        [
          { name: 'is-default', values: ['true'] },
          { name: 'thing-id', values: ['b-2'] },
        ],
        fields,
      ),
    ),
    [],
  );
});

test('applyFilters: tag:Key, tag-key and tag-value read the resource tags', () => {
  assert.deepEqual(ids(applyFilters(things, [{ name: 'tag:Name', values: ['prod-*'] }], fields)), ['a-1']);
  assert.deepEqual(ids(applyFilters(things, [{ name: 'tag-key', values: ['env'] }], fields)), ['b-2']);
  assert.deepEqual(ids(applyFilters(things, [{ name: 'tag-value', values: ['d?v'] }], fields)), ['b-2']);
});

test('applyFilters: refuses an unknown filter name with InvalidParameterValue', () => {
  assert.throws(
    () => applyFilters(things, [{ name: 'colour', values: ['red'] }], fields),
    (error: unknown) =>
      error instanceof ApiError && error.code === 'InvalidParameterValue' && error.message === "The filter 'colour' is invalid",
  );
});
