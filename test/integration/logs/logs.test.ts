/**
 * CloudWatch Logs through the real server with @aws-sdk/client-cloudwatch-logs: every
 * operation's success shape, pagination, ordering, validation and not-found errors with AWS's
 * messages, and isolation between accounts and regions.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  paginateDescribeLogGroups,
  paginateFilterLogEvents,
  paginateGetLogEvents,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';

const ACCOUNT = '000000000000';
const SECOND = '111111111111';

let server: TestServer;
let logs: CloudWatchLogsClient;
let second: CloudWatchLogsClient;
let west: CloudWatchLogsClient;
let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

/** The AWS error a call fails with, as `Code: message`. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return `${e.name}: ${e.message}`;
  }
  return 'no error';
}

async function groupWithStream(group: string, ...streams: string[]) {
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  for (const stream of streams) await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
}

async function put(group: string, stream: string, events: Array<[number, string]>) {
  return logs.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: stream,
      logEvents: events.map(([timestamp, message]) => ({ timestamp, message })),
    }),
  );
}

let configDir = '';

before(async () => {
  configDir = mkdtempSync(join(tmpdir(), 'batchlink-logs-config-'));
  const configFile = join(configDir, 'accounts.json');
  writeFileSync(
    configFile,
    JSON.stringify({ accounts: [{ id: SECOND, rootAccessKeys: [{ accessKeyId: 'AKIDSECOND', secretAccessKey: 'secret2' }] }] }),
  );
  server = await startTestServer({ configFile });
  logs = new CloudWatchLogsClient(server.clientConfig);
  second = new CloudWatchLogsClient({ ...server.clientConfig, credentials: { accessKeyId: 'AKIDSECOND', secretAccessKey: 'secret2' } });
  west = new CloudWatchLogsClient({ ...server.clientConfig, region: 'us-west-2' });
});

after(async () => {
  logs?.destroy();
  second?.destroy();
  west?.destroy();
  await server?.close();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

describe('log groups', () => {
  test('CreateLogGroup: DescribeLogGroups then shows AWS shape with both ARN forms', async () => {
    const name = unique('/app/shape');
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    assert.equal(logGroups?.length, 1);
    const g = logGroups![0]!;
    assert.equal(g.logGroupName, name);
    assert.equal(g.arn, `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}:*`);
    assert.equal(g.logGroupArn, `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`);
    assert.equal(g.storedBytes, 0);
    assert.equal(g.metricFilterCount, 0);
    assert.equal(g.logGroupClass, 'STANDARD');
    assert.ok(Math.abs((g.creationTime ?? 0) - Date.now()) < 60_000);
    assert.equal(g.retentionInDays, undefined);
  });

  test('CreateLogGroup: refuses an existing name with ResourceAlreadyExistsException', async () => {
    const name = unique('dup');
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    assert.equal(
      await failure(logs.send(new CreateLogGroupCommand({ logGroupName: name }))),
      'ResourceAlreadyExistsException: The specified log group already exists',
    );
  });

  test('CreateLogGroup: refuses bad names with AWS validation messages', async () => {
    assert.equal(
      await failure(logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name!' }))),
      "InvalidParameterException: 1 validation error detected: Value 'bad name!' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    );
    assert.equal(
      await failure(logs.send(new CreateLogGroupCommand({ logGroupName: '' }))),
      "InvalidParameterException: 2 validation errors detected: Value '' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+; Value '' at 'logGroupName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    const long = 'a'.repeat(513);
    assert.equal(
      await failure(logs.send(new CreateLogGroupCommand({ logGroupName: long }))),
      `InvalidParameterException: 1 validation error detected: Value '${long}' at 'logGroupName' failed to satisfy constraint: Member must have length less than or equal to 512`,
    );
    assert.equal(
      await failure(logs.send(new CreateLogGroupCommand({ logGroupName: 'aws/mine' }))),
      'InvalidParameterException: Log groups starting with AWS/ are reserved for AWS.',
    );
  });

  test('DescribeLogGroups: sorted by name, paged with nextToken, filtered by prefix or pattern', async () => {
    const base = unique('/page');
    for (const suffix of ['e', 'c', 'a', 'd', 'b']) await logs.send(new CreateLogGroupCommand({ logGroupName: `${base}/${suffix}` }));
    const first = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: base, limit: 2 }));
    assert.deepEqual(
      first.logGroups?.map((g) => g.logGroupName),
      [`${base}/a`, `${base}/b`],
    );
    assert.ok(first.nextToken);
    const names: string[] = [];
    for await (const page of paginateDescribeLogGroups({ client: logs, pageSize: 2 }, { logGroupNamePrefix: base })) {
      names.push(...(page.logGroups ?? []).map((g) => g.logGroupName ?? ''));
    }
    assert.deepEqual(
      names,
      ['a', 'b', 'c', 'd', 'e'].map((s) => `${base}/${s}`),
    );
    const pattern = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: `${base.slice(1)}/c` }));
    assert.deepEqual(
      pattern.logGroups?.map((g) => g.logGroupName),
      [`${base}/c`],
    );
  });

  test('DescribeLogGroups: refuses prefix with pattern, a limit above 50 and a foreign token', async () => {
    assert.equal(
      await failure(logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'a', logGroupNamePattern: 'b' }))),
      'InvalidParameterException: LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
    );
    assert.equal(
      await failure(logs.send(new DescribeLogGroupsCommand({ limit: 51 }))),
      "InvalidParameterException: 1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50",
    );
    assert.equal(
      await failure(logs.send(new DescribeLogGroupsCommand({ nextToken: 'bogus' }))),
      'InvalidParameterException: The specified nextToken is invalid.',
    );
  });

  test('DeleteLogGroup: deletes the group and its events; a missing group is ResourceNotFoundException', async () => {
    const name = unique('del');
    await groupWithStream(name, 's');
    await put(name, 's', [[Date.now(), 'hello']]);
    await logs.send(new DeleteLogGroupCommand({ logGroupName: name }));
    assert.deepEqual((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups, []);
    assert.equal(
      await failure(logs.send(new DeleteLogGroupCommand({ logGroupName: name }))),
      'ResourceNotFoundException: The specified log group does not exist.',
    );
    await groupWithStream(name, 's');
    const events = await logs.send(new GetLogEventsCommand({ logGroupName: name, logStreamName: 's' }));
    assert.deepEqual(events.events, []);
  });

  test('PutRetentionPolicy / DeleteRetentionPolicy: set and clear retentionInDays; AWS values only', async () => {
    const name = unique('ret');
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: 14 }));
    let [g] = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups ?? [];
    assert.equal(g?.retentionInDays, 14);
    assert.equal(
      await failure(logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: 2 }))),
      "InvalidParameterException: 1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]",
    );
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: name }));
    [g] = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups ?? [];
    assert.equal(g?.retentionInDays, undefined);
    assert.equal(
      await failure(logs.send(new PutRetentionPolicyCommand({ logGroupName: 'nope-ret', retentionInDays: 1 }))),
      'ResourceNotFoundException: The specified log group does not exist.',
    );
    assert.equal(
      await failure(logs.send(new DeleteRetentionPolicyCommand({ logGroupName: 'nope-ret' }))),
      'ResourceNotFoundException: The specified log group does not exist.',
    );
  });

  test('TagResource / UntagResource / ListTagsForResource on the log-group ARN, and tags at creation', async () => {
    const name = unique('tags');
    await logs.send(new CreateLogGroupCommand({ logGroupName: name, tags: { team: 'a' } }));
    const arn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`;
    await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'dev' } }));
    assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { team: 'a', env: 'dev' });
    await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
    assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { env: 'dev' });
    assert.deepEqual((await logs.send(new ListTagsLogGroupCommand({ logGroupName: name }))).tags, { env: 'dev' });
    assert.equal(
      await failure(logs.send(new ListTagsForResourceCommand({ resourceArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:missing` }))),
      'ResourceNotFoundException: The specified log group does not exist.',
    );
  });
});

describe('log streams', () => {
  test('CreateLogStream / DescribeLogStreams: AWS shape, name order, duplicates and missing group refused', async () => {
    const group = unique('streams');
    await groupWithStream(group, 'b', 'a');
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
    assert.deepEqual(
      logStreams?.map((s) => s.logStreamName),
      ['a', 'b'],
    );
    const a = logStreams![0]!;
    assert.equal(a.arn, `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${group}:log-stream:a`);
    assert.equal(a.storedBytes, 0);
    assert.equal(a.firstEventTimestamp, undefined);
    assert.ok(a.creationTime);
    assert.equal(
      await failure(logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'a' }))),
      'ResourceAlreadyExistsException: The specified log stream already exists',
    );
    assert.equal(
      await failure(logs.send(new CreateLogStreamCommand({ logGroupName: 'nope-group', logStreamName: 'a' }))),
      'ResourceNotFoundException: The specified log group does not exist.',
    );
    assert.equal(
      await failure(logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'a:b' }))),
      "InvalidParameterException: 1 validation error detected: Value 'a:b' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*",
    );
  });

  test('DescribeLogStreams: LastEventTime descending, prefix, pages, and AWS refusals', async () => {
    const group = unique('order');
    await groupWithStream(group, 'job/1', 'job/2', 'other');
    const now = Date.now();
    await put(group, 'job/2', [[now - 1000, 'x']]);
    await put(group, 'job/1', [[now, 'y']]);
    const byTime = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', descending: true, limit: 2 }),
    );
    assert.deepEqual(
      byTime.logStreams?.map((s) => s.logStreamName),
      ['job/1', 'job/2'],
    );
    assert.equal(byTime.logStreams?.[0]?.lastEventTimestamp, now);
    assert.equal(byTime.logStreams?.[0]?.firstEventTimestamp, now);
    assert.ok(byTime.logStreams?.[0]?.lastIngestionTime);
    const rest = await logs.send(
      new DescribeLogStreamsCommand({
        logGroupName: group,
        orderBy: 'LastEventTime',
        descending: true,
        limit: 2,
        nextToken: byTime.nextToken,
      }),
    );
    assert.deepEqual(
      rest.logStreams?.map((s) => s.logStreamName),
      ['other'],
    );
    assert.equal(rest.nextToken, undefined);
    const prefixed = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: 'job/' }));
    assert.deepEqual(
      prefixed.logStreams?.map((s) => s.logStreamName),
      ['job/1', 'job/2'],
    );
    assert.equal(
      await failure(
        logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', logStreamNamePrefix: 'job/' })),
      ),
      'InvalidParameterException: Cannot order by LastEventTime with a logStreamNamePrefix.',
    );
    assert.equal(
      await failure(logs.send(new DescribeLogStreamsCommand({ logGroupName: 'nope-group' }))),
      'ResourceNotFoundException: The specified log group does not exist.',
    );
    const viaArn = await logs.send(
      new DescribeLogStreamsCommand({ logGroupIdentifier: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${group}` }),
    );
    assert.equal(viaArn.logStreams?.length, 3);
    assert.equal(
      await failure(logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logGroupIdentifier: group }))),
      'ValidationException: LogGroup name and LogGroup ARN are mutually exclusive parameters.',
    );
  });

  test('DeleteLogStream: removes the stream and its events; missing stream and group refused', async () => {
    const group = unique('delstream');
    await groupWithStream(group, 's', 'keep');
    await put(group, 's', [[Date.now(), 'gone']]);
    await put(group, 'keep', [[Date.now(), 'kept']]);
    await logs.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: 's' }));
    assert.equal(
      await failure(logs.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: 's' }))),
      'ResourceNotFoundException: The specified log stream does not exist.',
    );
    assert.equal(
      await failure(logs.send(new DeleteLogStreamCommand({ logGroupName: 'nope-group', logStreamName: 's' }))),
      'ResourceNotFoundException: The specified log group does not exist.',
    );
    const left = await logs.send(new FilterLogEventsCommand({ logGroupName: group }));
    assert.deepEqual(
      left.events?.map((e) => e.message),
      ['kept'],
    );
    const [g] = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups ?? [];
    assert.equal(g?.storedBytes, 4);
  });
});

describe('events', () => {
  test('PutLogEvents: returns a sequence token; refusals carry AWS messages', async () => {
    const group = unique('put');
    await groupWithStream(group, 's');
    const now = Date.now();
    const ok = await put(group, 's', [
      [now, 'a'],
      [now, 'b'],
    ]);
    assert.match(ok.nextSequenceToken ?? '', /^\d+$/);
    assert.equal(ok.rejectedLogEventsInfo, undefined);
    assert.equal(
      await failure(
        put(group, 's', [
          [now, 'b'],
          [now - 1, 'a'],
        ]),
      ),
      'InvalidParameterException: Log events in a single PutLogEvents request must be in chronological order.',
    );
    assert.equal(
      await failure(
        put(group, 's', [
          [now - 25 * 3_600_000, 'a'],
          [now, 'b'],
        ]),
      ),
      'InvalidParameterException: The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    );
    const big = 'x'.repeat(200_000);
    assert.equal(
      await failure(
        put(
          group,
          's',
          Array.from({ length: 6 }, () => [now, big] as [number, string]),
        ),
      ),
      'InvalidParameterException: Upload too large: 1200156 bytes exceeds limit of 1048576',
    );
    assert.equal(
      await failure(
        put(
          group,
          's',
          Array.from({ length: 10_001 }, () => [now, 'x'] as [number, string]),
        ),
      ),
      "InvalidParameterException: 1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to 10000",
    );
    assert.equal(
      await failure(put(group, 's', [[now, '']])),
      "InvalidParameterException: 1 validation error detected: Value '' at 'logEvents.1.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    assert.equal(
      await failure(logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's', logEvents: [] }))),
      "InvalidParameterException: 1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    assert.equal(await failure(put(group, 'nope', [[now, 'a']])), 'ResourceNotFoundException: The specified log stream does not exist.');
    assert.equal(await failure(put('nope-group', 's', [[now, 'a']])), 'ResourceNotFoundException: The specified log group does not exist.');
  });

  test('PutLogEvents: events older than 14 days are reported in rejectedLogEventsInfo, the rest kept', async () => {
    const group = unique('rejected');
    await groupWithStream(group, 's');
    const now = Date.now();
    const result = await put(group, 's', [
      [now - 15 * 86_400_000, 'old'],
      [now, 'fresh'],
    ]);
    assert.deepEqual(result.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1 });
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's' }));
    assert.deepEqual(
      got.events?.map((e) => e.message),
      ['fresh'],
    );
  });

  test('GetLogEvents: newest events by default, oldest with startFromHead, f/ and b/ tokens', async () => {
    const group = unique('get');
    await groupWithStream(group, 's');
    const now = Date.now() - 10_000;
    await put(
      group,
      's',
      Array.from({ length: 5 }, (_, i) => [now + i, `m${i}`] as [number, string]),
    );
    const newest = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', limit: 2 }));
    assert.deepEqual(
      newest.events?.map((e) => e.message),
      ['m3', 'm4'],
    );
    assert.match(newest.nextForwardToken ?? '', /^f\/\d{56}$/);
    assert.match(newest.nextBackwardToken ?? '', /^b\/\d{56}$/);
    assert.equal(newest.events?.[0]?.timestamp, now + 3);
    assert.ok(newest.events?.[0]?.ingestionTime);
    const head = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', limit: 2, startFromHead: true }));
    assert.deepEqual(
      head.events?.map((e) => e.message),
      ['m0', 'm1'],
    );
    const next = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', limit: 2, nextToken: head.nextForwardToken, startFromHead: true }),
    );
    assert.deepEqual(
      next.events?.map((e) => e.message),
      ['m2', 'm3'],
    );
    const back = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', limit: 2, nextToken: newest.nextBackwardToken }),
    );
    assert.deepEqual(
      back.events?.map((e) => e.message),
      ['m1', 'm2'],
    );
    const end = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', nextToken: newest.nextForwardToken }));
    assert.deepEqual(end.events, []);
    assert.equal(end.nextForwardToken, newest.nextForwardToken, 'the same token means: nothing more yet');
    const window = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', startTime: now + 1, endTime: now + 3, startFromHead: true }),
    );
    assert.deepEqual(
      window.events?.map((e) => e.message),
      ['m1', 'm2'],
    );
  });

  test('GetLogEvents: the SDK paginator with stopOnSameToken reads the whole stream and stops', async () => {
    const group = unique('paginate');
    await groupWithStream(group, 's');
    const now = Date.now() - 10_000;
    await put(
      group,
      's',
      Array.from({ length: 7 }, (_, i) => [now + i, `m${i}`] as [number, string]),
    );
    const messages: string[] = [];
    let pages = 0;
    for await (const page of paginateGetLogEvents(
      { client: logs, pageSize: 3, stopOnSameToken: true },
      { logGroupName: group, logStreamName: 's', startFromHead: true },
    )) {
      messages.push(...(page.events ?? []).map((e) => e.message ?? ''));
      if (++pages > 10) assert.fail('the paginator did not stop');
    }
    assert.deepEqual(messages, ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
  });

  test('GetLogEvents: refuses a limit above 10,000, a foreign token and a missing stream', async () => {
    const group = unique('getbad');
    await groupWithStream(group, 's');
    assert.equal(
      await failure(logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', limit: 10_001 }))),
      "InvalidParameterException: 1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
    );
    assert.equal(
      await failure(logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', nextToken: 'f/123' }))),
      'InvalidParameterException: The specified nextToken is invalid.',
    );
    assert.equal(
      await failure(logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'nope' }))),
      'ResourceNotFoundException: The specified log stream does not exist.',
    );
    assert.equal(
      await failure(logs.send(new GetLogEventsCommand({ logGroupName: 'nope-group', logStreamName: 's' }))),
      'ResourceNotFoundException: The specified log group does not exist.',
    );
  });

  test('FilterLogEvents: interleaves streams by time; names, prefix, time range and pattern narrow it', async () => {
    const group = unique('filter');
    await groupWithStream(group, 'job/1', 'job/2', 'other');
    const t = Date.now() - 10_000;
    await put(group, 'job/1', [
      [t, 'ERROR disk'],
      [t + 3, 'INFO done'],
    ]);
    await put(group, 'job/2', [
      [t + 1, 'WARN slow'],
      [t + 4, 'ERROR net'],
    ]);
    await put(group, 'other', [[t + 2, 'ERROR other']]);
    const all = await logs.send(new FilterLogEventsCommand({ logGroupName: group }));
    assert.deepEqual(
      all.events?.map((e) => `${e.logStreamName}:${e.message}`),
      ['job/1:ERROR disk', 'job/2:WARN slow', 'other:ERROR other', 'job/1:INFO done', 'job/2:ERROR net'],
    );
    assert.match(all.events?.[0]?.eventId ?? '', /^\d{56}$/);
    assert.equal(all.nextToken, undefined);
    const msgs = async (input: Omit<ConstructorParameters<typeof FilterLogEventsCommand>[0], 'logGroupName'>) =>
      ((await logs.send(new FilterLogEventsCommand({ logGroupName: group, ...input }))).events ?? []).map((e) => e.message);
    assert.deepEqual(await msgs({ logStreamNames: ['job/2'] }), ['WARN slow', 'ERROR net']);
    assert.deepEqual(await msgs({ logStreamNamePrefix: 'job/' }), ['ERROR disk', 'WARN slow', 'INFO done', 'ERROR net']);
    assert.deepEqual(await msgs({ startTime: t + 1, endTime: t + 3 }), ['WARN slow', 'ERROR other', 'INFO done']);
    assert.deepEqual(await msgs({ filterPattern: 'ERROR -other' }), ['ERROR disk', 'ERROR net']);
    assert.deepEqual(await msgs({ filterPattern: '?WARN ?INFO' }), ['WARN slow', 'INFO done']);
    assert.deepEqual(await msgs({ filterPattern: '%^ERROR.d[i]sk$%' }), ['ERROR disk']);
  });

  test('FilterLogEvents: pages with nextToken (absent on the last page) through the SDK paginator', async () => {
    const group = unique('filterpage');
    await groupWithStream(group, 's');
    const t = Date.now() - 10_000;
    await put(
      group,
      's',
      Array.from({ length: 5 }, (_, i) => [t + i, `m${i}`] as [number, string]),
    );
    const first = await logs.send(new FilterLogEventsCommand({ logGroupName: group, limit: 2 }));
    assert.deepEqual(
      first.events?.map((e) => e.message),
      ['m0', 'm1'],
    );
    assert.ok(first.nextToken);
    const messages: string[] = [];
    for await (const page of paginateFilterLogEvents({ client: logs, pageSize: 2 }, { logGroupName: group })) {
      messages.push(...(page.events ?? []).map((e) => e.message ?? ''));
    }
    assert.deepEqual(messages, ['m0', 'm1', 'm2', 'm3', 'm4']);
  });

  test('FilterLogEvents: AWS refusals for bad input and a missing group', async () => {
    const group = unique('filterbad');
    await groupWithStream(group, 's');
    assert.equal(
      await failure(logs.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNames: ['s'], logStreamNamePrefix: 's' }))),
      'InvalidParameterException: logStreamNamePrefix and logStreamNames are mutually exclusive parameters.',
    );
    assert.equal(
      await failure(logs.send(new FilterLogEventsCommand({ logGroupName: group, nextToken: 'bogus' }))),
      'InvalidParameterException: The specified nextToken is invalid.',
    );
    assert.match(
      await failure(logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '{ $.level = "x" }' }))),
      /^InvalidParameterException: batchlink does not evaluate JSON/,
    );
    assert.equal(
      await failure(logs.send(new FilterLogEventsCommand({ logGroupName: 'nope-group' }))),
      'ResourceNotFoundException: The specified log group does not exist.',
    );
  });
});

describe('isolation', () => {
  test('another account sees none of this account’s groups and may reuse the names', async () => {
    const name = unique('isolated');
    await groupWithStream(name, 's');
    await put(name, 's', [[Date.now(), 'secret']]);
    assert.deepEqual((await second.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups, []);
    assert.equal(
      await failure(second.send(new GetLogEventsCommand({ logGroupName: name, logStreamName: 's' }))),
      'ResourceNotFoundException: The specified log group does not exist.',
    );
    assert.equal(
      await failure(second.send(new FilterLogEventsCommand({ logGroupIdentifier: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}` }))),
      'ResourceNotFoundException: The specified log group does not exist.',
    );
    await second.send(new CreateLogGroupCommand({ logGroupName: name }));
    const [theirs] = (await second.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups ?? [];
    assert.equal(theirs?.arn, `arn:aws:logs:us-east-1:${SECOND}:log-group:${name}:*`);
    await second.send(new DeleteLogGroupCommand({ logGroupName: name }));
    const mine = await logs.send(new GetLogEventsCommand({ logGroupName: name, logStreamName: 's' }));
    assert.deepEqual(
      mine.events?.map((e) => e.message),
      ['secret'],
    );
  });

  test('another region of the same account is separate', async () => {
    const name = unique('regional');
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    assert.deepEqual((await west.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups, []);
    await west.send(new CreateLogGroupCommand({ logGroupName: name }));
    const [g] = (await west.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups ?? [];
    assert.equal(g?.logGroupArn, `arn:aws:logs:us-west-2:${ACCOUNT}:log-group:${name}`);
  });
});
