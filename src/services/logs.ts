/**
 * The CloudWatch Logs service (awsJson1.1, target prefix Logs_20140328): one handler per AWS
 * operation (validate with AWS's messages -> domain call -> AWS output shape) and the IAM
 * resource each operation is authorized against (Service Authorization Reference for
 * CloudWatch Logs; resource strings as AWS prints them in its access-denied messages).
 */
import { buildArn, parseArn } from '../core/arn.js';
import type { RequestContext } from '../core/context.js';
import { scopeOf } from '../core/context.js';
import { ApiError } from '../core/errors.js';
import type { CloudWatchLogs } from '../logs/logs.js';
import { groupNotFound } from '../logs/logs.js';
import type { LogGroup, LogStream } from '../logs/model.js';
import { LOG_GROUP_CLASSES, RETENTION_DAYS } from '../logs/model.js';
import { AwsJsonCodec } from '../protocol/aws-json.js';
import { jsonProtocolErrors } from '../protocol/auth-errors.js';
import { Constraints } from './logs-input.js';
import type { StringConstraint } from './logs-input.js';
import type { AuthorizationTarget, Handler, Input, ServiceDefinition } from './types.js';
import { Validator } from '../core/validate.js';

const v: Validator = new Validator('InvalidParameterException');

// Shapes of the Logs_20140328 model.
const GROUP_NAME: StringConstraint = { min: 1, max: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/, patternText: '[\\.\\-_/#A-Za-z0-9]+' };
const GROUP_PATTERN: StringConstraint = { max: 512, pattern: /^[.\-_/#A-Za-z0-9]*$/, patternText: '[\\.\\-_/#A-Za-z0-9]*' };
const STREAM_NAME: StringConstraint = { min: 1, max: 512, pattern: /^[^:*]*$/, patternText: '[^:*]*' };
const GROUP_IDENTIFIER: StringConstraint = { min: 1, max: 2048, pattern: /^[\w#+=/:,.@-]*$/, patternText: '[\\w#+=/:,.@-]*' };
const RESOURCE_ARN: StringConstraint = { min: 1, max: 1011, pattern: /^[\w+=/:,.@-]*$/, patternText: '[\\w+=/:,.@-]*' };
const TAG_KEY: StringConstraint = {
  min: 1,
  max: 128,
  pattern: /^([\p{L}\p{Z}\p{N}_.:/=+\-@]+)$/u,
  patternText: '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$',
};
const TAG_VALUE: StringConstraint = {
  max: 256,
  pattern: /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u,
  patternText: '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$',
};
const TOKEN: StringConstraint = { min: 1 };
const TIME = { min: 0 };
const DESCRIBE_LIMIT = { min: 1, max: 50 };
const EVENTS_LIMIT = { min: 1, max: 10_000 };

export const LOGS_OPERATIONS = [
  'CreateLogGroup',
  'DeleteLogGroup',
  'DescribeLogGroups',
  'CreateLogStream',
  'DeleteLogStream',
  'DescribeLogStreams',
  'PutLogEvents',
  'GetLogEvents',
  'FilterLogEvents',
  'PutRetentionPolicy',
  'DeleteRetentionPolicy',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
  'TagLogGroup',
  'UntagLogGroup',
  'ListTagsLogGroup',
] as const;
type Operation = (typeof LOGS_OPERATIONS)[number];

function groupArn(ctx: RequestContext, name: string): string {
  return buildArn('logs', ctx.region, ctx.principal.accountId, `log-group:${name}`);
}

function groupShape(ctx: RequestContext, g: LogGroup) {
  const arn = groupArn(ctx, g.logGroupName);
  return {
    logGroupName: g.logGroupName,
    creationTime: g.creationTime,
    ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
    metricFilterCount: 0,
    arn: `${arn}:*`,
    storedBytes: g.storedBytes,
    ...(g.kmsKeyId !== undefined ? { kmsKeyId: g.kmsKeyId } : {}),
    logGroupClass: g.logGroupClass,
    logGroupArn: arn,
  };
}

function streamShape(ctx: RequestContext, s: LogStream) {
  return {
    logStreamName: s.logStreamName,
    creationTime: s.creationTime,
    ...(s.firstEventTimestamp !== undefined ? { firstEventTimestamp: s.firstEventTimestamp } : {}),
    ...(s.lastEventTimestamp !== undefined ? { lastEventTimestamp: s.lastEventTimestamp } : {}),
    ...(s.lastIngestionTime !== undefined ? { lastIngestionTime: s.lastIngestionTime } : {}),
    uploadSequenceToken: String(s.eventCount + 1).padStart(56, '0'),
    arn: `${groupArn(ctx, s.logGroupName)}:log-stream:${s.logStreamName}`,
    storedBytes: 0, // deprecated for streams: AWS reports zero
  };
}

/** logGroupName or logGroupIdentifier (a name or this account's log-group ARN), exactly one. */
function resolveGroup(c: Constraints, input: Input, ctx: RequestContext): () => string {
  const name = c.string('logGroupName', GROUP_NAME);
  const identifier = c.string('logGroupIdentifier', GROUP_IDENTIFIER);
  return () => {
    if (name !== undefined && identifier !== undefined) {
      throw new ApiError('ValidationException', 'LogGroup name and LogGroup ARN are mutually exclusive parameters.');
    }
    if (name !== undefined) return name;
    if (identifier === undefined) v.fail('Either logGroupName or logGroupIdentifier must be specified.');
    if (!identifier.startsWith('arn:')) return identifier;
    return ownGroupName(identifier, ctx);
  };
}

/** The group name an ARN names in the caller's account and region (with or without `:*`). */
function ownGroupName(arn: string, ctx: RequestContext): string {
  const parsed = parseArn(arn);
  const match = parsed && /^log-group:([^:]+)(:\*)?$/.exec(parsed.resource);
  if (!parsed || parsed.service !== 'logs' || !match?.[1]) v.fail(`Invalid ARN: ${arn}`);
  if (parsed.account !== ctx.principal.accountId || parsed.region !== ctx.region || parsed.partition !== ctx.partition) {
    throw groupNotFound();
  }
  return match[1];
}

function tagsOf(c: Constraints, input: Input, field: string, required: boolean): Record<string, string> | undefined {
  const tags = v.optionalStringMap(input, field);
  if (tags === undefined) {
    if (required) c.missingAt(field);
    return undefined;
  }
  const entries = Object.entries(tags);
  if (entries.length < 1) c.violate(field, '{}', 'Member must have length greater than or equal to 1');
  if (entries.length > 50) c.violate(field, undefined, 'Member must have length less than or equal to 50');
  // AWS reports map members as "Map keys must satisfy constraint: [<violations>]".
  const keyProblems = new Set<string>();
  const valueProblems = new Set<string>();
  for (const [key, value] of entries) {
    for (const p of Constraints.problems(key, TAG_KEY)) keyProblems.add(p);
    for (const p of Constraints.problems(value, TAG_VALUE)) valueProblems.add(p);
  }
  if (keyProblems.size > 0) c.violate(field, undefined, `Map keys must satisfy constraint: [${[...keyProblems].join(', ')}]`);
  if (valueProblems.size > 0) c.violate(field, undefined, `Map values must satisfy constraint: [${[...valueProblems].join(', ')}]`);
  return tags;
}

function tagKeysOf(c: Constraints, input: Input, field: string): string[] {
  const keys = c.list(field, { required: true, max: 50 }) ?? [];
  return keys.map((key, i) => {
    if (typeof key !== 'string') v.fail(`${field} must be a list of strings.`);
    return c.checkString(`${field}.${i + 1}.member`, key, TAG_KEY);
  });
}

function eventsOf(c: Constraints): Array<{ timestamp: number; message: string }> {
  const list = c.list('logEvents', { required: true, min: 1, max: 10_000 }) ?? [];
  return list.map((item, i) => {
    const at = `logEvents.${i + 1}.member`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) v.fail(`${at} must be a structure.`);
    const event = item as Input;
    const timestamp = v.optionalInteger(event, 'timestamp');
    const message = v.optionalString(event, 'message');
    if (timestamp === undefined) c.missingAt(`${at}.timestamp`);
    else c.checkNumber(`${at}.timestamp`, timestamp, TIME);
    if (message === undefined) c.missingAt(`${at}.message`);
    else c.checkString(`${at}.message`, message, { min: 1 });
    return { timestamp: timestamp ?? 0, message: message ?? '' };
  });
}

export function createLogsService(logs: CloudWatchLogs): ServiceDefinition {
  const operations: Record<Operation, Handler> = {
    CreateLogGroup(input, ctx) {
      const c = new Constraints(v, input);
      const logGroupName = c.string('logGroupName', { ...GROUP_NAME, required: true });
      const kmsKeyId = c.string('kmsKeyId', { max: 256 });
      const logGroupClass = c.enum('logGroupClass', LOG_GROUP_CLASSES);
      const tags = tagsOf(c, input, 'tags', false);
      c.done();
      if (/^aws\//i.test(logGroupName ?? '')) v.fail('Log groups starting with AWS/ are reserved for AWS.');
      logs.createLogGroup(scopeOf(ctx), {
        logGroupName: logGroupName ?? '',
        ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
        ...(tags !== undefined ? { tags } : {}),
        ...(logGroupClass !== undefined ? { logGroupClass } : {}),
      });
      return {};
    },
    DeleteLogGroup(input, ctx) {
      const c = new Constraints(v, input);
      const name = c.string('logGroupName', { ...GROUP_NAME, required: true });
      c.done();
      logs.deleteLogGroup(scopeOf(ctx), name ?? '');
      return {};
    },
    DescribeLogGroups(input, ctx) {
      const c = new Constraints(v, input);
      const prefix = c.string('logGroupNamePrefix', GROUP_NAME);
      const pattern = c.string('logGroupNamePattern', GROUP_PATTERN);
      const nextToken = c.string('nextToken', TOKEN);
      const limit = c.integer('limit', DESCRIBE_LIMIT);
      const logGroupClass = c.enum('logGroupClass', LOG_GROUP_CLASSES);
      c.done();
      if (prefix !== undefined && pattern !== undefined) {
        v.fail('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
      }
      const page = logs.describeLogGroups(scopeOf(ctx), {
        limit: limit ?? 50,
        ...(prefix !== undefined ? { logGroupNamePrefix: prefix } : {}),
        ...(pattern ? { logGroupNamePattern: pattern } : {}),
        ...(logGroupClass !== undefined ? { logGroupClass } : {}),
        ...(nextToken !== undefined ? { nextToken } : {}),
      });
      return { logGroups: page.logGroups.map((g) => groupShape(ctx, g)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },
    CreateLogStream(input, ctx) {
      const c = new Constraints(v, input);
      const group = c.string('logGroupName', { ...GROUP_NAME, required: true });
      const stream = c.string('logStreamName', { ...STREAM_NAME, required: true });
      c.done();
      logs.createLogStream(scopeOf(ctx), group ?? '', stream ?? '');
      return {};
    },
    DeleteLogStream(input, ctx) {
      const c = new Constraints(v, input);
      const group = c.string('logGroupName', { ...GROUP_NAME, required: true });
      const stream = c.string('logStreamName', { ...STREAM_NAME, required: true });
      c.done();
      logs.deleteLogStream(scopeOf(ctx), group ?? '', stream ?? '');
      return {};
    },
    DescribeLogStreams(input, ctx) {
      const c = new Constraints(v, input);
      const group = resolveGroup(c, input, ctx);
      const prefix = c.string('logStreamNamePrefix', STREAM_NAME);
      const orderBy = c.enum('orderBy', ['LogStreamName', 'LastEventTime'] as const);
      const descending = v.optionalBoolean(input, 'descending');
      const nextToken = c.string('nextToken', TOKEN);
      const limit = c.integer('limit', DESCRIBE_LIMIT);
      c.done();
      const name = group();
      if (orderBy === 'LastEventTime' && prefix !== undefined) v.fail('Cannot order by LastEventTime with a logStreamNamePrefix.');
      const page = logs.describeLogStreams(scopeOf(ctx), name, {
        orderBy: orderBy ?? 'LogStreamName',
        descending: descending ?? false,
        limit: limit ?? 50,
        ...(prefix !== undefined ? { logStreamNamePrefix: prefix } : {}),
        ...(nextToken !== undefined ? { nextToken } : {}),
      });
      return { logStreams: page.logStreams.map((s) => streamShape(ctx, s)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },
    PutLogEvents(input, ctx) {
      const c = new Constraints(v, input);
      const group = c.string('logGroupName', { ...GROUP_NAME, required: true });
      const stream = c.string('logStreamName', { ...STREAM_NAME, required: true });
      const events = eventsOf(c);
      c.string('sequenceToken', TOKEN); // accepted and ignored, as AWS now does
      c.done();
      return logs.putLogEvents(scopeOf(ctx), group ?? '', stream ?? '', events);
    },
    GetLogEvents(input, ctx) {
      const c = new Constraints(v, input);
      const group = resolveGroup(c, input, ctx);
      const stream = c.string('logStreamName', { ...STREAM_NAME, required: true });
      const startTime = c.integer('startTime', TIME);
      const endTime = c.integer('endTime', TIME);
      const nextToken = c.string('nextToken', TOKEN);
      const limit = c.integer('limit', EVENTS_LIMIT);
      const startFromHead = v.optionalBoolean(input, 'startFromHead');
      c.done();
      return logs.getLogEvents(scopeOf(ctx), group(), stream ?? '', {
        ...(startTime !== undefined ? { startTime } : {}),
        ...(endTime !== undefined ? { endTime } : {}),
        ...(nextToken !== undefined ? { nextToken } : {}),
        ...(limit !== undefined ? { limit } : {}),
        startFromHead: startFromHead ?? false,
      });
    },
    FilterLogEvents(input, ctx) {
      const c = new Constraints(v, input);
      const group = resolveGroup(c, input, ctx);
      const names = c.list('logStreamNames', { min: 1, max: 100 });
      const logStreamNames = names?.map((n, i) => {
        if (typeof n !== 'string') v.fail('logStreamNames must be a list of strings.');
        return c.checkString(`logStreamNames.${i + 1}.member`, n, STREAM_NAME);
      });
      const prefix = c.string('logStreamNamePrefix', STREAM_NAME);
      const startTime = c.integer('startTime', TIME);
      const endTime = c.integer('endTime', TIME);
      const filterPattern = c.string('filterPattern', { max: 1024 });
      const nextToken = c.string('nextToken', TOKEN);
      const limit = c.integer('limit', EVENTS_LIMIT);
      c.done();
      const result = logs.filterLogEvents(scopeOf(ctx), group(), {
        ...(logStreamNames !== undefined ? { logStreamNames } : {}),
        ...(prefix !== undefined ? { logStreamNamePrefix: prefix } : {}),
        ...(startTime !== undefined ? { startTime } : {}),
        ...(endTime !== undefined ? { endTime } : {}),
        ...(filterPattern !== undefined ? { filterPattern } : {}),
        ...(nextToken !== undefined ? { nextToken } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
      return { events: result.events, searchedLogStreams: [], ...(result.nextToken ? { nextToken: result.nextToken } : {}) };
    },
    PutRetentionPolicy(input, ctx) {
      const c = new Constraints(v, input);
      const name = c.string('logGroupName', { ...GROUP_NAME, required: true });
      const days = c.integer('retentionInDays', { required: true, oneOf: RETENTION_DAYS });
      c.done();
      logs.putRetentionPolicy(scopeOf(ctx), name ?? '', days ?? 0);
      return {};
    },
    DeleteRetentionPolicy(input, ctx) {
      const c = new Constraints(v, input);
      const name = c.string('logGroupName', { ...GROUP_NAME, required: true });
      c.done();
      logs.deleteRetentionPolicy(scopeOf(ctx), name ?? '');
      return {};
    },
    TagResource(input, ctx) {
      const c = new Constraints(v, input);
      const arn = c.string('resourceArn', { ...RESOURCE_ARN, required: true });
      const tags = tagsOf(c, input, 'tags', true);
      c.done();
      logs.tagLogGroup(scopeOf(ctx), ownGroupName(arn ?? '', ctx), tags ?? {});
      return {};
    },
    UntagResource(input, ctx) {
      const c = new Constraints(v, input);
      const arn = c.string('resourceArn', { ...RESOURCE_ARN, required: true });
      const keys = tagKeysOf(c, input, 'tagKeys');
      c.done();
      logs.untagLogGroup(scopeOf(ctx), ownGroupName(arn ?? '', ctx), keys);
      return {};
    },
    ListTagsForResource(input, ctx) {
      const c = new Constraints(v, input);
      const arn = c.string('resourceArn', { ...RESOURCE_ARN, required: true });
      c.done();
      return { tags: logs.listTags(scopeOf(ctx), ownGroupName(arn ?? '', ctx)) };
    },
    TagLogGroup(input, ctx) {
      const c = new Constraints(v, input);
      const name = c.string('logGroupName', { ...GROUP_NAME, required: true });
      const tags = tagsOf(c, input, 'tags', true);
      c.done();
      logs.tagLogGroup(scopeOf(ctx), name ?? '', tags ?? {});
      return {};
    },
    UntagLogGroup(input, ctx) {
      const c = new Constraints(v, input);
      const name = c.string('logGroupName', { ...GROUP_NAME, required: true });
      const keys = tagKeysOf(c, input, 'tags');
      c.done();
      logs.untagLogGroup(scopeOf(ctx), name ?? '', keys);
      return {};
    },
    ListTagsLogGroup(input, ctx) {
      const c = new Constraints(v, input);
      const name = c.string('logGroupName', { ...GROUP_NAME, required: true });
      c.done();
      return { tags: logs.listTags(scopeOf(ctx), name ?? '') };
    },
  };

  return {
    signingName: 'logs',
    actionPrefix: 'logs',
    codec: new AwsJsonCodec('Logs_20140328', LOGS_OPERATIONS),
    errors: jsonProtocolErrors('ServiceUnavailableException'),
    operations,
    authorization: logsAuthorization,
  };
}

const STREAM_LEVEL = new Set(['CreateLogStream', 'DeleteLogStream', 'PutLogEvents', 'GetLogEvents']);
const TAGGING = new Set(['TagResource', 'UntagResource', 'ListTagsForResource']);

/**
 * The resource each operation is checked against. Group-level operations use the group's
 * `…:log-group:<name>:log-stream:` form that AWS evaluates (so a policy on `…:log-group:<name>:*`
 * matches); stream-level operations name the stream; DescribeLogGroups names no group
 * (`…:log-group::log-stream:`); the tagging API uses the ARN it is given. Creating a group with
 * tags also needs logs:TagResource. Runs before validation, so it never throws.
 */
export function logsAuthorization(operation: string, input: Input, ctx: RequestContext): AuthorizationTarget[] {
  const str = (field: string) => (typeof input[field] === 'string' ? (input[field] as string) : '');
  const action = `logs:${operation}`;
  if (TAGGING.has(operation)) return [{ action, resource: str('resourceArn') || '*' }];
  let group = str('logGroupName');
  const identifier = str('logGroupIdentifier');
  if (!group && identifier) group = identifier.startsWith('arn:') ? (/:log-group:([^:]+)/.exec(identifier)?.[1] ?? '') : identifier;
  const base = groupArn(ctx, operation === 'DescribeLogGroups' ? '' : group);
  const resource = STREAM_LEVEL.has(operation) ? `${base}:log-stream:${str('logStreamName')}` : `${base}:log-stream:`;
  const targets: AuthorizationTarget[] = [{ action, resource }];
  if (operation === 'CreateLogGroup' && input.tags && typeof input.tags === 'object' && Object.keys(input.tags).length > 0) {
    targets.push({ action: 'logs:TagResource', resource: base });
  }
  return targets;
}
