/**
 * Shared pieces of the PrivateLink tests: a server with an EC2 client and the EC2 error assertion
 * (both from the EC2 test kit), a VPC ready for private DNS (both DNS attributes on, subnets in two
 * zones, a security group allowing TCP 443 from the VPC), a listening Batch endpoint with a policy
 * and a Batch client for it, the network map, and a DNS client that asks a VPC resolver over UDP
 * with dns-packet.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { BatchClient } from '@aws-sdk/client-batch';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import type { VpcEndpoint } from '@aws-sdk/client-ec2';
import { waitFor } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import type { NetworkMap } from '../../../src/server/privatelink.js';
import type { Ec2Kit as Kit } from '../ec2/ec2-test-kit.js';

/** The same server-with-EC2-client and EC2 error assertion as the EC2 tests. */
export { rejects, startEc2 as startKit } from '../ec2/ec2-test-kit.js';
export type { Kit };

export interface TestVpc {
  vpcId: string;
  cidr: string;
  subnetA: string; // us-east-1a
  subnetB: string; // us-east-1b
  groupId: string; // allows TCP 443 from the VPC CIDR
}

let nextOctet = 0;

/** A VPC with both DNS attributes (unless `dns: false`), two subnets and an HTTPS security group. */
export async function newVpc(ec2: EC2Client, options: { dns?: boolean } = {}): Promise<TestVpc> {
  const octet = 100 + (nextOctet++ % 100);
  const cidr = `10.${octet}.0.0/16`;
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const vpcId = Vpc?.VpcId;
  assert.ok(vpcId);
  if (options.dns !== false) await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  const a = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.${octet}.1.0/24`, AvailabilityZone: 'us-east-1a' }));
  const b = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.${octet}.2.0/24`, AvailabilityZone: 'us-east-1b' }));
  const group = await ec2.send(
    new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: `https-${octet}`, Description: 'HTTPS from the VPC' }),
  );
  assert.ok(a.Subnet?.SubnetId && b.Subnet?.SubnetId && group.GroupId);
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: group.GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: cidr }] }],
    }),
  );
  return { vpcId, cidr, subnetA: a.Subnet.SubnetId, subnetB: b.Subnet.SubnetId, groupId: group.GroupId };
}

export async function describeEndpoint(ec2: EC2Client, id: string): Promise<VpcEndpoint> {
  const { VpcEndpoints } = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }));
  const endpoint = VpcEndpoints?.[0];
  assert.ok(endpoint, `endpoint ${id} not described`);
  return endpoint;
}

export async function waitForState(ec2: EC2Client, id: string, state: string): Promise<VpcEndpoint> {
  return waitFor(async () => {
    const endpoint = await describeEndpoint(ec2, id);
    return endpoint.State === state ? endpoint : undefined;
  }, `endpoint ${id} to be ${state}`);
}

/** A Batch interface endpoint in `vpc` (one subnet, its HTTPS group) with `policy`, once available and listening: its id and URL. */
export async function listeningBatchEndpoint(kit: Kit, vpc: TestVpc, policy: object): Promise<{ vpcEndpointId: string; url: string }> {
  const created = await kit.ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: vpc.vpcId,
      VpcEndpointType: 'Interface',
      ServiceName: 'com.amazonaws.us-east-1.batch',
      SubnetIds: [vpc.subnetA],
      SecurityGroupIds: [vpc.groupId],
      PolicyDocument: JSON.stringify(policy),
    }),
  );
  const vpcEndpointId = created.VpcEndpoint?.VpcEndpointId ?? '';
  await waitForState(kit.ec2, vpcEndpointId, 'available');
  const listen = await waitFor(async () => {
    const entry = (await networkMap(kit.server)).interfaces.find((i) => i.vpcEndpointId === vpcEndpointId && i.listening);
    return entry?.listen;
  }, 'the endpoint interface to listen');
  return { vpcEndpointId, url: `http://${listen}` };
}

/** A Batch client calling `url` (an endpoint interface or the gateway) with the kit's config, or other credentials. */
export function batchClientAt(kit: Kit, url: string, credentials = kit.server.clientConfig.credentials): BatchClient {
  return new BatchClient({ ...kit.server.clientConfig, endpoint: url, credentials });
}

export async function networkMap(server: TestServer): Promise<NetworkMap> {
  const response = await fetch(`${server.app.url}/_batchlink/network`);
  assert.equal(response.status, 200);
  return (await response.json()) as NetworkMap;
}

/** The VPC's resolver as `{ address, port }`, waiting until it listens. */
export async function resolverOf(server: TestServer, vpcId: string): Promise<{ address: string; port: number }> {
  return waitFor(async () => {
    const vpc = (await networkMap(server)).vpcs.find((entry) => entry.vpcId === vpcId);
    if (!vpc?.listening) return undefined;
    const [address = '', port = ''] = vpc.resolver.split(':');
    return { address, port: Number(port) };
  }, `the resolver of ${vpcId} to listen`);
}

export interface DnsResult {
  rcode: string;
  addresses: string[];
}

/** Asks `server` (a VPC resolver) for the A records of `name` over UDP. */
export function queryDns(resolver: { address: string; port: number }, name: string): Promise<DnsResult> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const id = Math.floor(Math.random() * 65535);
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no DNS answer from ${resolver.address}:${resolver.port} for ${name}`));
    }, 3000);
    socket.on('message', (message) => {
      clearTimeout(timer);
      socket.close();
      const packet = dnsPacket.decode(message);
      const addresses = (packet.answers ?? []).flatMap((answer) => (answer.type === 'A' ? [answer.data] : []));
      const rcode = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'][(packet.flags ?? 0) & 0xf] ?? 'OTHER';
      resolve({ rcode, addresses });
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    const query = dnsPacket.encode({
      type: 'query',
      id,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ type: 'A', name, class: 'IN' }],
    });
    socket.send(query, resolver.port, resolver.address);
  });
}
