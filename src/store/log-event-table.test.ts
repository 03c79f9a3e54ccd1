import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from './database.js';
import { LogEventTable } from './log-event-table.js';

const A = { accountId: '000000000000', region: 'us-east-1' };
const B = { accountId: '111111111111', region: 'us-east-1' };

function setup() {
  const db = openDatabase(':memory:');
  const table = new LogEventTable(db);
  const put = (scope: typeof A, group: string, stream: string, ...stamps: Array<[number, string]>) =>
    table.append(
      scope,
      group,
      stream,
      stamps.map(([timestamp, message]) => ({ timestamp, message, ingestionTime: 1 })),
    );
  return { db, table, put };
}

test('read orders a stream by timestamp then arrival, in both directions', () => {
  const { table, put } = setup();
  put(A, 'g', 's', [20, 'b'], [10, 'a'], [20, 'c']);
  const forward = [...table.read({ scope: A, logGroupName: 'g', logStreamName: 's', direction: 'forward' })];
  assert.deepEqual(
    forward.map((e) => e.message),
    ['a', 'b', 'c'],
  );
  const backward = [...table.read({ scope: A, logGroupName: 'g', logStreamName: 's', direction: 'backward' })];
  assert.deepEqual(
    backward.map((e) => e.message),
    ['c', 'b', 'a'],
  );
});

test('read honours time bounds (end exclusive) and key bounds', () => {
  const { table, put } = setup();
  put(A, 'g', 's', [10, 'a'], [20, 'b'], [30, 'c'], [40, 'd']);
  const all = [...table.read({ scope: A, logGroupName: 'g', logStreamName: 's', direction: 'forward' })];
  const b = all[1]!;
  const timed = [...table.read({ scope: A, logGroupName: 'g', logStreamName: 's', direction: 'forward', startTime: 20, endTime: 40 })];
  assert.deepEqual(
    timed.map((e) => e.message),
    ['b', 'c'],
  );
  const fromB = [...table.read({ scope: A, logGroupName: 'g', logStreamName: 's', direction: 'forward', from: b })];
  assert.deepEqual(
    fromB.map((e) => e.message),
    ['b', 'c', 'd'],
  );
  const beforeB = [...table.read({ scope: A, logGroupName: 'g', logStreamName: 's', direction: 'backward', before: b })];
  assert.deepEqual(
    beforeB.map((e) => e.message),
    ['a'],
  );
});

test('scan interleaves streams and filters by names, prefix and inclusive time range', () => {
  const { table, put } = setup();
  put(A, 'g', 'job/1', [10, 'a'], [30, 'c']);
  put(A, 'g', 'job/2', [20, 'b']);
  put(A, 'g', 'other', [25, 'x']);
  const all = (q: object = {}) => [...table.scan({ scope: A, logGroupName: 'g', ...q })].map((e) => e.message);
  assert.deepEqual(all(), ['a', 'b', 'x', 'c']);
  assert.deepEqual(all({ logStreamNames: ['job/2', 'other'] }), ['b', 'x']);
  assert.deepEqual(all({ logStreamNamePrefix: 'job/' }), ['a', 'b', 'c']);
  assert.deepEqual(all({ startTime: 20, endTime: 30 }), ['b', 'x', 'c']);
});

test('accounts and groups do not see each other; deletes are scoped', () => {
  const { table, put } = setup();
  put(A, 'g', 's', [1, 'a']);
  put(B, 'g', 's', [1, 'b']);
  put(A, 'h', 's', [1, 'h']);
  table.deleteGroup(A, 'g');
  const read = (scope: typeof A, group: string) => [...table.scan({ scope, logGroupName: group })].map((e) => e.message);
  assert.deepEqual(read(A, 'g'), []);
  assert.deepEqual(read(B, 'g'), ['b']);
  table.deleteStream(A, 'h', 's');
  assert.deepEqual(read(A, 'h'), []);
});

test('stopping a read early releases the connection for other statements', () => {
  const { table, put } = setup();
  put(A, 'g', 's', [1, 'a'], [2, 'b']);
  for (const e of table.read({ scope: A, logGroupName: 'g', logStreamName: 's', direction: 'forward' })) {
    assert.equal(e.message, 'a');
    break;
  }
  put(A, 'g', 's', [3, 'c']);
  assert.equal([...table.scan({ scope: A, logGroupName: 'g' })].length, 3);
});

test('stream reads and group scans use the indexes, not a sort', () => {
  const { db } = setup();
  const plan = (sql: string) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
  const stream = plan(
    "SELECT * FROM log_events WHERE account='a' AND region='r' AND log_group='g' AND log_stream='s' AND (timestamp, seq) >= (1, 1) ORDER BY timestamp DESC, seq DESC",
  );
  assert.match(stream, /log_events_stream/);
  assert.doesNotMatch(stream, /TEMP B-TREE/);
  const group = plan(
    "SELECT * FROM log_events INDEXED BY log_events_group_time WHERE account='a' AND region='r' AND log_group='g' AND (timestamp, seq) >= (1, 1) ORDER BY timestamp, seq",
  );
  assert.doesNotMatch(group, /TEMP B-TREE/);
});
