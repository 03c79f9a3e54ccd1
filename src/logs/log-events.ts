/**
 * Writing and reading log events: PutLogEvents' batch rules (API reference, in the order
 * batchlink checks them: event size, batch size, chronological order, then per-event time
 * windows and the 24-hour span of the accepted events), GetLogEvents' f/ b/ boundary tokens and
 * FilterLogEvents' interleaved, pattern-matched scan. Responses stop at 1 MB like AWS's.
 */
import type { Clock } from '../core/clock.js';
import type { Scope } from '../core/context.js';
import { ApiError } from '../core/errors.js';
import type { DocumentRepository } from '../core/repository.js';
import { compileFilterPattern } from './filter-pattern.js';
import type { Matcher } from './filter-pattern.js';
import type { EventKey, LogEventRepository, StoredLogEvent } from './log-event-repository.js';
import { eventSize, LIMITS, streamId } from './model.js';
import type { InputLogEvent, LogGroup, LogStream } from './model.js';
import { decodeBoundary, decodeCursor, encodeBoundary, encodeCursor, eventId, isEventKey } from './tokens.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** FilterLogEvents reads at most this many stored events per call, then returns a nextToken. */
const FILTER_SCAN_BUDGET = 200_000;

export interface RejectedLogEventsInfo {
  tooNewLogEventStartIndex?: number;
  tooOldLogEventEndIndex?: number;
  expiredLogEventEndIndex?: number;
}

export interface PutResult {
  nextSequenceToken: string;
  rejectedLogEventsInfo?: RejectedLogEventsInfo;
}

export interface GetQuery {
  startTime?: number;
  endTime?: number;
  nextToken?: string;
  startFromHead?: boolean;
  limit?: number;
}

export interface OutputLogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

export interface GetResult {
  events: OutputLogEvent[];
  nextForwardToken: string;
  nextBackwardToken: string;
}

export interface FilterQuery {
  logStreamNames?: readonly string[];
  logStreamNamePrefix?: string;
  startTime?: number;
  endTime?: number;
  filterPattern?: string;
  nextToken?: string;
  limit?: number;
}

export interface FilteredLogEvent extends OutputLogEvent {
  logStreamName: string;
  eventId: string;
}

export interface FilterResult {
  events: FilteredLogEvent[];
  nextToken?: string;
}

export class LogEvents {
  constructor(
    private readonly deps: {
      groups: DocumentRepository<LogGroup>;
      streams: DocumentRepository<LogStream>;
      events: LogEventRepository;
      clock: Clock;
    },
  ) {}

  /** Request-level batch rules, checked before the group and stream are looked up. */
  checkBatch(events: readonly InputLogEvent[]): void {
    let total = 0;
    for (const event of events) {
      const size = eventSize(event.message);
      if (size > LIMITS.maxEventBytes) throw invalid(`Log event too large: ${size} bytes exceeds limit of ${LIMITS.maxEventBytes}`);
      total += size;
    }
    if (total > LIMITS.maxBatchBytes) {
      throw invalid(`Upload too large: ${total} bytes exceeds limit of ${LIMITS.maxBatchBytes}`);
    }
    for (let i = 1; i < events.length; i++) {
      if ((events[i]?.timestamp ?? 0) < (events[i - 1]?.timestamp ?? 0)) {
        throw invalid('Log events in a single PutLogEvents request must be in chronological order.');
      }
    }
  }

  /**
   * Accepts the events inside AWS's time window (at most 14 days old, at most 2 hours ahead,
   * not older than the group's retention) and reports the others as rejected by index.
   */
  put(scope: Scope, group: LogGroup, stream: LogStream, events: readonly InputLogEvent[]): PutResult {
    const now = this.deps.clock.now();
    const tooOldBefore = now - LIMITS.maxPastMs;
    const expiredBefore = group.retentionInDays !== undefined ? now - group.retentionInDays * DAY_MS : undefined;
    const tooNewAfter = now + LIMITS.maxFutureMs;
    let tooOldEnd = 0;
    let expiredEnd = 0;
    let tooNewStart = events.length;
    events.forEach((event, i) => {
      if (event.timestamp < tooOldBefore) tooOldEnd = i + 1;
      if (expiredBefore !== undefined && event.timestamp < expiredBefore) expiredEnd = i + 1;
      if (event.timestamp > tooNewAfter && tooNewStart === events.length) tooNewStart = i;
    });
    const accepted = events.slice(Math.max(tooOldEnd, expiredEnd), tooNewStart);
    const first = accepted[0];
    const last = accepted[accepted.length - 1];
    if (first && last && last.timestamp - first.timestamp > LIMITS.maxBatchSpanMs) {
      throw invalid('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
    }
    this.store(scope, group, stream, accepted, now);
    const rejected: RejectedLogEventsInfo = {
      ...(tooNewStart < events.length ? { tooNewLogEventStartIndex: tooNewStart } : {}),
      ...(tooOldEnd > 0 ? { tooOldLogEventEndIndex: tooOldEnd } : {}),
      ...(expiredEnd > 0 ? { expiredLogEventEndIndex: expiredEnd } : {}),
    };
    return {
      nextSequenceToken: sequenceToken(stream.eventCount),
      ...(Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {}),
    };
  }

  /** Appends events and updates the stream's and group's statistics (caller's transaction). */
  store(scope: Scope, group: LogGroup, stream: LogStream, events: readonly InputLogEvent[], now: number): void {
    if (events.length === 0) return;
    let bytes = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const event of events) {
      bytes += eventSize(event.message) - LIMITS.eventOverheadBytes;
      if (event.timestamp < min) min = event.timestamp;
      if (event.timestamp > max) max = event.timestamp;
    }
    this.deps.events.append(
      scope,
      stream.logGroupName,
      stream.logStreamName,
      events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: now })),
    );
    stream.firstEventTimestamp = Math.min(stream.firstEventTimestamp ?? Infinity, min);
    stream.lastEventTimestamp = Math.max(stream.lastEventTimestamp ?? -Infinity, max);
    stream.lastIngestionTime = now;
    stream.storedBytes += bytes;
    stream.eventCount += events.length;
    group.storedBytes += bytes;
    this.deps.streams.put(scope, streamId(stream.logGroupName, stream.logStreamName), stream);
    this.deps.groups.put(scope, group.logGroupName, group);
  }

  /**
   * GetLogEvents. Tokens are boundaries between events: `f/K` reads forward from K, `b/K` reads
   * backward from K. When nothing lies beyond a token the same token comes back, which is how
   * clients (and AWS's own paginators) know they reached the end.
   */
  get(scope: Scope, logGroupName: string, logStreamName: string, query: GetQuery): GetResult {
    const token = query.nextToken !== undefined ? decodeBoundary(query.nextToken) : undefined;
    const direction = token ? (token.direction === 'f' ? 'forward' : 'backward') : query.startFromHead ? 'forward' : 'backward';
    const rows = collect(
      this.deps.events.read({
        scope,
        logGroupName,
        logStreamName,
        direction,
        ...(query.startTime !== undefined ? { startTime: query.startTime } : {}),
        ...(query.endTime !== undefined ? { endTime: query.endTime } : {}),
        ...(token?.direction === 'f' ? { from: token.key } : {}),
        ...(token?.direction === 'b' ? { before: token.key } : {}),
      }),
      query.limit ?? LIMITS.maxEventsPerRead,
    ).rows;
    if (direction === 'backward') rows.reverse();
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (!first || !last) {
      const boundary = token?.key ?? { timestamp: query.startTime ?? 0, seq: 0 };
      return { events: [], nextForwardToken: encodeBoundary('f', boundary), nextBackwardToken: encodeBoundary('b', boundary) };
    }
    return {
      events: rows.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      nextForwardToken: encodeBoundary('f', { timestamp: last.timestamp, seq: last.seq + 1 }),
      nextBackwardToken: encodeBoundary('b', { timestamp: first.timestamp, seq: first.seq }),
    };
  }

  compile(query: FilterQuery): Matcher {
    if (query.logStreamNames !== undefined && query.logStreamNamePrefix !== undefined) {
      throw invalid('logStreamNamePrefix and logStreamNames are mutually exclusive parameters.');
    }
    return compileFilterPattern(query.filterPattern);
  }

  /** FilterLogEvents: events of the group's streams interleaved by time; nextToken only when more may follow. */
  filter(scope: Scope, logGroupName: string, query: FilterQuery, matcher: Matcher): FilterResult {
    const from = query.nextToken !== undefined ? decodeCursor(query.nextToken, isEventKey) : undefined;
    const { rows, next } = collect(
      this.deps.events.scan({
        scope,
        logGroupName,
        ...(query.logStreamNames !== undefined ? { logStreamNames: query.logStreamNames } : {}),
        ...(query.logStreamNamePrefix !== undefined ? { logStreamNamePrefix: query.logStreamNamePrefix } : {}),
        ...(query.startTime !== undefined ? { startTime: query.startTime } : {}),
        ...(query.endTime !== undefined ? { endTime: query.endTime } : {}),
        ...(from ? { from } : {}),
      }),
      query.limit ?? LIMITS.maxEventsPerRead,
      (e) => matcher(e.message),
    );
    return {
      events: rows.map((e) => ({
        logStreamName: e.logStreamName,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
        eventId: eventId(e),
      })),
      ...(next ? { nextToken: encodeCursor({ timestamp: next.timestamp, seq: next.seq }) } : {}),
    };
  }
}

function invalid(message: string): ApiError {
  return new ApiError('InvalidParameterException', message);
}

/** AWS still returns a (now ignored) sequence token: 56 digits that grow with the stream. */
function sequenceToken(eventCount: number): string {
  return String(eventCount + 1).padStart(56, '0');
}

/**
 * Takes events until `limit` matches or the 1 MB response cap; `next` is the first event not
 * consumed (set only when iteration stopped early). Unmatched events count against the scan budget.
 */
function collect(
  source: Iterable<StoredLogEvent>,
  limit: number,
  keep: (e: StoredLogEvent) => boolean = () => true,
): { rows: StoredLogEvent[]; next?: EventKey } {
  const rows: StoredLogEvent[] = [];
  let bytes = 0;
  let scanned = 0;
  for (const event of source) {
    if (rows.length >= limit || scanned >= FILTER_SCAN_BUDGET) return { rows, next: event };
    scanned++;
    if (!keep(event)) continue;
    const size = eventSize(event.message);
    if (rows.length > 0 && bytes + size > LIMITS.maxResponseBytes) return { rows, next: event };
    rows.push(event);
    bytes += size;
  }
  return { rows };
}
