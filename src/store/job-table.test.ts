/**
 * JobTable's query shapes: DescribeJobs' lookup of up to 100 ids must use the job_id index
 * (SQLite otherwise prefers an (account, region, …) index for long IN lists and scans the
 * account's every job), and ListJobs pages children of an array in index order.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from './database.js';
import { JobTable } from './job-table.js';
import type { JobRecord } from '../batch/model.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };

function job(jobId: string, parentId?: string): JobRecord {
  return {
    detail: {
      jobArn: `arn:aws:batch:us-east-1:000000000000:job/${jobId}`,
      jobName: 'j',
      jobId,
      jobQueue: 'arn:aws:batch:us-east-1:000000000000:job-queue/q',
      status: 'RUNNABLE',
      attempts: [],
      createdAt: 1,
      dependsOn: [],
      jobDefinition: 'arn:aws:batch:us-east-1:000000000000:job-definition/d:1',
      parameters: {},
    },
    internal: { accountId: scope.accountId, region: scope.region, vcpus: 1, memory: 64, attempt: 0, jobDefinitionName: 'd', ...(parentId ? { parentId } : {}) },
  };
}

test('detailTexts: 100 ids are looked up through the job_id index, not by scanning the account', () => {
  const db = openDatabase(':memory:');
  const table = new JobTable(db);
  for (let i = 0; i < 300; i++) table.insert(job(`job-${i}`));
  const ids = Array.from({ length: 100 }, (_, i) => `job-${i * 3}`);
  const rows = table.detailTexts(scope, ids);
  assert.equal(rows.length, 100);
  assert.equal(JSON.parse(rows[0]?.detail ?? '{}').jobId, rows[0]?.jobId);
  const sql = `SELECT job_id, doc FROM jobs WHERE job_id IN (${ids.map(() => '?').join(', ')}) AND +account = ? AND +region = ?`;
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...ids, scope.accountId, scope.region) as Array<{ detail: string }>).map((r) => r.detail);
  assert.deepEqual(plan, ['SEARCH jobs USING INDEX sqlite_autoindex_jobs_1 (job_id=?)']);
  assert.deepEqual(table.detailTexts({ accountId: '111111111111', region: 'us-east-1' }, ids), [], 'another account sees none');
});

test('list: children of a parent page in creation order with a cursor', () => {
  const table = new JobTable(openDatabase(':memory:'));
  table.insert(job('p'));
  for (let i = 0; i < 25; i++) table.insert(job(`p:${i}`, 'p'), 'p');
  const seen: string[] = [];
  let cursor: { createdAt: number; seq: number } | undefined;
  do {
    const page = table.list({ scope, parentId: 'p', limit: 10, ...(cursor ? { cursor } : {}) });
    seen.push(...page.records.map((r) => r.detail.jobId));
    cursor = page.next;
  } while (cursor);
  assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => `p:${i}`));
});
