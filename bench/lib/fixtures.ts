/**
 * What each scenario needs before it is measured, created with the real AWS SDK for
 * JavaScript against the peer: a compute environment, a queue and a job definition (on both
 * batchlink and moto), and for batchlink an interface VPC endpoint carrying AWS's example
 * endpoint policy, found on the data path through `GET /_batchlink/network`.
 */
import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobQueuesCommand,
  RegisterJobDefinitionCommand,
} from '@aws-sdk/client-batch';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { RawConnection } from './raw-http.js';
import { RequestSigner } from './signing.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** AWS's example endpoint policy for AWS Batch (Batch User Guide, "Create an endpoint policy for your interface endpoint"). */
export const AWS_EXAMPLE_BATCH_ENDPOINT_POLICY = {
  Statement: [{ Principal: '*', Effect: 'Allow', Action: ['batch:SubmitJob', 'batch:ListJobs', 'batch:DescribeJobs'], Resource: '*' }],
};

export function clientConfig(url: string) {
  return { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
}

async function poll<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 100);
  }
}

export interface QueueFixture {
  jobQueue: string;
  jobQueueArn: string;
  jobDefinition: string;
}

export interface QueueOptions {
  name: string;
  /** ENABLED runs the jobs; DISABLED keeps them RUNNABLE (API-only scenarios). */
  ceState: 'ENABLED' | 'DISABLED';
  vcpus: number;
  command: string[];
  /** moto checks that the service role exists in its IAM. */
  createServiceRole?: boolean;
}

export async function createQueue(url: string, options: QueueOptions): Promise<QueueFixture> {
  const batch = new BatchClient(clientConfig(url));
  let serviceRole: string | undefined;
  if (options.createServiceRole) {
    const iam = new IAMClient(clientConfig(url));
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: `${options.name}-batch-service`,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'batch.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    serviceRole = role.Role?.Arn;
    iam.destroy();
  }
  const ceName = `${options.name}-ce`;
  await batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: ceName,
      type: 'UNMANAGED',
      state: options.ceState,
      unmanagedvCpus: options.vcpus,
      ...(serviceRole ? { serviceRole } : {}),
    }),
  );
  await poll(async () => {
    const out = await batch.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: [ceName] }));
    return out.computeEnvironments?.[0]?.status === 'VALID' ? true : undefined;
  }, 'compute environment VALID');
  const queue = await batch.send(
    new CreateJobQueueCommand({ jobQueueName: options.name, state: 'ENABLED', priority: 1, computeEnvironmentOrder: [{ order: 1, computeEnvironment: ceName }] }),
  );
  await poll(async () => {
    const out = await batch.send(new DescribeJobQueuesCommand({ jobQueues: [options.name] }));
    return out.jobQueues?.[0]?.status === 'VALID' ? true : undefined;
  }, 'job queue VALID');
  await batch.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: `${options.name}-def`,
      type: 'container',
      containerProperties: { image: 'public.ecr.aws/docker/library/busybox:latest', vcpus: 1, memory: 128, command: options.command },
    }),
  );
  batch.destroy();
  return { jobQueue: options.name, jobQueueArn: queue.jobQueueArn ?? '', jobDefinition: `${options.name}-def` };
}

export type EndpointFixture =
  | { ok: true; vpcEndpointId: string; host: string; port: number; policyEnforced: boolean; policyProbe: string }
  | { ok: false; why: string };

interface NetworkMapView {
  interfaces?: Array<{ vpcEndpointId: string; listen: string; listening: boolean }>;
}

/**
 * VPC, subnet, security group (TCP 443 from the VPC CIDR) and an Interface endpoint for Batch
 * carrying AWS's example policy, all through the EC2 API; then its listening address.
 * Never throws: a missing piece is reported as `{ ok: false, why }`.
 */
export async function createBatchEndpoint(url: string): Promise<EndpointFixture> {
  const ec2 = new EC2Client(clientConfig(url));
  let step = 'CreateVpc';
  try {
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
    const vpcId = vpc.Vpc?.VpcId ?? '';
    step = 'CreateSubnet';
    const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.1.0/24', AvailabilityZone: 'us-east-1a' }));
    step = 'CreateSecurityGroup';
    const group = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'bench-batch-endpoint', Description: 'batch endpoint for the benchmark', VpcId: vpcId }));
    step = 'AuthorizeSecurityGroupIngress';
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: group.GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.20.0.0/16' }] }],
      }),
    );
    step = 'CreateVpcEndpoint';
    const endpoint = await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpcId,
        VpcEndpointType: 'Interface',
        ServiceName: 'com.amazonaws.us-east-1.batch',
        SubnetIds: [subnet.Subnet?.SubnetId ?? ''],
        SecurityGroupIds: [group.GroupId ?? ''],
        PrivateDnsEnabled: false,
        PolicyDocument: JSON.stringify(AWS_EXAMPLE_BATCH_ENDPOINT_POLICY),
      }),
    );
    const vpcEndpointId = endpoint.VpcEndpoint?.VpcEndpointId ?? '';
    step = 'DescribeVpcEndpoints (waiting for available)';
    await poll(async () => {
      const out = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [vpcEndpointId] }));
      return String(out.VpcEndpoints?.[0]?.State ?? '').toLowerCase() === 'available' ? true : undefined; // the wire says "available", the SDK enum "Available"
    }, `${vpcEndpointId} to be available`, 15_000);
    step = 'GET /_batchlink/network';
    const listen = await poll(async () => {
      const response = await fetch(`${url}/_batchlink/network`);
      if (!response.ok) throw new Error(`GET /_batchlink/network answered ${response.status}`);
      const map = (await response.json()) as NetworkMapView;
      return map.interfaces?.find((i) => i.vpcEndpointId === vpcEndpointId && i.listening)?.listen;
    }, `a listening interface of ${vpcEndpointId} in /_batchlink/network`, 15_000);
    const [host = '', portText = ''] = listen.split(':');
    const port = Number(portText);
    // The example policy allows SubmitJob/ListJobs/DescribeJobs only: DescribeJobQueues must be refused.
    step = 'policy probe';
    const connection = new RawConnection(host, port);
    const probe = await connection.send(await new RequestSigner({ host, port }).batchCall('DescribeJobQueues', {}));
    connection.close();
    return {
      ok: true,
      vpcEndpointId,
      host,
      port,
      policyEnforced: probe.status === 403,
      policyProbe: `DescribeJobQueues through the endpoint answered ${probe.status} ${probe.body.toString('utf8').slice(0, 200)}`,
    };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, why: `${step} failed: ${message}` };
  } finally {
    ec2.destroy();
  }
}
