/**
 * The AWS Batch guide's example endpoint policy, enforced on the real data path: through the
 * endpoint, SubmitJob/ListJobs/DescribeJobs succeed and CancelJob/RegisterJobDefinition are
 * refused with the endpoint-policy reason; on the public path the same calls succeed. A
 * principal-restricted endpoint policy admits one user and refuses another.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  BatchClient,
  CancelJobCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
} from '@aws-sdk/client-batch';
import { ModifyVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { createQueue, registerCommand } from '../../helpers/batch-setup.js';
import { batchClientAt, listeningBatchEndpoint, newVpc, startKit } from '../privatelink/privatelink-kit.js';
import type { Kit } from '../privatelink/privatelink-kit.js';

const EXAMPLE_POLICY = {
  Statement: [{ Principal: '*', Effect: 'Allow', Action: ['batch:SubmitJob', 'batch:ListJobs', 'batch:DescribeJobs'], Resource: '*' }],
};

let kit: Kit;
let endpointUrl: string;
let vpcEndpointId: string;

before(async () => {
  kit = await startKit();
  const gateway = new BatchClient(kit.server.clientConfig);
  await createQueue(gateway, 'guarded');
  await registerCommand(gateway, 'sleepy', ['sleep', '30']);
  gateway.destroy();
  const vpc = await newVpc(kit.ec2);
  ({ vpcEndpointId, url: endpointUrl } = await listeningBatchEndpoint(kit, vpc, EXAMPLE_POLICY));
});
after(async () => kit.close());

async function deniedBecause(promise: Promise<unknown>, reason: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, 'AccessDeniedException');
    assert.equal(error.$metadata?.httpStatusCode, 403);
    assert.match(error.message, reason);
    return true;
  });
}

test('through the endpoint: SubmitJob, ListJobs, DescribeJobs succeed; CancelJob and RegisterJobDefinition are refused by the endpoint policy', async () => {
  const batch = batchClientAt(kit, endpointUrl);
  const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'via-endpoint', jobQueue: 'guarded', jobDefinition: 'sleepy' }));
  assert.ok(jobId);
  await batch.send(new ListJobsCommand({ jobQueue: 'guarded', jobStatus: 'RUNNABLE' }));
  assert.equal((await batch.send(new DescribeJobsCommand({ jobs: [jobId] }))).jobs?.[0]?.jobId, jobId);
  await deniedBecause(
    batch.send(new CancelJobCommand({ jobId, reason: 'no' })),
    new RegExp(`^User: arn:aws:iam::000000000000:root is not authorized to perform: batch:CancelJob on resource: arn:aws:batch:us-east-1:000000000000:job/${jobId} because no VPC endpoint policy allows the batch:CancelJob action$`),
  );
  await deniedBecause(
    batch.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'x', type: 'container', containerProperties: { image: 'b', vcpus: 1, memory: 8 } })),
    /because no VPC endpoint policy allows the batch:RegisterJobDefinition action$/,
  );
  // The same calls on the public path succeed.
  const gateway = batchClientAt(kit, kit.server.app.url);
  await gateway.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'x', type: 'container', containerProperties: { image: 'b', vcpus: 1, memory: 8 } }));
  await gateway.send(new CancelJobCommand({ jobId, reason: 'public path' }));
  batch.destroy();
  gateway.destroy();
});

test('a principal-restricted endpoint policy admits one user and refuses another', async () => {
  const iam = new IAMClient(kit.server.clientConfig);
  const keys: Record<string, { accessKeyId: string; secretAccessKey: string }> = {};
  for (const name of ['allowed-user', 'other-user']) {
    await iam.send(new CreateUserCommand({ UserName: name }));
    await iam.send(
      new PutUserPolicyCommand({ UserName: name, PolicyName: 'batch', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'batch:*', Resource: '*' }] }) }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey;
    keys[name] = { accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' };
  }
  iam.destroy();
  await kit.ec2.send(
    new ModifyVpcEndpointCommand({
      VpcEndpointId: vpcEndpointId,
      PolicyDocument: JSON.stringify({
        Statement: [{ Principal: { AWS: 'arn:aws:iam::000000000000:user/allowed-user' }, Effect: 'Allow', Action: 'batch:ListJobs', Resource: '*' }],
      }),
    }),
  );
  const allowed = batchClientAt(kit, endpointUrl, keys['allowed-user']);
  await allowed.send(new ListJobsCommand({ jobQueue: 'guarded' }));
  const other = batchClientAt(kit, endpointUrl, keys['other-user']);
  await deniedBecause(
    other.send(new ListJobsCommand({ jobQueue: 'guarded' })),
    /^User: arn:aws:iam::000000000000:user\/other-user is not authorized to perform: batch:ListJobs on resource: \* because no VPC endpoint policy allows the batch:ListJobs action$/,
  );
  // Outside the endpoint the other user's own identity policy is enough.
  await batchClientAt(kit, kit.server.app.url, keys['other-user']).send(new ListJobsCommand({ jobQueue: 'guarded' }));
  // The root's SubmitJob, allowed through this endpoint by the earlier policy, is refused under the new one.
  const root = batchClientAt(kit, endpointUrl);
  await deniedBecause(
    root.send(new SubmitJobCommand({ jobName: 'after-change', jobQueue: 'guarded', jobDefinition: 'sleepy' })),
    /^User: arn:aws:iam::000000000000:root is not authorized to perform: batch:SubmitJob on resource: .* because no VPC endpoint policy allows the batch:SubmitJob action$/,
  );
  root.destroy();
  allowed.destroy();
  other.destroy();
});
