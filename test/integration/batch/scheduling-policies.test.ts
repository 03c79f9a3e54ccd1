/**
 * Scheduling policies (fair share, quota share) through the real @aws-sdk/client-batch:
 * shapes, AWS's limits, pagination, tags, and the job-queue relationship (a queue may only
 * name an existing policy; a policy in use cannot be deleted).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BatchClient,
  CreateJobQueueCommand,
  CreateSchedulingPolicyCommand,
  DeleteSchedulingPolicyCommand,
  DescribeSchedulingPoliciesCommand,
  ListSchedulingPoliciesCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateJobQueueCommand,
  UpdateSchedulingPolicyCommand,
  paginateListSchedulingPolicies,
} from '@aws-sdk/client-batch';
import { startWithClient } from '../../helpers/server.js';
import { rejectsWith } from '../../helpers/assertions.js';
import type { ServerWithClient } from '../../helpers/server.js';
import { createQueue } from '../../helpers/batch-setup.js';

let kit: ServerWithClient<BatchClient>;
let batch: BatchClient;

before(async () => {
  kit = await startWithClient(BatchClient);
  batch = kit.client;
});
after(() => kit.close());

describe('scheduling policies', () => {
  test('CreateSchedulingPolicy: returns name and a scheduling-policy/<name> ARN; Describe returns the fair-share policy and tags', async () => {
    const out = await batch.send(
      new CreateSchedulingPolicyCommand({
        name: 'fair',
        fairsharePolicy: { shareDecaySeconds: 3600, computeReservation: 10, shareDistribution: [{ shareIdentifier: 'teamA*', weightFactor: 0.5 }, { shareIdentifier: 'other', weightFactor: 2 }] },
        tags: { owner: 'ops' },
      }),
    );
    assert.equal(out.name, 'fair');
    assert.equal(out.arn, 'arn:aws:batch:us-east-1:000000000000:scheduling-policy/fair');
    const described = await batch.send(new DescribeSchedulingPoliciesCommand({ arns: [out.arn!, 'arn:aws:batch:us-east-1:000000000000:scheduling-policy/nope'] }));
    assert.equal(described.schedulingPolicies?.length, 1);
    const policy = described.schedulingPolicies![0]!;
    assert.deepEqual(policy.fairsharePolicy, {
      shareDecaySeconds: 3600,
      computeReservation: 10,
      shareDistribution: [{ shareIdentifier: 'teamA*', weightFactor: 0.5 }, { shareIdentifier: 'other', weightFactor: 2 }],
    });
    assert.deepEqual(policy.tags, { owner: 'ops' });
  });

  test('CreateSchedulingPolicy: refuses out-of-range shareDecaySeconds, computeReservation and weightFactor, naming the field', async () => {
    await rejectsWith(batch.send(new CreateSchedulingPolicyCommand({ name: 'p1', fairsharePolicy: { shareDecaySeconds: 604801 } })), 'ClientException', /shareDecaySeconds/);
    await rejectsWith(batch.send(new CreateSchedulingPolicyCommand({ name: 'p1', fairsharePolicy: { computeReservation: 100 } })), 'ClientException', /computeReservation/);
    await rejectsWith(
      batch.send(new CreateSchedulingPolicyCommand({ name: 'p1', fairsharePolicy: { shareDistribution: [{ shareIdentifier: 'a', weightFactor: 1000 }] } })),
      'ClientException',
      /weightFactor must be between 0.0001 and 999.9999/,
    );
    await rejectsWith(
      batch.send(new CreateSchedulingPolicyCommand({ name: 'p1', fairsharePolicy: { shareDistribution: [{ shareIdentifier: 'a', weightFactor: 0.00001 }] } })),
      'ClientException',
      /weightFactor/,
    );
  });

  test('CreateSchedulingPolicy: refuses overlapping share identifiers, a * that is not trailing, and more than 500 shares', async () => {
    await rejectsWith(
      batch.send(new CreateSchedulingPolicyCommand({ name: 'p2', fairsharePolicy: { shareDistribution: [{ shareIdentifier: 'UserA*' }, { shareIdentifier: 'UserA1' }] } })),
      'ClientException',
      /overlap: UserA\* and UserA1/,
    );
    await rejectsWith(batch.send(new CreateSchedulingPolicyCommand({ name: 'p2', fairsharePolicy: { shareDistribution: [{ shareIdentifier: 'a*b' }] } })), 'ClientException', /shareIdentifier/);
    const many = Array.from({ length: 501 }, (_, i) => ({ shareIdentifier: `s${i}` }));
    await rejectsWith(batch.send(new CreateSchedulingPolicyCommand({ name: 'p2', fairsharePolicy: { shareDistribution: many } })), 'ClientException', /at most 500/);
  });

  test('CreateSchedulingPolicy: refuses both fairsharePolicy and quotaSharePolicy, and a duplicate name', async () => {
    await rejectsWith(
      batch.send(new CreateSchedulingPolicyCommand({ name: 'both', fairsharePolicy: {}, quotaSharePolicy: { idleResourceAssignmentStrategy: 'FIFO' } })),
      'ClientException',
      /Only one of fairsharePolicy or quotaSharePolicy/,
    );
    await batch.send(new CreateSchedulingPolicyCommand({ name: 'dup' }));
    await rejectsWith(batch.send(new CreateSchedulingPolicyCommand({ name: 'dup' })), 'ClientException', /Object already exists/);
  });

  test('UpdateSchedulingPolicy: replaces the fair-share policy; a fair-share policy cannot become a quota-share one', async () => {
    const { arn } = await batch.send(new CreateSchedulingPolicyCommand({ name: 'upd', fairsharePolicy: { shareDecaySeconds: 60 } }));
    await batch.send(new UpdateSchedulingPolicyCommand({ arn, fairsharePolicy: { shareDecaySeconds: 120, computeReservation: 5 } }));
    const out = await batch.send(new DescribeSchedulingPoliciesCommand({ arns: [arn!] }));
    assert.equal(out.schedulingPolicies?.[0]?.fairsharePolicy?.shareDecaySeconds, 120);
    assert.equal(out.schedulingPolicies?.[0]?.fairsharePolicy?.computeReservation, 5);
    await rejectsWith(batch.send(new UpdateSchedulingPolicyCommand({ arn, quotaSharePolicy: { idleResourceAssignmentStrategy: 'FIFO' } })), 'ClientException', /quotaSharePolicy cannot be set/);
    await rejectsWith(batch.send(new UpdateSchedulingPolicyCommand({ arn: `${arn}-missing` })), 'ClientException', /does not exist/);
  });

  test('ListSchedulingPolicies: pages with maxResults/nextToken and the SDK paginator sees every policy once', async () => {
    for (let i = 0; i < 5; i++) await batch.send(new CreateSchedulingPolicyCommand({ name: `page-${i}` }));
    const first = await batch.send(new ListSchedulingPoliciesCommand({ maxResults: 2 }));
    assert.equal(first.schedulingPolicies?.length, 2);
    assert.ok(first.nextToken);
    const arns: string[] = [];
    for await (const page of paginateListSchedulingPolicies({ client: batch, pageSize: 2 }, {})) arns.push(...(page.schedulingPolicies ?? []).map((p) => p.arn!));
    assert.equal(new Set(arns).size, arns.length);
    for (let i = 0; i < 5; i++) assert.ok(arns.some((a) => a.endsWith(`scheduling-policy/page-${i}`)));
    await rejectsWith(batch.send(new ListSchedulingPoliciesCommand({ maxResults: 101 })), 'ClientException', /maxResults/);
  });

  test('TagResource / ListTagsForResource: work on a scheduling policy ARN', async () => {
    const { arn } = await batch.send(new CreateSchedulingPolicyCommand({ name: 'tagged' }));
    await batch.send(new TagResourceCommand({ resourceArn: arn, tags: { a: '1' } }));
    const out = await batch.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    assert.deepEqual(out.tags, { a: '1' });
  });

  test('CreateJobQueue: refuses a schedulingPolicyArn that does not exist; a policy in use cannot be deleted', async () => {
    await createQueue(batch, 'plain-fifo');
    const missing = 'arn:aws:batch:us-east-1:000000000000:scheduling-policy/ghost';
    await rejectsWith(
      batch.send(new CreateJobQueueCommand({ jobQueueName: 'fs', priority: 1, schedulingPolicyArn: missing, computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'plain-fifo-ce' }] })),
      'ClientException',
      /schedulingPolicyArn .*ghost does not exist/,
    );
    const { arn } = await batch.send(new CreateSchedulingPolicyCommand({ name: 'in-use' }));
    await batch.send(new CreateJobQueueCommand({ jobQueueName: 'fs', priority: 1, schedulingPolicyArn: arn, computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'plain-fifo-ce' }] }));
    await rejectsWith(batch.send(new DeleteSchedulingPolicyCommand({ arn })), 'ClientException', /Cannot delete, found existing JobQueue relationship/);
    await rejectsWith(batch.send(new UpdateJobQueueCommand({ jobQueue: 'plain-fifo', schedulingPolicyArn: arn })), 'ClientException', /FIFO queue and cannot have a scheduling policy added/);
  });

  test('DeleteSchedulingPolicy: removes an unused policy', async () => {
    const { arn } = await batch.send(new CreateSchedulingPolicyCommand({ name: 'gone' }));
    await batch.send(new DeleteSchedulingPolicyCommand({ arn }));
    const out = await batch.send(new DescribeSchedulingPoliciesCommand({ arns: [arn!] }));
    assert.deepEqual(out.schedulingPolicies, []);
    await rejectsWith(batch.send(new DeleteSchedulingPolicyCommand({ arn })), 'ClientException', /does not exist/);
  });
});
