/**
 * Compute environments, job queues, job definitions and tags through the real
 * @aws-sdk/client-batch: success shapes, AWS's validation errors, deletion rules, isolation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DeleteComputeEnvironmentCommand,
  DeleteJobQueueCommand,
  DeregisterJobDefinitionCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  ListTagsForResourceCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateComputeEnvironmentCommand,
  UpdateJobQueueCommand,
} from '@aws-sdk/client-batch';
import { startTestServer, startWithClient, waitFor } from '../../helpers/server.js';
import { rejectsWith } from '../../helpers/assertions.js';
import type { ServerWithClient, TestServer } from '../../helpers/server.js';
import { createQueue, waitForStatus } from '../../helpers/batch-setup.js';

let kit: ServerWithClient<BatchClient>;
let server: TestServer;
let batch: BatchClient;

before(async () => {
  kit = await startWithClient(BatchClient);
  ({ server, client: batch } = kit);
});
after(() => kit.close());

describe('compute environments', () => {
  test('CreateComputeEnvironment: returns the name and an ARN with partition, region and account; settles CREATING -> VALID', async () => {
    const out = await batch.send(
      new CreateComputeEnvironmentCommand({
        computeEnvironmentName: 'ce-shape',
        type: 'MANAGED',
        computeResources: { type: 'FARGATE', maxvCpus: 8, subnets: ['subnet-1'], securityGroupIds: ['sg-1'] },
        tags: { team: 'a' },
      }),
    );
    assert.equal(out.computeEnvironmentName, 'ce-shape');
    assert.equal(out.computeEnvironmentArn, 'arn:aws:batch:us-east-1:000000000000:compute-environment/ce-shape');
    const ce = await waitFor(async () => {
      const d = await batch.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: ['ce-shape'] }));
      const found = d.computeEnvironments?.[0];
      return found?.status === 'VALID' ? found : undefined;
    }, 'VALID');
    assert.equal(ce.state, 'ENABLED');
    assert.equal(ce.type, 'MANAGED');
    assert.equal(ce.computeResources?.maxvCpus, 8);
    assert.deepEqual(ce.tags, { team: 'a' });
    assert.match(ce.ecsClusterArn ?? '', /^arn:aws:ecs:us-east-1:000000000000:cluster\/AWSBatch-ce-shape-/);
  });

  test('SubmitJob: resource overrides on a Fargate job must still be a Fargate vCPU/memory pair', async () => {
    await batch.send(new CreateJobQueueCommand({ jobQueueName: 'fargate-q', priority: 1, computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'ce-shape' }] }));
    await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'fargate-def',
        type: 'container',
        platformCapabilities: ['FARGATE'],
        containerProperties: { image: 'busybox', command: ['true'], resourceRequirements: [{ type: 'VCPU', value: '1' }, { type: 'MEMORY', value: '2048' }] },
      }),
    );
    const submit = (memory: string) =>
      batch.send(new SubmitJobCommand({ jobName: `fg-${memory}`, jobQueue: 'fargate-q', jobDefinition: 'fargate-def', containerOverrides: { resourceRequirements: [{ type: 'MEMORY', value: memory }] } }));
    await rejectsWith(submit('512'), 'ClientException', /Fargate does not run 1 vCPU with 512 MiB/);
    assert.ok((await submit('4096')).jobId);
  });

  test('CreateComputeEnvironment: refuses a duplicate name, a bad name and a MANAGED one without computeResources', async () => {
    await rejectsWith(batch.send(new CreateComputeEnvironmentCommand({ computeEnvironmentName: 'ce-shape', type: 'UNMANAGED' })), 'ClientException', /Object already exists/);
    await rejectsWith(batch.send(new CreateComputeEnvironmentCommand({ computeEnvironmentName: 'bad name!', type: 'UNMANAGED' })), 'ClientException', /computeEnvironmentName/);
    await rejectsWith(batch.send(new CreateComputeEnvironmentCommand({ computeEnvironmentName: 'ce-x', type: 'MANAGED' })), 'ClientException', /computeResources/);
    await rejectsWith(
      batch.send(
        new CreateComputeEnvironmentCommand({
          computeEnvironmentName: 'ce-y',
          type: 'MANAGED',
          computeResources: { type: 'EC2', maxvCpus: 2, minvCpus: 4, subnets: ['subnet-1'] },
        }),
      ),
      'ClientException',
      /minvCpus/,
    );
  });

  test('DeleteComputeEnvironment: needs DISABLED and no job queue relationship', async () => {
    await createQueue(batch, 'del');
    await rejectsWith(batch.send(new DeleteComputeEnvironmentCommand({ computeEnvironment: 'del-ce' })), 'ClientException', /Cannot delete, found existing JobQueue relationship/);
    await batch.send(new UpdateJobQueueCommand({ jobQueue: 'del', state: 'DISABLED' }));
    await batch.send(new DeleteJobQueueCommand({ jobQueue: 'del' }));
    await waitFor(async () => (await batch.send(new DescribeJobQueuesCommand({ jobQueues: ['del'] }))).jobQueues?.length === 0, 'queue gone');
    await rejectsWith(batch.send(new DeleteComputeEnvironmentCommand({ computeEnvironment: 'del-ce' })), 'ClientException', /DISABLED/);
    await batch.send(new UpdateComputeEnvironmentCommand({ computeEnvironment: 'del-ce', state: 'DISABLED' }));
    await batch.send(new DeleteComputeEnvironmentCommand({ computeEnvironment: 'del-ce' }));
    await waitFor(async () => (await batch.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: ['del-ce'] }))).computeEnvironments?.length === 0, 'CE gone');
  });

  test('DescribeComputeEnvironments: pages with maxResults and nextToken', async () => {
    for (const n of [1, 2, 3]) {
      await batch.send(new CreateComputeEnvironmentCommand({ computeEnvironmentName: `page-${n}`, type: 'UNMANAGED' }));
    }
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await batch.send(new DescribeComputeEnvironmentsCommand({ maxResults: 2, ...(nextToken ? { nextToken } : {}) }));
      assert.ok((out.computeEnvironments?.length ?? 0) <= 2);
      names.push(...(out.computeEnvironments ?? []).map((c) => c.computeEnvironmentName ?? ''));
      nextToken = out.nextToken;
    } while (nextToken);
    for (const n of ['page-1', 'page-2', 'page-3']) assert.ok(names.includes(n), n);
    assert.equal(new Set(names).size, names.length);
  });
});

describe('job queues', () => {
  test('CreateJobQueue: refuses more than three compute environments and unknown ones', async () => {
    await rejectsWith(
      batch.send(new CreateJobQueueCommand({ jobQueueName: 'q-missing', priority: 1, computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'nope' }] })),
      'ClientException',
      /does not exist/,
    );
    const order = [1, 2, 3, 4].map((order) => ({ order, computeEnvironment: 'ce-shape' }));
    await rejectsWith(batch.send(new CreateJobQueueCommand({ jobQueueName: 'q-four', priority: 1, computeEnvironmentOrder: order })), 'ClientException', /at most 3/);
  });

  test('CreateJobQueue/UpdateJobQueue: shapes, priority and state changes', async () => {
    const arn = await createQueue(batch, 'shapes');
    assert.equal(arn, 'arn:aws:batch:us-east-1:000000000000:job-queue/shapes');
    await batch.send(new UpdateJobQueueCommand({ jobQueue: arn, priority: 7, state: 'DISABLED' }));
    const queue = await waitFor(async () => {
      const q = (await batch.send(new DescribeJobQueuesCommand({ jobQueues: ['shapes'] }))).jobQueues?.[0];
      return q?.status === 'VALID' ? q : undefined;
    }, 'queue VALID');
    assert.equal(queue.priority, 7);
    assert.equal(queue.state, 'DISABLED');
    assert.deepEqual(queue.computeEnvironmentOrder, [{ order: 1, computeEnvironment: 'arn:aws:batch:us-east-1:000000000000:compute-environment/shapes-ce' }]);
  });

  test('DeleteJobQueue: refuses an ENABLED queue', async () => {
    await createQueue(batch, 'enabled-q');
    await rejectsWith(batch.send(new DeleteJobQueueCommand({ jobQueue: 'enabled-q' })), 'ClientException', /DISABLED/);
  });
});

describe('job definitions', () => {
  test('RegisterJobDefinition: each registration is a new revision; name resolves to the latest ACTIVE', async () => {
    const props = { image: 'busybox', vcpus: 1, memory: 64, command: ['true'] };
    const r1 = await batch.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'jd', type: 'container', containerProperties: props }));
    const r2 = await batch.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'jd', type: 'container', containerProperties: props }));
    assert.equal(r1.revision, 1);
    assert.equal(r2.revision, 2);
    assert.equal(r2.jobDefinitionArn, 'arn:aws:batch:us-east-1:000000000000:job-definition/jd:2');
    await batch.send(new DeregisterJobDefinitionCommand({ jobDefinition: 'jd:2' }));
    const all = await batch.send(new DescribeJobDefinitionsCommand({ jobDefinitionName: 'jd' }));
    assert.deepEqual(all.jobDefinitions?.map((d) => [d.revision, d.status]), [[1, 'ACTIVE'], [2, 'INACTIVE']]);
    const active = await batch.send(new DescribeJobDefinitionsCommand({ jobDefinitions: ['jd:1'], status: 'ACTIVE' }));
    assert.equal(active.jobDefinitions?.length, 1);
    const r3 = await batch.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'jd', type: 'container', containerProperties: props }));
    assert.equal(r3.revision, 3, 'revisions are never reused');
  });

  test('RegisterJobDefinition: refuses a timeout under 60 s, retry attempts over 10, a missing image and a body over 24 KiB', async () => {
    const props = { image: 'busybox', vcpus: 1, memory: 64 };
    await rejectsWith(batch.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'bad', type: 'container', containerProperties: props, timeout: { attemptDurationSeconds: 59 } })), 'ClientException', /60 seconds/);
    await rejectsWith(batch.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'bad', type: 'container', containerProperties: props, retryStrategy: { attempts: 11 } })), 'ClientException', /between 1 and 10/);
    await rejectsWith(batch.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'bad', type: 'container', containerProperties: { vcpus: 1, memory: 64 } })), 'ClientException', /image/);
    await rejectsWith(
      batch.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'big', type: 'container', containerProperties: props, parameters: { blob: 'x'.repeat(25 * 1024) } })),
      'ClientException',
      /24 KiB/,
    );
  });
});

describe('tags', () => {
  test('TagResource, ListTagsForResource and UntagResource on a job queue ARN', async () => {
    const arn = await createQueue(batch, 'tagged');
    await batch.send(new TagResourceCommand({ resourceArn: arn, tags: { a: '1', b: '2' } }));
    assert.deepEqual((await batch.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { a: '1', b: '2' });
    await batch.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a'] }));
    assert.deepEqual((await batch.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { b: '2' });
    await rejectsWith(batch.send(new TagResourceCommand({ resourceArn: arn, tags: { 'aws:x': '1' } })), 'ClientException', /reserved/);
  });
});

describe('account isolation', () => {
  test('a second account sees none of the first account’s resources and cannot reach them by ARN', async () => {
    const config = join(server.dataDir, 'accounts.json');
    writeFileSync(config, JSON.stringify({ accounts: [{ id: '111111111111', rootAccessKeys: [{ accessKeyId: 'AKIDSECOND', secretAccessKey: 'secret2' }] }] }));
    const second = await startTestServer({ configFile: config });
    try {
      const mine = new BatchClient(second.clientConfig);
      const theirs = new BatchClient({ ...second.clientConfig, credentials: { accessKeyId: 'AKIDSECOND', secretAccessKey: 'secret2' } });
      const arn = await createQueue(mine, 'private');
      assert.equal((await theirs.send(new DescribeJobQueuesCommand({}))).jobQueues?.length, 0);
      assert.equal((await theirs.send(new DescribeJobQueuesCommand({ jobQueues: [arn] }))).jobQueues?.length, 0);
      await rejectsWith(theirs.send(new ListTagsForResourceCommand({ resourceArn: arn })), 'ClientException', /not a valid resource ARN/);
      const own = await createQueue(theirs, 'private');
      assert.equal(own, 'arn:aws:batch:us-east-1:111111111111:job-queue/private');
      mine.destroy();
      theirs.destroy();
    } finally {
      await second.close();
    }
  });
});

describe('roles', () => {
  test('a compute environment naming an instance profile or service role that does not exist settles INVALID with the reason', async () => {
    await batch.send(
      new CreateComputeEnvironmentCommand({
        computeEnvironmentName: 'no-profile',
        type: 'MANAGED',
        computeResources: { type: 'EC2', maxvCpus: 2, subnets: ['subnet-1'], instanceRole: 'arn:aws:iam::000000000000:instance-profile/missing' },
      }),
    );
    await batch.send(new CreateComputeEnvironmentCommand({ computeEnvironmentName: 'no-service-role', type: 'UNMANAGED', serviceRole: 'arn:aws:iam::000000000000:role/nope' }));
    await batch.send(
      new CreateComputeEnvironmentCommand({
        computeEnvironmentName: 'default-roles',
        type: 'MANAGED',
        serviceRole: 'arn:aws:iam::000000000000:role/service-role/AWSBatchServiceRole',
        computeResources: { type: 'EC2', maxvCpus: 2, subnets: ['subnet-1'], instanceRole: 'ecsInstanceRole' },
      }),
    );
    const settled = await waitFor(async () => {
      const out = await batch.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: ['no-profile', 'no-service-role', 'default-roles'] }));
      const all = out.computeEnvironments ?? [];
      return all.length === 3 && all.every((c) => c.status !== 'CREATING') ? new Map(all.map((c) => [c.computeEnvironmentName, c])) : undefined;
    }, 'settled');
    assert.equal(settled.get('no-profile')?.status, 'INVALID');
    assert.equal(settled.get('no-profile')?.statusReason, 'CLIENT_ERROR - The instance profile arn:aws:iam::000000000000:instance-profile/missing does not exist.');
    assert.equal(settled.get('no-service-role')?.status, 'INVALID');
    assert.match(settled.get('no-service-role')?.statusReason ?? '', /service role arn:aws:iam::000000000000:role\/nope does not exist/);
    assert.equal(settled.get('default-roles')?.status, 'VALID', 'the default account starts with the wizard roles');
    await assert.rejects(
      batch.send(new CreateJobQueueCommand({ jobQueueName: 'on-invalid', priority: 1, computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'no-profile' }] })),
      /INVALID/,
    );
  });

  test('a job whose jobRoleArn does not exist fails with ECS’s "unable to assume the role" reason', async () => {
    await createQueue(batch, 'roles-q');
    await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'bad-role',
        type: 'container',
        containerProperties: { image: 'busybox', vcpus: 1, memory: 64, command: ['true'], jobRoleArn: 'arn:aws:iam::000000000000:role/ghost' },
      }),
    );
    const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'bad-role', jobQueue: 'roles-q', jobDefinition: 'bad-role' }));
    const job = await waitForStatus(batch, jobId, ['FAILED', 'SUCCEEDED']);
    assert.equal(job.status, 'FAILED');
    assert.match(job.statusReason ?? '', /^ECS was unable to assume the role 'arn:aws:iam::000000000000:role\/ghost' that was provided for this task\./);
  });
});
