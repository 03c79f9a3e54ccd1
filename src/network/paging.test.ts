import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../core/errors.js';
import { paginate } from './paging.js';

const items = Array.from({ length: 12 }, (_, i) => i);
const limits = { min: 5, max: 1000 };
const refused = (code: string, message: string) => (error: unknown) =>
  error instanceof ApiError && error.code === code && error.message === message;

test('paginate: pages of MaxResults carry a token to the next page until the list ends', () => {
  const first = paginate(items, { maxResults: 5, limits });
  assert.deepEqual(first.items, [0, 1, 2, 3, 4]);
  assert.ok(first.nextToken);
  const second = paginate(items, { maxResults: 5, nextToken: first.nextToken, limits });
  assert.deepEqual(second.items, [5, 6, 7, 8, 9]);
  const last = paginate(items, { maxResults: 5, nextToken: second.nextToken, limits });
  assert.deepEqual(last, { items: [10, 11] });
  assert.deepEqual(paginate(items, { limits }), { items });
});

test('paginate: refuses MaxResults out of range and an unreadable token with EC2 messages', () => {
  assert.throws(
    () => paginate(items, { maxResults: 1, limits }),
    refused('InvalidParameterValue', 'Value ( 1 ) for parameter maxResults is invalid. Expecting a value greater than 5.'),
  );
  assert.throws(
    () => paginate(items, { maxResults: 1001, limits }),
    refused('InvalidParameterValue', 'Value ( 1001 ) for parameter maxResults is invalid. Expecting a value less than 1000.'),
  );
  assert.throws(
    () => paginate(items, { nextToken: 'bogus', limits }),
    refused('InvalidParameterValue', 'Value ( bogus ) for parameter NextToken is invalid. The token is invalid.'),
  );
});

test('paginate: ids together with MaxResults are refused; ids alone are not', () => {
  assert.throws(
    () => paginate(items, { maxResults: 5, ids: { parameter: 'vpcIds', count: 1 }, limits }),
    refused('InvalidParameterCombination', 'The parameter vpcIds cannot be used with the parameter maxResults'),
  );
  assert.deepEqual(paginate(items, { ids: { parameter: 'vpcIds', count: 1 }, limits }), { items });
});

test('paginate: with clampAboveMax, MaxResults above the maximum returns the maximum', () => {
  const page = paginate(items, { maxResults: 5000, limits: { min: 1, max: 10, clampAboveMax: true } });
  assert.equal(page.items.length, 10);
  assert.ok(page.nextToken);
});
