/**
 * Consumable resources through the real @aws-sdk/client-batch: shapes, SET/ADD/REMOVE with
 * clientToken idempotency, filters and pagination, job definitions naming them, the jobs that
 * need one, and the scheduler's reserve/release bookkeeping.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BatchClient,
  CreateConsumableResourceCommand,
  DeleteConsumableResourceCommand,
  DescribeConsumableResourceCommand,
  DescribeJobDefinitionsCommand,
  ListConsumableResourcesCommand,
  ListJobsByConsumableResourceCommand,
  ListTagsForResourceCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  UpdateConsumableResourceCommand,
} from '@aws-sdk/client-batch';
import { startWithClient } from '../../helpers/server.js';
import { rejectsWith } from '../../helpers/assertions.js';
import type { ServerWithClient, TestServer } from '../../helpers/server.js';
import { createQueue } from '../../helpers/batch-setup.js';

let kit: ServerWithClient<BatchClient>;
let server: TestServer;
let batch: BatchClient;
const scope = { accountId: '000000000000', region: 'us-east-1' };

before(async () => {
  kit = await startWithClient(BatchClient);
  ({ server, client: batch } = kit);
});
after(() => kit.close());

describe('consumable resources', () => {
  test('CreateConsumableResource: defaults to REPLENISHABLE; Describe reports total, in-use and available quantities', async () => {
    const out = await batch.send(new CreateConsumableResourceCommand({ consumableResourceName: 'licenses', totalQuantity: 10, tags: { team: 'a' } }));
    assert.equal(out.consumableResourceArn, 'arn:aws:batch:us-east-1:000000000000:consumable-resource/licenses');
    const d = await batch.send(new DescribeConsumableResourceCommand({ consumableResource: out.consumableResourceArn }));
    assert.equal(d.consumableResourceName, 'licenses');
    assert.equal(d.resourceType, 'REPLENISHABLE');
    assert.equal(d.totalQuantity, 10);
    assert.equal(d.inUseQuantity, 0);
    assert.equal(d.availableQuantity, 10);
    assert.equal(typeof d.createdAt, 'number');
    assert.deepEqual(d.tags, { team: 'a' });
    const tags = await batch.send(new ListTagsForResourceCommand({ resourceArn: out.consumableResourceArn }));
    assert.deepEqual(tags.tags, { team: 'a' });
  });

  test('CreateConsumableResource: refuses a negative total, an unknown type and a duplicate name', async () => {
    await rejectsWith(batch.send(new CreateConsumableResourceCommand({ consumableResourceName: 'neg', totalQuantity: -1 })), 'ClientException', /totalQuantity/);
    await rejectsWith(batch.send(new CreateConsumableResourceCommand({ consumableResourceName: 'neg', resourceType: 'SOMETIMES' })), 'ClientException', /resourceType must be one of: REPLENISHABLE, NON_REPLENISHABLE/);
    await batch.send(new CreateConsumableResourceCommand({ consumableResourceName: 'twice' }));
    await rejectsWith(batch.send(new CreateConsumableResourceCommand({ consumableResourceName: 'twice' })), 'ClientException', /Object already exists/);
  });

  test('UpdateConsumableResource: SET, ADD and REMOVE change the total; a repeated clientToken applies once', async () => {
    await batch.send(new CreateConsumableResourceCommand({ consumableResourceName: 'gpus', totalQuantity: 4 }));
    assert.equal((await batch.send(new UpdateConsumableResourceCommand({ consumableResource: 'gpus', operation: 'ADD', quantity: 3, clientToken: 't1' }))).totalQuantity, 7);
    assert.equal((await batch.send(new UpdateConsumableResourceCommand({ consumableResource: 'gpus', operation: 'ADD', quantity: 3, clientToken: 't1' }))).totalQuantity, 7);
    assert.equal((await batch.send(new UpdateConsumableResourceCommand({ consumableResource: 'gpus', operation: 'REMOVE', quantity: 2 }))).totalQuantity, 5);
    assert.equal((await batch.send(new UpdateConsumableResourceCommand({ consumableResource: 'gpus', operation: 'SET', quantity: 9 }))).totalQuantity, 9);
    await rejectsWith(batch.send(new UpdateConsumableResourceCommand({ consumableResource: 'gpus', operation: 'REMOVE', quantity: 10 })), 'ClientException', /Cannot remove 10/);
    await rejectsWith(batch.send(new UpdateConsumableResourceCommand({ consumableResource: 'gpus', operation: 'MULTIPLY', quantity: 1 })), 'ClientException', /operation must be one of: SET, ADD, REMOVE/);
    await rejectsWith(batch.send(new UpdateConsumableResourceCommand({ consumableResource: 'nothing', quantity: 1 })), 'ClientException', /Consumable resource nothing does not exist/);
  });

  test('ListConsumableResources: filters by name (case-insensitive, trailing *) and pages', async () => {
    for (const name of ['seat-a', 'seat-b', 'SEAT-c', 'other-x']) await batch.send(new CreateConsumableResourceCommand({ consumableResourceName: name }));
    const seats = await batch.send(new ListConsumableResourcesCommand({ filters: [{ name: 'CONSUMABLE_RESOURCE_NAME', values: ['seat*'] }] }));
    assert.deepEqual(seats.consumableResources?.map((r) => r.consumableResourceName).sort(), ['SEAT-c', 'seat-a', 'seat-b']);
    const page1 = await batch.send(new ListConsumableResourcesCommand({ maxResults: 2, filters: [{ name: 'CONSUMABLE_RESOURCE_NAME', values: ['seat*'] }] }));
    assert.equal(page1.consumableResources?.length, 2);
    const page2 = await batch.send(new ListConsumableResourcesCommand({ maxResults: 2, nextToken: page1.nextToken, filters: [{ name: 'CONSUMABLE_RESOURCE_NAME', values: ['seat*'] }] }));
    assert.equal(page2.consumableResources?.length, 1);
    assert.equal(page2.nextToken, undefined);
    await rejectsWith(batch.send(new ListConsumableResourcesCommand({ filters: [{ name: 'COLOR', values: ['x'] }] })), 'ClientException', /filters\[0\]\.name/);
  });

  test('RegisterJobDefinition: consumableResourceProperties must name existing resources', async () => {
    await rejectsWith(
      batch.send(
        new RegisterJobDefinitionCommand({
          jobDefinitionName: 'needs-ghost',
          type: 'container',
          containerProperties: { image: 'busybox', vcpus: 1, memory: 64, command: ['true'] },
          consumableResourceProperties: { consumableResourceList: [{ consumableResource: 'ghost', quantity: 1 }] },
        }),
      ),
      'ClientException',
      /Consumable resource ghost does not exist/,
    );
  });

  test('ListJobsByConsumableResource: lists jobs whose definition needs the resource, with the quantity, filtered by status and name', async () => {
    await batch.send(new CreateConsumableResourceCommand({ consumableResourceName: 'tokens', totalQuantity: 5 }));
    await createQueue(batch, 'crq');
    const def = await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'uses-tokens',
        type: 'container',
        containerProperties: { image: 'busybox', vcpus: 1, memory: 64, command: ['true'] },
        consumableResourceProperties: { consumableResourceList: [{ consumableResource: 'tokens', quantity: 2 }] },
      }),
    );
    const described = await batch.send(new DescribeJobDefinitionsCommand({ jobDefinitions: [def.jobDefinitionArn!] }));
    assert.deepEqual(described.jobDefinitions?.[0]?.consumableResourceProperties, { consumableResourceList: [{ consumableResource: 'tokens', quantity: 2 }] });
    const job = await batch.send(new SubmitJobCommand({ jobName: 'Token-Job', jobQueue: 'crq', jobDefinition: 'uses-tokens' }));
    await batch.send(new SubmitJobCommand({ jobName: 'plain', jobQueue: 'crq', jobDefinition: 'uses-tokens' }));
    const all = await batch.send(new ListJobsByConsumableResourceCommand({ consumableResource: 'tokens' }));
    assert.equal(all.jobs?.length, 2);
    const mine = await batch.send(new ListJobsByConsumableResourceCommand({ consumableResource: 'tokens', filters: [{ name: 'JOB_NAME', values: ['token*'] }] }));
    assert.deepEqual(mine.jobs?.map((j) => j.jobArn), [job.jobArn]);
    const entry = mine.jobs![0]!;
    assert.equal(entry.quantity, 2);
    assert.equal(entry.jobDefinitionArn, def.jobDefinitionArn);
    assert.ok(entry.jobQueueArn?.endsWith('job-queue/crq'));
    assert.deepEqual(entry.consumableResourceProperties, { consumableResourceList: [{ consumableResource: 'tokens', quantity: 2 }] });
    const none = await batch.send(new ListJobsByConsumableResourceCommand({ consumableResource: 'tokens', filters: [{ name: 'JOB_STATUS', values: ['PENDING'] }] }));
    assert.deepEqual(none.jobs, []);
    const page = await batch.send(new ListJobsByConsumableResourceCommand({ consumableResource: 'tokens', maxResults: 1 }));
    assert.equal(page.jobs?.length, 1);
    assert.ok(page.nextToken);
    const rest = await batch.send(new ListJobsByConsumableResourceCommand({ consumableResource: 'tokens', maxResults: 1, nextToken: page.nextToken }));
    assert.equal(rest.jobs?.length, 1);
    assert.notEqual(rest.jobs?.[0]?.jobArn, page.jobs?.[0]?.jobArn);
  });

  test('reserve/release: take quantities all-or-nothing; NON_REPLENISHABLE quantities are used up on release', async () => {
    await batch.send(new CreateConsumableResourceCommand({ consumableResourceName: 'seats', totalQuantity: 3 }));
    await batch.send(new CreateConsumableResourceCommand({ consumableResourceName: 'credits', totalQuantity: 5, resourceType: 'NON_REPLENISHABLE' }));
    const c = server.app.batch.consumables;
    const uow = server.app.batch.deps.uow;
    const need = [{ consumableResource: 'seats', quantity: 2 }, { consumableResource: 'credits', quantity: 2 }];
    assert.equal(uow.transaction(() => c.reserve(scope, need)), true);
    assert.equal(uow.transaction(() => c.reserve(scope, need)), false, 'only one seat left');
    let seats = await batch.send(new DescribeConsumableResourceCommand({ consumableResource: 'seats' }));
    assert.deepEqual([seats.inUseQuantity, seats.availableQuantity], [2, 1]);
    await rejectsWith(batch.send(new DeleteConsumableResourceCommand({ consumableResource: 'seats' })), 'ClientException', /in use/);
    uow.transaction(() => c.release(scope, need));
    seats = await batch.send(new DescribeConsumableResourceCommand({ consumableResource: 'seats' }));
    assert.deepEqual([seats.totalQuantity, seats.inUseQuantity, seats.availableQuantity], [3, 0, 3]);
    const credits = await batch.send(new DescribeConsumableResourceCommand({ consumableResource: 'credits' }));
    assert.deepEqual([credits.totalQuantity, credits.inUseQuantity, credits.availableQuantity], [3, 0, 3]);
    assert.equal(uow.transaction(() => c.reserve(scope, [{ consumableResource: 'missing', quantity: 1 }])), false);
  });

  test('DeleteConsumableResource: removes it', async () => {
    await batch.send(new CreateConsumableResourceCommand({ consumableResourceName: 'temp' }));
    await batch.send(new DeleteConsumableResourceCommand({ consumableResource: 'temp' }));
    await rejectsWith(batch.send(new DescribeConsumableResourceCommand({ consumableResource: 'temp' })), 'ClientException', /does not exist/);
  });
});
