/**
 * The CloudWatch Logs domain: log groups, log streams, retention and tags, and the job-output
 * sink AWS Batch writes to (`/aws/batch/job` is created on first use, as AWS Batch does).
 * Reading and writing events is in log-events.ts. Every operation is scoped to an account and
 * region; errors carry AWS's exact codes and messages.
 */
import type { Clock } from '../core/clock.js';
import type { Scope } from '../core/context.js';
import { ApiError } from '../core/errors.js';
import type { DocumentRepository, UnitOfWork } from '../core/repository.js';
import type { JobLogSink, OutputLine } from '../batch/executor.js';
import type { LogEventRepository } from './log-event-repository.js';
import { LogEvents } from './log-events.js';
import type { FilterQuery, FilterResult, GetQuery, GetResult, PutResult } from './log-events.js';
import { LIMITS, streamId } from './model.js';
import type { InputLogEvent, LogGroup, LogGroupClass, LogStream } from './model.js';
import { decodeCursor, encodeCursor } from './tokens.js';

export interface CloudWatchLogsDeps {
  groups: DocumentRepository<LogGroup>;
  streams: DocumentRepository<LogStream>;
  events: LogEventRepository;
  clock: Clock;
  uow: UnitOfWork;
}

export const GROUP_NOT_FOUND = 'The specified log group does not exist.';
export const STREAM_NOT_FOUND = 'The specified log stream does not exist.';

export function groupNotFound(): ApiError {
  return new ApiError('ResourceNotFoundException', GROUP_NOT_FOUND);
}

export interface DescribeGroupsQuery {
  logGroupNamePrefix?: string;
  logGroupNamePattern?: string;
  logGroupClass?: LogGroupClass;
  limit: number;
  nextToken?: string;
}

export interface DescribeStreamsQuery {
  logStreamNamePrefix?: string;
  orderBy: 'LogStreamName' | 'LastEventTime';
  descending: boolean;
  limit: number;
  nextToken?: string;
}

type StreamCursor = { n: string; t?: number };
const isStreamCursor = (v: unknown): v is StreamCursor => typeof v === 'object' && v !== null && typeof (v as StreamCursor).n === 'string';
const isGroupCursor = (v: unknown): v is { g: string } =>
  typeof v === 'object' && v !== null && typeof (v as { g: unknown }).g === 'string';

export class CloudWatchLogs implements JobLogSink {
  private readonly events: LogEvents;

  constructor(private readonly deps: CloudWatchLogsDeps) {
    this.events = new LogEvents(deps);
  }

  // --- log groups -------------------------------------------------------------------------

  createLogGroup(
    scope: Scope,
    input: { logGroupName: string; kmsKeyId?: string; tags?: Record<string, string>; logGroupClass?: LogGroupClass },
  ): void {
    const group: LogGroup = {
      logGroupName: input.logGroupName,
      creationTime: this.deps.clock.now(),
      logGroupClass: input.logGroupClass ?? 'STANDARD',
      tags: { ...(input.tags ?? {}) },
      storedBytes: 0,
      ...(input.kmsKeyId !== undefined ? { kmsKeyId: input.kmsKeyId } : {}),
    };
    if (!this.deps.groups.insert(scope, group.logGroupName, group)) {
      throw new ApiError('ResourceAlreadyExistsException', 'The specified log group already exists');
    }
  }

  /** Deletes the group, its streams and their events, in one transaction. */
  deleteLogGroup(scope: Scope, logGroupName: string): void {
    this.deps.uow.transaction(() => {
      this.requireGroup(scope, logGroupName);
      for (const stream of this.streamsOf(scope, logGroupName)) {
        this.deps.streams.delete(scope, streamId(logGroupName, stream.logStreamName));
      }
      this.deps.events.deleteGroup(scope, logGroupName);
      this.deps.groups.delete(scope, logGroupName);
    });
  }

  /** Sorted by name (as AWS lists them); the token is the last name returned. */
  describeLogGroups(scope: Scope, query: DescribeGroupsQuery): { logGroups: LogGroup[]; nextToken?: string } {
    const after = query.nextToken !== undefined ? decodeCursor(query.nextToken, isGroupCursor).g : undefined;
    const matching = this.deps.groups
      .list(scope)
      .filter(
        (g) =>
          (query.logGroupNamePrefix === undefined || g.logGroupName.startsWith(query.logGroupNamePrefix)) &&
          (query.logGroupNamePattern === undefined || g.logGroupName.includes(query.logGroupNamePattern)) &&
          (query.logGroupClass === undefined || g.logGroupClass === query.logGroupClass) &&
          (after === undefined || g.logGroupName > after),
      )
      .sort((a, b) => compare(a.logGroupName, b.logGroupName));
    const page = matching.slice(0, query.limit);
    const last = page[page.length - 1];
    return { logGroups: page, ...(matching.length > query.limit && last ? { nextToken: encodeCursor({ g: last.logGroupName }) } : {}) };
  }

  putRetentionPolicy(scope: Scope, logGroupName: string, retentionInDays: number): void {
    this.updateGroup(scope, logGroupName, (g) => (g.retentionInDays = retentionInDays));
  }

  deleteRetentionPolicy(scope: Scope, logGroupName: string): void {
    this.updateGroup(scope, logGroupName, (g) => delete g.retentionInDays);
  }

  tagLogGroup(scope: Scope, logGroupName: string, tags: Record<string, string>): void {
    this.updateGroup(scope, logGroupName, (g) => {
      const merged = { ...g.tags, ...tags };
      if (Object.keys(merged).length > LIMITS.maxTagsPerGroup) {
        throw new ApiError('TooManyTagsException', `A resource can have no more than ${LIMITS.maxTagsPerGroup} tags.`);
      }
      g.tags = merged;
    });
  }

  untagLogGroup(scope: Scope, logGroupName: string, tagKeys: readonly string[]): void {
    this.updateGroup(scope, logGroupName, (g) => {
      for (const key of tagKeys) delete g.tags[key];
    });
  }

  listTags(scope: Scope, logGroupName: string): Record<string, string> {
    return this.requireGroup(scope, logGroupName).tags;
  }

  getLogGroup(scope: Scope, logGroupName: string): LogGroup | undefined {
    return this.deps.groups.get(scope, logGroupName);
  }

  // --- log streams ------------------------------------------------------------------------

  createLogStream(scope: Scope, logGroupName: string, logStreamName: string): void {
    this.deps.uow.transaction(() => {
      this.requireGroup(scope, logGroupName);
      const stream: LogStream = { logGroupName, logStreamName, creationTime: this.deps.clock.now(), storedBytes: 0, eventCount: 0 };
      if (!this.deps.streams.insert(scope, streamId(logGroupName, logStreamName), stream)) {
        throw new ApiError('ResourceAlreadyExistsException', 'The specified log stream already exists');
      }
    });
  }

  deleteLogStream(scope: Scope, logGroupName: string, logStreamName: string): void {
    this.deps.uow.transaction(() => {
      const group = this.requireGroup(scope, logGroupName);
      const stream = this.requireStream(scope, logGroupName, logStreamName);
      this.deps.events.deleteStream(scope, logGroupName, logStreamName);
      this.deps.streams.delete(scope, streamId(logGroupName, logStreamName));
      group.storedBytes = Math.max(0, group.storedBytes - stream.storedBytes);
      this.deps.groups.put(scope, logGroupName, group);
    });
  }

  describeLogStreams(scope: Scope, logGroupName: string, query: DescribeStreamsQuery): { logStreams: LogStream[]; nextToken?: string } {
    this.requireGroup(scope, logGroupName);
    const byTime = query.orderBy === 'LastEventTime';
    const sign = query.descending ? -1 : 1;
    const order = (a: StreamCursor, b: StreamCursor): number => sign * ((byTime ? (a.t ?? 0) - (b.t ?? 0) : 0) || compare(a.n, b.n));
    const cursorOf = (s: LogStream): StreamCursor =>
      byTime ? { n: s.logStreamName, t: s.lastEventTimestamp ?? 0 } : { n: s.logStreamName };
    const after = query.nextToken !== undefined ? decodeCursor(query.nextToken, isStreamCursor) : undefined;
    const matching = this.streamsOf(scope, logGroupName)
      .filter((s) => query.logStreamNamePrefix === undefined || s.logStreamName.startsWith(query.logStreamNamePrefix))
      .filter((s) => after === undefined || order(cursorOf(s), after) > 0)
      .sort((a, b) => order(cursorOf(a), cursorOf(b)));
    const page = matching.slice(0, query.limit);
    const last = page[page.length - 1];
    return { logStreams: page, ...(matching.length > query.limit && last ? { nextToken: encodeCursor(cursorOf(last)) } : {}) };
  }

  // --- events -----------------------------------------------------------------------------

  putLogEvents(scope: Scope, logGroupName: string, logStreamName: string, events: readonly InputLogEvent[]): PutResult {
    return this.deps.uow.transaction(() => {
      this.events.checkBatch(events);
      const group = this.requireGroup(scope, logGroupName);
      const stream = this.requireStream(scope, logGroupName, logStreamName);
      return this.events.put(scope, group, stream, events);
    });
  }

  getLogEvents(scope: Scope, logGroupName: string, logStreamName: string, query: GetQuery): GetResult {
    this.requireGroup(scope, logGroupName);
    this.requireStream(scope, logGroupName, logStreamName);
    return this.events.get(scope, logGroupName, logStreamName, query);
  }

  filterLogEvents(scope: Scope, logGroupName: string, query: FilterQuery): FilterResult {
    const matcher = this.events.compile(query);
    this.requireGroup(scope, logGroupName);
    return this.events.filter(scope, logGroupName, query, matcher);
  }

  /**
   * JobLogSink: appends one batch of a job's output, creating the group and stream when they
   * are missing, in one transaction. Empty lines are dropped (CloudWatch Logs refuses empty
   * messages) and lines above the event-size limit are split, as the awslogs driver does.
   */
  appendJobOutput(scope: Scope, group: string, stream: string, lines: OutputLine[]): void {
    const now = this.deps.clock.now();
    this.deps.uow.transaction(() => {
      let logGroup = this.deps.groups.get(scope, group);
      if (!logGroup) {
        logGroup = { logGroupName: group, creationTime: now, logGroupClass: 'STANDARD', tags: {}, storedBytes: 0 };
        this.deps.groups.put(scope, group, logGroup);
      }
      const id = streamId(group, stream);
      let logStream = this.deps.streams.get(scope, id);
      if (!logStream) {
        logStream = { logGroupName: group, logStreamName: stream, creationTime: now, storedBytes: 0, eventCount: 0 };
        this.deps.streams.put(scope, id, logStream);
      }
      this.events.store(scope, logGroup, logStream, splitLines(lines), now);
    });
  }

  // --- helpers ----------------------------------------------------------------------------

  private requireGroup(scope: Scope, logGroupName: string): LogGroup {
    const group = this.deps.groups.get(scope, logGroupName);
    if (!group) throw groupNotFound();
    return group;
  }

  private requireStream(scope: Scope, logGroupName: string, logStreamName: string): LogStream {
    const stream = this.deps.streams.get(scope, streamId(logGroupName, logStreamName));
    if (!stream) throw new ApiError('ResourceNotFoundException', STREAM_NOT_FOUND);
    return stream;
  }

  private updateGroup(scope: Scope, logGroupName: string, change: (group: LogGroup) => void): void {
    this.deps.uow.transaction(() => {
      const group = this.requireGroup(scope, logGroupName);
      change(group);
      this.deps.groups.put(scope, logGroupName, group);
    });
  }

  /** The streams of one group (stream ids start with the group name and a NUL). */
  private streamsOf(scope: Scope, logGroupName: string): LogStream[] {
    return this.deps.streams.list(scope).filter((s) => s.logGroupName === logGroupName);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const MAX_MESSAGE_BYTES = LIMITS.maxEventBytes - LIMITS.eventOverheadBytes;

function splitLines(lines: readonly OutputLine[]): InputLogEvent[] {
  const events: InputLogEvent[] = [];
  for (const line of lines) {
    if (line.message.length === 0) continue;
    if (Buffer.byteLength(line.message, 'utf8') <= MAX_MESSAGE_BYTES) {
      events.push({ timestamp: line.timestamp, message: line.message });
      continue;
    }
    // Split on code points so no character is cut in half; each piece stays under the limit.
    let piece = '';
    let bytes = 0;
    for (const ch of line.message) {
      const size = Buffer.byteLength(ch, 'utf8');
      if (bytes + size > MAX_MESSAGE_BYTES) {
        events.push({ timestamp: line.timestamp, message: piece });
        piece = '';
        bytes = 0;
      }
      piece += ch;
      bytes += size;
    }
    if (piece) events.push({ timestamp: line.timestamp, message: piece });
  }
  return events;
}
