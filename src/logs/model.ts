/**
 * CloudWatch Logs aggregates as batchlink stores them: log groups and log streams (documents)
 * and the limits AWS documents for them. Events live in the LogEventRepository port.
 * Names and field spellings follow the Logs_20140328 API shapes.
 */

export const LOG_GROUP_CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'] as const;
export type LogGroupClass = (typeof LOG_GROUP_CLASSES)[number];

/** The values PutRetentionPolicy accepts (AWS's enum, in AWS's order). */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export interface LogGroup {
  logGroupName: string;
  creationTime: number; // epoch ms
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: LogGroupClass;
  tags: Record<string, string>;
  /** UTF-8 bytes of every event message stored in the group. */
  storedBytes: number;
}

export interface LogStream {
  logGroupName: string;
  logStreamName: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  storedBytes: number;
  eventCount: number;
}

/** An event as a caller hands it in (PutLogEvents, job output). */
export interface InputLogEvent {
  timestamp: number;
  message: string;
}

/** Limits from the PutLogEvents, GetLogEvents and FilterLogEvents API references. */
export const LIMITS = {
  maxEventsPerBatch: 10_000,
  maxBatchBytes: 1_048_576,
  maxEventBytes: 1_048_576,
  eventOverheadBytes: 26,
  maxBatchSpanMs: 24 * 60 * 60 * 1000,
  maxFutureMs: 2 * 60 * 60 * 1000,
  maxPastMs: 14 * 24 * 60 * 60 * 1000,
  maxEventsPerRead: 10_000,
  maxResponseBytes: 1_048_576,
  maxTagsPerGroup: 50,
} as const;

/** Document id of a stream in the 'log-stream' kind: unique per (account, region). */
export function streamId(logGroupName: string, logStreamName: string): string {
  return `${logGroupName}\u0000${logStreamName}`;
}

/** Bytes an event counts for in AWS's batch-size arithmetic. */
export function eventSize(message: string): number {
  return Buffer.byteLength(message, 'utf8') + LIMITS.eventOverheadBytes;
}
