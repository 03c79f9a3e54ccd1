/**
 * The PrivateLink data path end to end in one process: an @aws-sdk/client-batch client whose DNS
 * lookups ask the VPC's resolver (dns-packet over UDP) calls http://batch.us-east-1.amazonaws.com
 * and is served by the endpoint's network interface; the PrivateLink rules (own service only, no
 * cross-Region requests, security groups on TCP 443) hold there and not on the gateway; after
 * the endpoint is deleted the name resolves to the gateway again; listeners come back at restart.
 */
import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import type { LookupFunction } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { BatchClient, BatchServiceException, DescribeJobQueuesCommand, ListJobsCommand } from '@aws-sdk/client-batch';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcEndpointCommand,
  DeleteVpcEndpointsCommand,
  DescribeVpcsCommand,
  ModifyVpcEndpointCommand,
  EC2Client,
  EC2ServiceException,
} from '@aws-sdk/client-ec2';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startTestServer, waitFor } from '../../helpers/server.js';
import type { Kit, TestVpc } from './privatelink-kit.js';
import { networkMap, newVpc, queryDns, resolverOf, startKit, waitForState } from './privatelink-kit.js';

/** A lookup that asks the VPC resolver, as a process inside the VPC would. */
function vpcLookup(resolver: () => { address: string; port: number }, seen: string[]): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    queryDns(resolver(), hostname).then(
      (result) => {
        const address = result.addresses[0];
        if (result.rcode !== 'NOERROR' || !address) {
          callback(Object.assign(new Error(`${hostname}: ${result.rcode}`), { code: 'ENOTFOUND' }));
          return;
        }
        seen.push(address);
        if (options.all)
          callback(
            null,
            result.addresses.map((a) => ({ address: a, family: 4 })),
          );
        else callback(null, address, 4);
      },
      (error: unknown) => callback(error),
    );
  }) as LookupFunction;
}

function batchVia(kit: Kit, resolver: () => { address: string; port: number }, seen: string[], region = 'us-east-1'): BatchClient {
  return new BatchClient({
    ...kit.server.clientConfig,
    region,
    endpoint: `http://batch.us-east-1.amazonaws.com:${kit.server.app.port}`,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: false, lookup: vpcLookup(resolver, seen) }) }),
  });
}

/** Resolves when the connection is accepted and answered, rejects when it is dropped. */
function plainGet(address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: address, port, path: '/v1/listjobs', method: 'POST', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('{}');
  });
}

describe('PrivateLink data path', () => {
  let kit: Kit;
  let vpc: TestVpc;
  let endpointId: string;
  let resolver: { address: string; port: number };
  const seen: string[] = [];
  before(async () => {
    kit = await startKit();
    vpc = await newVpc(kit.ec2);
    resolver = await resolverOf(kit.server, vpc.vpcId);
  });
  after(async () => kit.close());

  test('without an endpoint, the VPC resolver answers the gateway for batch.us-east-1.amazonaws.com', async () => {
    const answer = await queryDns(resolver, 'batch.us-east-1.amazonaws.com');
    assert.deepEqual(answer, { rcode: 'NOERROR', addresses: ['127.0.0.1'] });
    assert.equal((await queryDns(resolver, 'no-such-name.example.com')).rcode, 'NXDOMAIN');
  });

  test('with a private-DNS endpoint, the name answers the interface addresses and Batch calls land on the endpoint', async () => {
    const { VpcEndpoint } = await kit.ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpc.vpcId,
        ServiceName: 'com.amazonaws.us-east-1.batch',
        VpcEndpointType: 'Interface',
        SubnetIds: [vpc.subnetA, vpc.subnetB],
        SecurityGroupIds: [vpc.groupId],
      }),
    );
    endpointId = VpcEndpoint?.VpcEndpointId ?? '';
    const available = await waitForState(kit.ec2, endpointId, 'available');
    const map = await networkMap(kit.server);
    const listens = map.interfaces.filter((eni) => eni.vpcEndpointId === endpointId);
    assert.equal(listens.length, 2);
    assert.ok(listens.every((eni) => eni.listening && eni.listen.endsWith(`:${kit.server.app.port}`) && eni.listen.startsWith('127.')));
    const interfaceAddresses = listens.map((eni) => eni.listen.split(':')[0]).sort();

    for (const name of ['batch.us-east-1.amazonaws.com', 'batch.us-east-1.api.aws', available.DnsEntries?.[0]?.DnsName ?? '']) {
      const answer = await queryDns(resolver, name);
      assert.deepEqual(answer.addresses.sort(), interfaceAddresses, name);
    }
    const zonal = available.DnsEntries?.find((entry) => entry.DnsName?.includes('-us-east-1b.'))?.DnsName ?? '';
    const zonalEni = listens.find((eni) => eni.availabilityZone === 'us-east-1b');
    assert.deepEqual((await queryDns(resolver, zonal)).addresses, [zonalEni?.listen.split(':')[0]]);

    const batch = batchVia(kit, () => resolver, seen);
    const { jobQueues } = await batch.send(new DescribeJobQueuesCommand({}));
    assert.deepEqual(jobQueues, []);
    assert.ok(interfaceAddresses.includes(seen.at(-1)), `connected to ${seen.at(-1)}, an interface of the endpoint`);
    batch.destroy();
  });

  test('a request signed for another Region is refused on the endpoint (no cross-Region requests), not on the gateway', async () => {
    const westward = batchVia(kit, () => resolver, seen, 'us-west-2');
    await assert.rejects(westward.send(new ListJobsCommand({ jobQueue: 'q' })), (error: unknown) => {
      assert.ok(error instanceof BatchServiceException);
      assert.equal(error.name, 'InvalidSignatureException');
      assert.match(error.message, /Credential should be scoped to a valid region/);
      return true;
    });
    westward.destroy();
    const direct = new BatchClient({ ...kit.server.clientConfig, region: 'us-west-2' });
    await direct.send(new DescribeJobQueuesCommand({}));
    direct.destroy();
  });

  test('the endpoint policy applies on the endpoint path only', async () => {
    const policy = JSON.stringify({
      Statement: [
        { Effect: 'Deny', Principal: '*', Action: 'batch:ListJobs', Resource: '*' },
        { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
      ],
    });
    await kit.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: endpointId, PolicyDocument: policy }));
    const viaEndpoint = batchVia(kit, () => resolver, seen);
    await assert.rejects(viaEndpoint.send(new ListJobsCommand({ jobQueue: 'q' })), (error: unknown) => {
      assert.ok(error instanceof BatchServiceException);
      assert.equal(error.$metadata.httpStatusCode, 403);
      assert.match(error.message, /explicit deny in a VPC endpoint policy/);
      return true;
    });
    viaEndpoint.destroy();
    const direct = new BatchClient(kit.server.clientConfig);
    await direct.send(new ListJobsCommand({ jobQueue: 'q' })).catch((error: unknown) => {
      assert.ok(
        !(error instanceof BatchServiceException && error.$metadata.httpStatusCode === 403),
        `the gateway path is not denied: ${String(error)}`,
      );
    });
    direct.destroy();
    await kit.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: endpointId, ResetPolicy: true }));
  });

  test('the endpoint serves only its own service: an EC2 request to it is refused', async () => {
    const eni = (await networkMap(kit.server)).interfaces.find((entry) => entry.vpcEndpointId === endpointId);
    const ec2ViaEndpoint = new EC2Client({ ...kit.server.clientConfig, endpoint: `http://${eni?.listen}` });
    await assert.rejects(ec2ViaEndpoint.send(new DescribeVpcsCommand({})), (error: unknown) => {
      assert.ok(error instanceof EC2ServiceException);
      assert.equal(error.name, 'UnauthorizedOperation');
      assert.match(error.message, /is for the service com\.amazonaws\.us-east-1\.batch; it does not accept ec2 requests/);
      return true;
    });
    ec2ViaEndpoint.destroy();
  });

  test('security groups: no inbound TCP 443 from the caller drops the connection; a 443 rule admits it', async () => {
    const { GroupId } = await kit.ec2.send(
      new CreateSecurityGroupCommand({ VpcId: vpc.vpcId, GroupName: `closed-${Date.now()}`, Description: 'no ingress' }),
    );
    const { VpcEndpoint } = await kit.ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpc.vpcId,
        ServiceName: 'com.amazonaws.us-east-1.logs',
        VpcEndpointType: 'Interface',
        SubnetIds: [vpc.subnetA],
        SecurityGroupIds: [GroupId ?? ''],
      }),
    );
    const id = VpcEndpoint?.VpcEndpointId ?? '';
    await waitForState(kit.ec2, id, 'available');
    const eni = (await networkMap(kit.server)).interfaces.find((entry) => entry.vpcEndpointId === id);
    const [address = ''] = eni?.listen.split(':') ?? [];
    await assert.rejects(plainGet(address, kit.server.app.port), /ECONNRESET|socket hang up/);

    // Port 80 is not 443: still refused (the rule is checked on 443 whatever port batchlink listens on).
    await kit.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    await assert.rejects(plainGet(address, kit.server.app.port), /ECONNRESET|socket hang up/);

    // A rule for another subnet's range does not admit a host of this subnet.
    await kit.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: vpc.cidr.replace('0.0/16', '2.0/24') }] }],
      }),
    );
    await assert.rejects(plainGet(address, kit.server.app.port), /ECONNRESET|socket hang up/);

    await kit.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: vpc.cidr }] }],
      }),
    );
    const status = await plainGet(address, kit.server.app.port);
    assert.ok(status >= 400, 'the connection is accepted and answered (an unsigned request is refused by the API)');
  });

  test('after the endpoint is deleted the name resolves to the gateway and the interface stops listening', async () => {
    const before = (await networkMap(kit.server)).interfaces.filter((entry) => entry.vpcEndpointId === endpointId);
    await kit.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
    await waitFor(
      async () => (await networkMap(kit.server)).interfaces.every((entry) => entry.vpcEndpointId !== endpointId),
      'the endpoint interfaces to go',
    );
    assert.deepEqual(await queryDns(resolver, 'batch.us-east-1.amazonaws.com'), { rcode: 'NOERROR', addresses: ['127.0.0.1'] });
    assert.equal(
      (await queryDns(resolver, before[0]?.listen ? `${endpointId}-x.batch.us-east-1.vpce.amazonaws.com` : 'x')).rcode,
      'NXDOMAIN',
    );
    await assert.rejects(plainGet(before[0]?.listen.split(':')[0] ?? '', kit.server.app.port), /ECONNREFUSED/);

    const westward = batchVia(kit, () => resolver, seen, 'us-west-2');
    await westward.send(new DescribeJobQueuesCommand({}));
    assert.equal(seen.at(-1), '127.0.0.1', 'the public path: the gateway');
    westward.destroy();
  });
});

describe('PrivateLink across a restart', () => {
  test('endpoint listeners and VPC resolvers are reopened at start-up for endpoints in the store', async () => {
    const first = await startTestServer();
    const ec2 = new EC2Client(first.clientConfig);
    const vpc = await newVpc(ec2);
    const { VpcEndpoint } = await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpc.vpcId,
        ServiceName: 'com.amazonaws.us-east-1.batch',
        VpcEndpointType: 'Interface',
        SubnetIds: [vpc.subnetA],
        SecurityGroupIds: [vpc.groupId],
      }),
    );
    await waitForState(ec2, VpcEndpoint?.VpcEndpointId ?? '', 'available');
    const listenBefore = (await networkMap(first)).interfaces[0]?.listen.split(':')[0];
    ec2.destroy();
    await first.app.close();

    const second = await startTestServer({ dataDir: first.dataDir });
    try {
      const map = await networkMap(second);
      assert.equal(map.interfaces[0]?.listen, `${listenBefore}:${second.app.port}`);
      assert.equal(map.interfaces[0]?.listening, true);
      const resolver = await resolverOf(second, vpc.vpcId);
      const answer = await queryDns(resolver, 'batch.us-east-1.amazonaws.com');
      assert.deepEqual(answer.addresses, [listenBefore]);
      const seen: string[] = [];
      const batch = batchVia({ server: second } as Kit, () => resolver, seen);
      await batch.send(new DescribeJobQueuesCommand({}));
      assert.deepEqual(seen, [listenBefore]);
      batch.destroy();
    } finally {
      await second.close();
      await first.close();
    }
  });
});
