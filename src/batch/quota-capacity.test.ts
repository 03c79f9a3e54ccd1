import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planPreemptions, shareAdmits } from './quota-capacity.js';
import type { Blocked, Holding } from './quota-capacity.js';
import type { QuotaShare } from './scheduling-model.js';

const QUEUE = 'arn:aws:batch:us-east-1:000000000000:job-queue/q';
const ENV = 'arn:aws:batch:us-east-1:000000000000:service-environment/e';

function share(name: string, limit: number, strategy: QuotaShare['resourceSharingConfiguration']['strategy'], inSharePreemption: 'ENABLED' | 'DISABLED' = 'DISABLED'): QuotaShare {
  return {
    quotaShareName: name,
    quotaShareArn: `${QUEUE}/quota-share/${name}`,
    jobQueueArn: QUEUE,
    capacityLimits: [{ maxCapacity: limit, capacityUnit: 'ml.m5.large' }],
    resourceSharingConfiguration: strategy === 'LEND_AND_BORROW' ? { strategy, borrowLimit: -1 } : { strategy },
    preemptionConfiguration: { inSharePreemption },
    state: 'ENABLED',
    status: 'VALID',
    tags: {},
  };
}

function holding(jobId: string, quotaShareName: string, startedAt: number, extra: Partial<Holding> = {}): Holding {
  return { jobId, jobQueueArn: QUEUE, quotaShareName, environmentArn: ENV, instances: 1, schedulingPriority: 0, startedAt, preempting: false, ...extra };
}

function blocked(jobId: string, quotaShareName: string, shares: QuotaShare[], extra: Partial<Blocked> = {}): Blocked {
  return { jobId, jobQueueArn: QUEUE, quotaShareName, instances: 1, schedulingPriority: 0, shares, environments: [{ arn: ENV, limit: 4 }], ...extra };
}

const lender = share('lender', 2, 'LEND');
const borrower = share('borrower', 2, 'LEND_AND_BORROW');

test('cross-share: the lowest priority borrower job goes first, then the most recently started; only as many as needed', () => {
  const running = [
    holding('b-old', 'borrower', 1),
    holding('b-new', 'borrower', 3),
    holding('b-mid-priority', 'borrower', 5, { schedulingPriority: 7 }),
    holding('b-mid', 'borrower', 2),
  ];
  const plan = planPreemptions([blocked('l1', 'lender', [lender, borrower], { instances: 2 })], running);
  assert.deepEqual(plan, [
    { jobId: 'b-new', kind: 'borrowed' },
    { jobId: 'b-mid', kind: 'borrowed' },
  ]);
});

test('cross-share never takes a share below its own limit, and a job that would have to borrow preempts nothing', () => {
  const running = [holding('b1', 'borrower', 1), holding('b2', 'borrower', 2), holding('b3', 'borrower', 3), holding('l1', 'lender', 4)];
  // The borrower is over its limit by 1: the lender's second job gets that one, nothing more.
  assert.deepEqual(planPreemptions([blocked('l2', 'lender', [lender, borrower], { instances: 2 })], running), []);
  assert.deepEqual(planPreemptions([blocked('l2', 'lender', [lender, borrower])], running), [{ jobId: 'b3', kind: 'borrowed' }]);
  // A borrower job beyond its own limit waits; it does not preempt.
  assert.deepEqual(planPreemptions([blocked('b4', 'borrower', [lender, borrower])], running), []);
});

test('capacity already being freed is claimed by the first blocked job; the next one preempts for itself', () => {
  const running = [holding('b1', 'borrower', 1), holding('b2', 'borrower', 2), holding('b3', 'borrower', 3, { preempting: true }), holding('b4', 'borrower', 4)];
  const plan = planPreemptions([blocked('l1', 'lender', [lender, borrower]), blocked('l2', 'lender', [lender, borrower])], running);
  assert.deepEqual(plan, [{ jobId: 'b4', kind: 'borrowed' }]);
});

test('a share above a lowered limit is preempted as over its limit; in-share preemption needs ENABLED and a lower priority', () => {
  const team = share('team', 1, 'RESERVE');
  const other = share('other', 2, 'RESERVE');
  const env = [{ arn: ENV, limit: 2 }];
  assert.deepEqual(planPreemptions([blocked('o1', 'other', [team, other], { environments: env })], [holding('t1', 'team', 1), holding('t2', 'team', 2)]), [{ jobId: 't2', kind: 'overLimit' }]);

  const on = share('on', 1, 'RESERVE', 'ENABLED');
  const off = share('off', 1, 'RESERVE', 'DISABLED');
  const high = { schedulingPriority: 5 };
  assert.deepEqual(planPreemptions([blocked('h', 'on', [on], high)], [holding('low', 'on', 1, { schedulingPriority: 1 })]), [{ jobId: 'low', kind: 'inShare' }]);
  assert.deepEqual(planPreemptions([blocked('h', 'on', [on], high)], [holding('same', 'on', 1, { schedulingPriority: 5 })]), []);
  assert.deepEqual(planPreemptions([blocked('h', 'off', [off], high)], [holding('low', 'off', 1, { schedulingPriority: 1 })]), []);
});

test('shareAdmits: a lender’s waiting jobs make its capacity not idle, so borrowers cannot take it back', () => {
  const running = [holding('b1', 'borrower', 1), holding('b2', 'borrower', 2)];
  assert.equal(shareAdmits(borrower, [lender, borrower], running, () => 0, 1), true);
  assert.equal(shareAdmits(borrower, [lender, borrower], running, (name) => (name === 'lender' ? 2 : 0), 1), false);
  assert.equal(shareAdmits(borrower, [lender, borrower], running, (name) => (name === 'lender' ? 1 : 0), 1), true);
});
