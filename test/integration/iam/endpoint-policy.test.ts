/**
 * Identity policies and an interface endpoint's policy together, on the real data path: Batch
 * requests sent to the endpoint network interface's listener are allowed only when both the
 * caller's identity policy and the endpoint policy allow them, and the AccessDeniedException says
 * which policy refused.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DescribeComputeEnvironmentsCommand, DescribeJobQueuesCommand } from '@aws-sdk/client-batch';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { batchClientAt, listeningBatchEndpoint, newVpc, startKit } from '../privatelink/privatelink-kit.js';
import type { Kit } from '../privatelink/privatelink-kit.js';

let kit: Kit;
let endpointUrl: string;
let vpcEndpointId: string;
const ACCOUNT = '000000000000';

before(async () => {
  kit = await startKit();
  const vpc = await newVpc(kit.ec2);
  const policy = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'batch:DescribeJobQueues', Resource: '*' }] };
  ({ vpcEndpointId, url: endpointUrl } = await listeningBatchEndpoint(kit, vpc, policy));
});
after(async () => kit.close());

test('through the endpoint the root is limited by the endpoint policy; through the gateway it is not', async () => {
  const viaEndpoint = batchClientAt(kit, endpointUrl);
  assert.deepEqual((await viaEndpoint.send(new DescribeJobQueuesCommand({}))).jobQueues, []);
  await assert.rejects(
    viaEndpoint.send(new DescribeComputeEnvironmentsCommand({})),
    (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'AccessDeniedException');
      assert.equal(error.$metadata?.httpStatusCode, 403);
      assert.equal(
        error.message,
        `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: batch:DescribeComputeEnvironments on resource: * because no VPC endpoint policy allows the batch:DescribeComputeEnvironments action`,
      );
      return true;
    },
  );
  assert.deepEqual((await batchClientAt(kit, kit.server.app.url).send(new DescribeComputeEnvironmentsCommand({}))).computeEnvironments, []);
});

test('an IAM user needs its identity policy AND the endpoint policy; aws:SourceVpce conditions see the endpoint', async () => {
  const iam = new IAMClient(kit.server.clientConfig);
  await iam.send(new CreateUserCommand({ UserName: 'vpc-only' }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'vpc-only',
      PolicyName: 'via-endpoint',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'batch:Describe*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': vpcEndpointId } } },
        ],
      }),
    }),
  );
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'vpc-only' }))).AccessKey;
  const credentials = { accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' };
  // Both allow: through the endpoint.
  assert.deepEqual((await batchClientAt(kit, endpointUrl, credentials).send(new DescribeJobQueuesCommand({}))).jobQueues, []);
  // The identity policy's condition fails through the gateway.
  await assert.rejects(batchClientAt(kit, kit.server.app.url, credentials).send(new DescribeJobQueuesCommand({})), (error: Error) => {
    assert.equal(error.name, 'AccessDeniedException');
    assert.match(error.message, /because no identity-based policy allows the batch:DescribeJobQueues action$/);
    return true;
  });
  // The endpoint policy refuses what the identity policy allows.
  await assert.rejects(batchClientAt(kit, endpointUrl, credentials).send(new DescribeComputeEnvironmentsCommand({})), (error: Error) => {
    assert.match(error.message, /because no VPC endpoint policy allows the batch:DescribeComputeEnvironments action$/);
    return true;
  });
});
