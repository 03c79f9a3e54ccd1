import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { ManualClock } from '../core/clock.js';
import type { Scope } from '../core/context.js';
import { ApiError } from '../core/errors.js';
import type { DocumentRepository, UnitOfWork } from '../core/repository.js';
import type { GroupScan, LogEventRepository, NewLogEvent, StoredLogEvent, StreamRead } from './log-event-repository.js';
import { CloudWatchLogs } from './logs.js';
import type { LogGroup, LogStream } from './model.js';

// In-memory ports, so the domain is tested without the store.
class MemoryDocs<T> implements DocumentRepository<T> {
  private readonly rows = new Map<string, { scope: Scope; id: string; doc: string }>();
  private key = (s: Scope, id: string) => `${s.accountId}|${s.region}|${id}`;
  get(scope: Scope, id: string) {
    const row = this.rows.get(this.key(scope, id));
    return row ? (JSON.parse(row.doc) as T) : undefined;
  }
  list(scope: Scope) {
    return [...this.rows.values()]
      .filter((r) => r.scope.accountId === scope.accountId && r.scope.region === scope.region)
      .map((r) => JSON.parse(r.doc) as T);
  }
  listAll() {
    return [...this.rows.values()].map((r) => ({ scope: r.scope, id: r.id, doc: JSON.parse(r.doc) as T }));
  }
  count(scope: Scope) {
    return this.list(scope).length;
  }
  insert(scope: Scope, id: string, doc: T) {
    if (this.rows.has(this.key(scope, id))) return false;
    this.put(scope, id, doc);
    return true;
  }
  put(scope: Scope, id: string, doc: T) {
    const existing = this.rows.get(this.key(scope, id));
    if (existing) existing.doc = JSON.stringify(doc);
    else this.rows.set(this.key(scope, id), { scope, id, doc: JSON.stringify(doc) });
  }
  delete(scope: Scope, id: string) {
    return this.rows.delete(this.key(scope, id));
  }
}

type Row = StoredLogEvent & { account: string; region: string; group: string };
const cmp = (a: StoredLogEvent, b: StoredLogEvent) => a.timestamp - b.timestamp || a.seq - b.seq;
const geq = (e: StoredLogEvent, k: { timestamp: number; seq: number }) => cmp(e, { ...e, ...k }) >= 0;

class MemoryEvents implements LogEventRepository {
  rows: Row[] = [];
  private seq = 0;
  append(scope: Scope, group: string, stream: string, events: readonly NewLogEvent[]) {
    for (const e of events)
      this.rows.push({ ...e, account: scope.accountId, region: scope.region, group, logStreamName: stream, seq: ++this.seq });
  }
  private of(scope: Scope, group: string) {
    return this.rows.filter((r) => r.account === scope.accountId && r.region === scope.region && r.group === group);
  }
  read(q: StreamRead) {
    const rows = this.of(q.scope, q.logGroupName)
      .filter((r) => r.logStreamName === q.logStreamName)
      .filter((r) => (q.startTime === undefined || r.timestamp >= q.startTime) && (q.endTime === undefined || r.timestamp < q.endTime))
      .filter((r) => (!q.from || geq(r, q.from)) && (!q.before || !geq(r, q.before)))
      .sort(cmp);
    return q.direction === 'forward' ? rows : rows.reverse();
  }
  scan(q: GroupScan) {
    return this.of(q.scope, q.logGroupName)
      .filter((r) => !q.logStreamNames || q.logStreamNames.includes(r.logStreamName))
      .filter((r) => q.logStreamNamePrefix === undefined || r.logStreamName.startsWith(q.logStreamNamePrefix))
      .filter((r) => (q.startTime === undefined || r.timestamp >= q.startTime) && (q.endTime === undefined || r.timestamp <= q.endTime))
      .filter((r) => !q.from || geq(r, q.from))
      .sort(cmp);
  }
  deleteStream(scope: Scope, group: string, stream: string) {
    const gone = new Set(this.of(scope, group).filter((r) => r.logStreamName === stream));
    this.rows = this.rows.filter((r) => !gone.has(r));
  }
  deleteGroup(scope: Scope, group: string) {
    const gone = new Set(this.of(scope, group));
    this.rows = this.rows.filter((r) => !gone.has(r));
  }
}

const uow: UnitOfWork = { transaction: (fn) => fn(), flush: () => {} };
const A: Scope = { accountId: '000000000000', region: 'us-east-1' };
const B: Scope = { accountId: '111111111111', region: 'us-east-1' };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('CloudWatchLogs domain', () => {
  let clock: ManualClock;
  let events: MemoryEvents;
  let logs: CloudWatchLogs;
  let now: number;

  beforeEach(() => {
    clock = new ManualClock();
    now = clock.now();
    events = new MemoryEvents();
    logs = new CloudWatchLogs({ groups: new MemoryDocs<LogGroup>(), streams: new MemoryDocs<LogStream>(), events, clock, uow });
    logs.createLogGroup(A, { logGroupName: 'app' });
    logs.createLogStream(A, 'app', 's1');
  });

  test('appendJobOutput creates /aws/batch/job and the stream on first use and appends in order', () => {
    logs.appendJobOutput(A, '/aws/batch/job', 'def/default/task1', [
      { timestamp: now, message: 'one' },
      { timestamp: now, message: 'two' },
    ]);
    logs.appendJobOutput(A, '/aws/batch/job', 'def/default/task1', [{ timestamp: now + 1, message: 'three' }]);
    const group = logs.getLogGroup(A, '/aws/batch/job');
    assert.equal(group?.creationTime, now);
    assert.equal(group?.storedBytes, 11);
    const got = logs.getLogEvents(A, '/aws/batch/job', 'def/default/task1', { startFromHead: true });
    assert.deepEqual(
      got.events.map((e) => e.message),
      ['one', 'two', 'three'],
    );
    const [stream] = logs.describeLogStreams(A, '/aws/batch/job', { orderBy: 'LogStreamName', descending: false, limit: 50 }).logStreams;
    assert.equal(stream?.firstEventTimestamp, now);
    assert.equal(stream?.lastEventTimestamp, now + 1);
    assert.equal(stream?.lastIngestionTime, now);
  });

  test('appendJobOutput drops empty lines and splits lines above the 1 MB event limit', () => {
    const big = 'x'.repeat(1_048_576);
    logs.appendJobOutput(A, '/aws/batch/job', 't', [
      { timestamp: now, message: '' },
      { timestamp: now, message: big },
    ]);
    const got = logs.getLogEvents(A, '/aws/batch/job', 't', { startFromHead: true, limit: 10 });
    const all = [...events.rows].map((r) => r.message);
    assert.equal(all.length, 2);
    assert.equal(all.join(''), big);
    assert.ok(all.every((m) => Buffer.byteLength(m) + 26 <= 1_048_576));
    assert.equal(got.events.length, 1, 'the first page stops at the 1 MB response cap');
  });

  test('PutLogEvents: out-of-order events are refused with AWS message', () => {
    assert.equal(
      code(() =>
        logs.putLogEvents(A, 'app', 's1', [
          { timestamp: now, message: 'b' },
          { timestamp: now - 1, message: 'a' },
        ]),
      ),
      'InvalidParameterException: Log events in a single PutLogEvents request must be in chronological order.',
    );
  });

  test('PutLogEvents: a batch of accepted events spanning more than 24 hours is refused', () => {
    assert.equal(
      code(() =>
        logs.putLogEvents(A, 'app', 's1', [
          { timestamp: now - DAY - 1, message: 'a' },
          { timestamp: now, message: 'b' },
        ]),
      ),
      'InvalidParameterException: The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    );
    assert.equal(
      code(() =>
        logs.putLogEvents(A, 'app', 's1', [
          { timestamp: now - DAY, message: 'a' },
          { timestamp: now, message: 'b' },
        ]),
      ),
      'no error',
    );
  });

  test('PutLogEvents: a batch above 1,048,576 bytes is refused with the byte count', () => {
    const message = 'x'.repeat(100_000);
    const batch = Array.from({ length: 11 }, () => ({ timestamp: now, message }));
    assert.equal(
      code(() => logs.putLogEvents(A, 'app', 's1', batch)),
      'InvalidParameterException: Upload too large: 1100286 bytes exceeds limit of 1048576',
    );
  });

  test('PutLogEvents: one event above 1 MB (with its 26 bytes) is refused as too large', () => {
    const message = 'x'.repeat(1_048_551);
    assert.equal(
      code(() => logs.putLogEvents(A, 'app', 's1', [{ timestamp: now, message }])),
      'InvalidParameterException: Log event too large: 1048577 bytes exceeds limit of 1048576',
    );
    assert.equal(
      code(() => logs.putLogEvents(A, 'app', 's1', [{ timestamp: now, message: message.slice(1) }])),
      'no error',
    );
  });

  test('PutLogEvents: too old, expired and too new events are rejected by index, the rest stored', () => {
    logs.putRetentionPolicy(A, 'app', 1);
    const result = logs.putLogEvents(A, 'app', 's1', [
      { timestamp: now - 15 * DAY, message: 'too old' },
      { timestamp: now - 2 * DAY, message: 'expired' },
      { timestamp: now, message: 'kept' },
      { timestamp: now + 3 * HOUR, message: 'too new' },
    ]);
    assert.deepEqual(result.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1, expiredLogEventEndIndex: 2, tooNewLogEventStartIndex: 3 });
    assert.deepEqual(
      events.rows.map((r) => r.message),
      ['kept'],
    );
    assert.match(result.nextSequenceToken, /^\d{56}$/);
  });

  test('PutLogEvents: missing group and stream give AWS not-found messages', () => {
    assert.equal(
      code(() => logs.putLogEvents(A, 'nope', 's1', [{ timestamp: now, message: 'a' }])),
      'ResourceNotFoundException: The specified log group does not exist.',
    );
    assert.equal(
      code(() => logs.putLogEvents(A, 'app', 'nope', [{ timestamp: now, message: 'a' }])),
      'ResourceNotFoundException: The specified log stream does not exist.',
    );
  });

  test('GetLogEvents: newest page by default, forward and backward tokens, same token at the end', () => {
    logs.putLogEvents(
      A,
      'app',
      's1',
      Array.from({ length: 5 }, (_, i) => ({ timestamp: now + i, message: `m${i}` })),
    );
    const newest = logs.getLogEvents(A, 'app', 's1', { limit: 2 });
    assert.deepEqual(
      newest.events.map((e) => e.message),
      ['m3', 'm4'],
    );
    const older = logs.getLogEvents(A, 'app', 's1', { limit: 2, nextToken: newest.nextBackwardToken });
    assert.deepEqual(
      older.events.map((e) => e.message),
      ['m1', 'm2'],
    );
    const oldest = logs.getLogEvents(A, 'app', 's1', { limit: 2, nextToken: older.nextBackwardToken });
    assert.deepEqual(
      oldest.events.map((e) => e.message),
      ['m0'],
    );
    const beyond = logs.getLogEvents(A, 'app', 's1', { limit: 2, nextToken: oldest.nextBackwardToken });
    assert.deepEqual(beyond.events, []);
    assert.equal(beyond.nextBackwardToken, oldest.nextBackwardToken);
    const end = logs.getLogEvents(A, 'app', 's1', { limit: 2, nextToken: newest.nextForwardToken });
    assert.deepEqual(end.events, []);
    assert.equal(end.nextForwardToken, newest.nextForwardToken);
    logs.putLogEvents(A, 'app', 's1', [{ timestamp: now + 4, message: 'late, same timestamp' }]);
    const tail = logs.getLogEvents(A, 'app', 's1', { nextToken: newest.nextForwardToken });
    assert.deepEqual(
      tail.events.map((e) => e.message),
      ['late, same timestamp'],
    );
  });

  test('GetLogEvents: startTime is inclusive and endTime exclusive', () => {
    logs.putLogEvents(
      A,
      'app',
      's1',
      [0, 1, 2, 3].map((i) => ({ timestamp: now + i, message: `m${i}` })),
    );
    const got = logs.getLogEvents(A, 'app', 's1', { startFromHead: true, startTime: now + 1, endTime: now + 3 });
    assert.deepEqual(
      got.events.map((e) => e.message),
      ['m1', 'm2'],
    );
  });

  test('FilterLogEvents interleaves streams by time, pages with nextToken and omits it at the end', () => {
    logs.createLogStream(A, 'app', 's2');
    logs.putLogEvents(A, 'app', 's1', [
      { timestamp: now, message: 'ERROR a' },
      { timestamp: now + 2, message: 'INFO c' },
    ]);
    logs.putLogEvents(A, 'app', 's2', [
      { timestamp: now + 1, message: 'ERROR b' },
      { timestamp: now + 3, message: 'ERROR d' },
    ]);
    const first = logs.filterLogEvents(A, 'app', { filterPattern: 'ERROR', limit: 2 });
    assert.deepEqual(
      first.events.map((e) => [e.logStreamName, e.message]),
      [
        ['s1', 'ERROR a'],
        ['s2', 'ERROR b'],
      ],
    );
    assert.ok(first.nextToken);
    const second = logs.filterLogEvents(A, 'app', { filterPattern: 'ERROR', limit: 2, nextToken: first.nextToken });
    assert.deepEqual(
      second.events.map((e) => e.message),
      ['ERROR d'],
    );
    assert.equal(second.nextToken, undefined);
  });

  test('DeleteLogGroup removes its streams and events; other accounts are untouched', () => {
    logs.createLogGroup(B, { logGroupName: 'app' });
    logs.createLogStream(B, 'app', 's1');
    logs.putLogEvents(B, 'app', 's1', [{ timestamp: now, message: 'b' }]);
    logs.putLogEvents(A, 'app', 's1', [{ timestamp: now, message: 'a' }]);
    logs.deleteLogGroup(A, 'app');
    assert.equal(
      code(() => logs.describeLogStreams(A, 'app', { orderBy: 'LogStreamName', descending: false, limit: 50 })),
      'ResourceNotFoundException: The specified log group does not exist.',
    );
    assert.deepEqual(
      events.rows.map((r) => r.message),
      ['b'],
    );
    logs.createLogGroup(A, { logGroupName: 'app' });
    assert.deepEqual(logs.describeLogStreams(A, 'app', { orderBy: 'LogStreamName', descending: false, limit: 50 }).logStreams, []);
  });

  test('CreateLogGroup and CreateLogStream refuse duplicates with AWS messages', () => {
    assert.equal(
      code(() => logs.createLogGroup(A, { logGroupName: 'app' })),
      'ResourceAlreadyExistsException: The specified log group already exists',
    );
    assert.equal(
      code(() => logs.createLogStream(A, 'app', 's1')),
      'ResourceAlreadyExistsException: The specified log stream already exists',
    );
    assert.equal(
      code(() => logs.createLogStream(A, 'nope', 's1')),
      'ResourceNotFoundException: The specified log group does not exist.',
    );
  });

  test('DescribeLogStreams orders by last event time, descending, across pages', () => {
    logs.createLogStream(A, 'app', 's2');
    logs.createLogStream(A, 'app', 's3');
    logs.putLogEvents(A, 'app', 's2', [{ timestamp: now + 5, message: 'x' }]);
    logs.putLogEvents(A, 'app', 's1', [{ timestamp: now + 9, message: 'x' }]);
    const query = { orderBy: 'LastEventTime' as const, descending: true, limit: 2 };
    const page1 = logs.describeLogStreams(A, 'app', query);
    assert.deepEqual(
      page1.logStreams.map((s) => s.logStreamName),
      ['s1', 's2'],
    );
    const page2 = logs.describeLogStreams(A, 'app', { ...query, ...(page1.nextToken ? { nextToken: page1.nextToken } : {}) });
    assert.deepEqual(
      page2.logStreams.map((s) => s.logStreamName),
      ['s3'],
    );
    assert.equal(page2.nextToken, undefined);
  });

  test('TagResource keeps at most 50 tags', () => {
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    logs.tagLogGroup(A, 'app', tags);
    assert.match(
      code(() => logs.tagLogGroup(A, 'app', { extra: 'v' })),
      /^TooManyTagsException/,
    );
    logs.untagLogGroup(A, 'app', ['k0']);
    assert.equal(Object.keys(logs.listTags(A, 'app')).length, 49);
  });
});
