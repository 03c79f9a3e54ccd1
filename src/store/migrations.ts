/**
 * Numbered schema migrations, applied in order once each. Never edit a released migration:
 * add the next number.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'documents',
    sql: `
      CREATE TABLE documents (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        id TEXT NOT NULL,
        doc TEXT NOT NULL,
        UNIQUE (kind, account, region, id)
      );
      CREATE INDEX documents_scope ON documents (kind, account, region, seq);
    `,
  },
  {
    version: 2,
    name: 'jobs',
    sql: `
      CREATE TABLE jobs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id TEXT NOT NULL UNIQUE,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        queue_arn TEXT NOT NULL,
        status TEXT NOT NULL,
        name TEXT NOT NULL,
        job_definition TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        parent_id TEXT,
        doc TEXT NOT NULL
      );
      CREATE INDEX jobs_queue_status ON jobs (account, region, queue_arn, status, created_at DESC, seq DESC);
      CREATE INDEX jobs_queue_created ON jobs (account, region, queue_arn, created_at DESC, seq DESC);
      CREATE INDEX jobs_status ON jobs (status, seq);
      CREATE INDEX jobs_parent ON jobs (parent_id) WHERE parent_id IS NOT NULL;
    `,
  },
  {
    version: 3,
    name: 'logs',
    sql: `
      CREATE TABLE log_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        log_group TEXT NOT NULL,
        log_stream TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        ingestion_time INTEGER NOT NULL,
        message TEXT NOT NULL
      );
      CREATE INDEX log_events_stream ON log_events (account, region, log_group, log_stream, timestamp, seq);
    `,
  },
  // --- CloudWatch Logs (version 4) -------------------------------------------------------
  {
    version: 4,
    name: 'log-events-group-time',
    // FilterLogEvents reads a whole group in time order: index it so pages need no sort.
    sql: `
      CREATE INDEX log_events_group_time ON log_events (account, region, log_group, timestamp, seq);
    `,
  },
  {
    version: 5,
    name: 'job dependencies',
    sql: `
      CREATE TABLE job_dependencies (
        job_id TEXT NOT NULL,
        depends_on TEXT NOT NULL,
        PRIMARY KEY (job_id, depends_on)
      ) WITHOUT ROWID;
      CREATE INDEX job_dependencies_reverse ON job_dependencies (depends_on, job_id);
    `,
  },
  {
    version: 6,
    name: 'jobs: bookkeeping apart from the wire shape',
    // New rows keep the AWS JobDetail alone in `doc` (so DescribeJobs can send it as stored) and
    // batchlink's bookkeeping in `internal`; rows written before keep both in `doc`.
    sql: `ALTER TABLE jobs ADD COLUMN internal TEXT;`,
  },
  {
    version: 7,
    name: 'array parents still spawning children',
    sql: `CREATE TABLE array_spawning (parent_id TEXT PRIMARY KEY) WITHOUT ROWID;`,
  },
];
