/**
 * Batch's own condition keys reach the policy engine: an IAM user allowed to register job
 * definitions only for images of one registry, and only unprivileged ones, is refused otherwise.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BatchClient, RegisterJobDefinitionCommand } from '@aws-sdk/client-batch';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';

let server: TestServer;
let user: BatchClient;

before(async () => {
  server = await startTestServer();
  const iam = new IAMClient(server.clientConfig);
  await iam.send(new CreateUserCommand({ UserName: 'builder' }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'builder',
      PolicyName: 'images',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'batch:RegisterJobDefinition', Resource: '*', Condition: { StringLike: { 'batch:Image': 'public.ecr.aws/*' } } },
          { Effect: 'Deny', Action: 'batch:RegisterJobDefinition', Resource: '*', Condition: { Bool: { 'batch:Privileged': 'true' } } },
        ],
      }),
    }),
  );
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'builder' }))).AccessKey;
  iam.destroy();
  user = new BatchClient({ ...server.clientConfig, credentials: { accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' } });
});
after(async () => {
  user.destroy();
  await server.close();
});

const register = (image: string, privileged = false) =>
  user.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'jd', type: 'container', containerProperties: { image, privileged, vcpus: 1, memory: 64, command: ['true'] } }));

test('batch:Image: an allowed registry registers; another registry is refused by the identity policy', async () => {
  assert.equal((await register('public.ecr.aws/docker/library/busybox:latest')).revision, 1);
  await assert.rejects(register('docker.io/library/busybox'), (error: Error) => {
    assert.equal(error.name, 'AccessDeniedException');
    assert.match(error.message, /is not authorized to perform: batch:RegisterJobDefinition on resource: arn:aws:batch:us-east-1:000000000000:job-definition\/jd because no identity-based policy allows/);
    return true;
  });
});

test('batch:Privileged: a privileged container is refused with an explicit deny', async () => {
  await assert.rejects(register('public.ecr.aws/docker/library/busybox:latest', true), /with an explicit deny in an identity-based policy/);
});
