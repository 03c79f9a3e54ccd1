/**
 * The log-events port: the logs domain stores and reads events only through this. Events are
 * ordered by (timestamp, seq), where seq is the store's insertion counter, so two events with
 * the same timestamp keep the order they arrived in. Reads are lazy so a caller can stop at a
 * response-size cap without materialising every row.
 */
import type { Scope } from '../core/context.js';

/** A position in the (timestamp, seq) order. */
export interface EventKey {
  timestamp: number;
  seq: number;
}

export interface NewLogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

export interface StoredLogEvent extends EventKey {
  logStreamName: string;
  message: string;
  ingestionTime: number;
}

/** One stream, in either direction. Time bounds: startTime inclusive, endTime exclusive. */
export interface StreamRead {
  scope: Scope;
  logGroupName: string;
  logStreamName: string;
  startTime?: number;
  endTime?: number;
  /** Only keys >= from. */
  from?: EventKey;
  /** Only keys < before. */
  before?: EventKey;
  direction: 'forward' | 'backward';
}

/** A whole group (optionally some streams), ascending. startTime and endTime both inclusive. */
export interface GroupScan {
  scope: Scope;
  logGroupName: string;
  logStreamNames?: readonly string[];
  logStreamNamePrefix?: string;
  startTime?: number;
  endTime?: number;
  /** Only keys >= from. */
  from?: EventKey;
}

export interface LogEventRepository {
  append(scope: Scope, logGroupName: string, logStreamName: string, events: readonly NewLogEvent[]): void;
  /** Events of one stream: ascending for 'forward', descending for 'backward'. */
  read(query: StreamRead): Iterable<StoredLogEvent>;
  /** Events of a group across its streams, ascending by (timestamp, seq). */
  scan(query: GroupScan): Iterable<StoredLogEvent>;
  deleteStream(scope: Scope, logGroupName: string, logStreamName: string): void;
  deleteGroup(scope: Scope, logGroupName: string): void;
}
