/**
 * SQLite implementation of the log-events port over `log_events` (migration 3, plus the
 * group-time index of migration 4). Reads iterate lazily in (timestamp, seq) order using row
 * values, so a caller that stops early leaves the rest of the rows unread.
 */
import type { Scope } from '../core/context.js';
import type { GroupScan, LogEventRepository, NewLogEvent, StoredLogEvent, StreamRead } from '../logs/log-event-repository.js';
import type { Db } from './database.js';

interface Row {
  seq: number;
  log_stream: string;
  timestamp: number;
  ingestion_time: number;
  message: string;
}

const COLUMNS = 'seq, log_stream, timestamp, ingestion_time, message';

function toEvent(row: Row): StoredLogEvent {
  return { seq: row.seq, logStreamName: row.log_stream, timestamp: row.timestamp, ingestionTime: row.ingestion_time, message: row.message };
}

export class LogEventTable implements LogEventRepository {
  private readonly insertStmt;
  private readonly deleteStreamStmt;
  private readonly deleteGroupStmt;
  private readonly statements = new Map<string, ReturnType<Db['prepare']>>();

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      'INSERT INTO log_events (account, region, log_group, log_stream, timestamp, ingestion_time, message) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.deleteStreamStmt = db.prepare('DELETE FROM log_events WHERE account = ? AND region = ? AND log_group = ? AND log_stream = ?');
    this.deleteGroupStmt = db.prepare('DELETE FROM log_events WHERE account = ? AND region = ? AND log_group = ?');
  }

  append(scope: Scope, logGroupName: string, logStreamName: string, events: readonly NewLogEvent[]): void {
    const run = () => {
      for (const e of events) {
        this.insertStmt.run(scope.accountId, scope.region, logGroupName, logStreamName, e.timestamp, e.ingestionTime, e.message);
      }
    };
    if (this.db.inTransaction) run();
    else this.db.transaction(run)();
  }

  read(query: StreamRead): Iterable<StoredLogEvent> {
    const where = ['account = @account', 'region = @region', 'log_group = @group', 'log_stream = @stream'];
    const params: Record<string, unknown> = {
      account: query.scope.accountId,
      region: query.scope.region,
      group: query.logGroupName,
      stream: query.logStreamName,
    };
    if (query.startTime !== undefined) {
      where.push('timestamp >= @startTime');
      params.startTime = query.startTime;
    }
    if (query.endTime !== undefined) {
      where.push('timestamp < @endTime');
      params.endTime = query.endTime;
    }
    if (query.from) {
      where.push('(timestamp, seq) >= (@fromT, @fromS)');
      params.fromT = query.from.timestamp;
      params.fromS = query.from.seq;
    }
    if (query.before) {
      where.push('(timestamp, seq) < (@beforeT, @beforeS)');
      params.beforeT = query.before.timestamp;
      params.beforeS = query.before.seq;
    }
    const order = query.direction === 'forward' ? 'ASC' : 'DESC';
    return this.iterate(`SELECT ${COLUMNS} FROM log_events WHERE ${where.join(' AND ')} ORDER BY timestamp ${order}, seq ${order}`, params);
  }

  scan(query: GroupScan): Iterable<StoredLogEvent> {
    const where = ['account = @account', 'region = @region', 'log_group = @group'];
    const params: Record<string, unknown> = { account: query.scope.accountId, region: query.scope.region, group: query.logGroupName };
    if (query.logStreamNames) {
      where.push(`log_stream IN (${query.logStreamNames.map((_, i) => `@s${i}`).join(', ') || 'NULL'})`);
      query.logStreamNames.forEach((name, i) => (params[`s${i}`] = name));
    }
    if (query.logStreamNamePrefix !== undefined) {
      where.push('substr(log_stream, 1, @prefixLength) = @prefix');
      params.prefix = query.logStreamNamePrefix;
      params.prefixLength = [...query.logStreamNamePrefix].length; // SQLite counts characters, not UTF-16 units
    }
    if (query.startTime !== undefined) {
      where.push('timestamp >= @startTime');
      params.startTime = query.startTime;
    }
    if (query.endTime !== undefined) {
      where.push('timestamp <= @endTime');
      params.endTime = query.endTime;
    }
    if (query.from) {
      where.push('(timestamp, seq) >= (@fromT, @fromS)');
      params.fromT = query.from.timestamp;
      params.fromS = query.from.seq;
    }
    // The group-time index keeps the scan in order without sorting the whole group.
    return this.iterate(
      `SELECT ${COLUMNS} FROM log_events INDEXED BY log_events_group_time WHERE ${where.join(' AND ')} ORDER BY timestamp, seq`,
      params,
    );
  }

  deleteStream(scope: Scope, logGroupName: string, logStreamName: string): void {
    this.deleteStreamStmt.run(scope.accountId, scope.region, logGroupName, logStreamName);
  }

  deleteGroup(scope: Scope, logGroupName: string): void {
    this.deleteGroupStmt.run(scope.accountId, scope.region, logGroupName);
  }

  private *iterate(sql: string, params: Record<string, unknown>): Iterable<StoredLogEvent> {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    for (const row of stmt.iterate(params) as IterableIterator<Row>) yield toEvent(row);
  }
}
