/**
 * The describe side through @aws-sdk/client-ec2: DescribeVpcEndpoints (filters, pagination),
 * DescribeNetworkInterfaces (the requester-managed endpoint interfaces) and
 * DescribeVpcEndpointServices (the catalog, per Region and partition).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateVpcEndpointCommand,
  DescribeNetworkInterfacesCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  paginateDescribeVpcEndpoints,
} from '@aws-sdk/client-ec2';
import { parseCidr, containsIp, parseIp } from '../../../src/network/cidr.js';
import type { Kit, TestVpc } from './privatelink-kit.js';
import { newVpc, rejects, startKit, waitForState } from './privatelink-kit.js';

describe('Describe calls for VPC endpoints', () => {
  let kit: Kit;
  let vpc: TestVpc;
  let interfaceId: string;
  let gatewayId: string;
  before(async () => {
    kit = await startKit();
    vpc = await newVpc(kit.ec2);
    const made = await kit.ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpc.vpcId,
        ServiceName: 'com.amazonaws.us-east-1.batch',
        VpcEndpointType: 'Interface',
        SubnetIds: [vpc.subnetA, vpc.subnetB],
        SecurityGroupIds: [vpc.groupId],
        TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: [{ Key: 'team', Value: 'hpc' }] }],
      }),
    );
    interfaceId = made.VpcEndpoint?.VpcEndpointId ?? '';
    await waitForState(kit.ec2, interfaceId, 'available');
    const gateway = await kit.ec2.send(
      new CreateVpcEndpointCommand({ VpcId: vpc.vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', VpcEndpointType: 'Gateway' }),
    );
    gatewayId = gateway.VpcEndpoint?.VpcEndpointId ?? '';
    for (const service of ['logs', 'ecr.api', 'ecr.dkr', 'sts']) {
      await kit.ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: vpc.vpcId,
          ServiceName: `com.amazonaws.us-east-1.${service}`,
          VpcEndpointType: 'Interface',
          SubnetIds: [vpc.subnetA],
        }),
      );
    }
  });
  after(async () => kit.close());

  test('DescribeVpcEndpoints filters by service-name, vpc-endpoint-type, state and tag', async () => {
    const byService = await kit.ec2.send(
      new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'service-name', Values: ['com.amazonaws.us-east-1.batch'] }] }),
    );
    assert.deepEqual(
      byService.VpcEndpoints?.map((e) => e.VpcEndpointId),
      [interfaceId],
    );
    const gateways = await kit.ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-endpoint-type', Values: ['Gateway'] }] }));
    assert.deepEqual(
      gateways.VpcEndpoints?.map((e) => e.VpcEndpointId),
      [gatewayId],
    );
    const tagged = await kit.ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'tag:team', Values: ['h*'] }] }));
    assert.deepEqual(
      tagged.VpcEndpoints?.map((e) => e.VpcEndpointId),
      [interfaceId],
    );
    const ecr = await kit.ec2.send(
      new DescribeVpcEndpointsCommand({
        Filters: [
          { Name: 'service-name', Values: ['*.ecr.*'] },
          { Name: 'vpc-id', Values: [vpc.vpcId] },
        ],
      }),
    );
    assert.equal(ecr.VpcEndpoints?.length, 2);
  });

  test('DescribeVpcEndpoints rejects an unknown filter name', async () => {
    await rejects(
      kit.ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] })),
      'InvalidParameterValue',
      "The filter 'colour' is invalid",
    );
  });

  test('DescribeVpcEndpoints pages with MaxResults and NextToken', async () => {
    const first = await kit.ec2.send(new DescribeVpcEndpointsCommand({ MaxResults: 2 }));
    assert.equal(first.VpcEndpoints?.length, 2);
    assert.ok(first.NextToken);
    const ids: string[] = [];
    for await (const page of paginateDescribeVpcEndpoints({ client: kit.ec2, pageSize: 2 }, {}))
      ids.push(...(page.VpcEndpoints ?? []).map((e) => e.VpcEndpointId ?? ''));
    assert.equal(ids.length, 6);
    assert.equal(new Set(ids).size, 6);
    await rejects(
      kit.ec2.send(new DescribeVpcEndpointsCommand({ NextToken: 'bogus' })),
      'InvalidParameterValue',
      'Value ( bogus ) for parameter NextToken is invalid. The token is invalid.',
    );
    const all = await kit.ec2.send(new DescribeVpcEndpointsCommand({ MaxResults: 5000 }));
    assert.equal(all.VpcEndpoints?.length, 6, 'MaxResults above 1,000 returns at most 1,000 items');
  });

  test('DescribeNetworkInterfaces shows the requester-managed vpc_endpoint interfaces', async () => {
    const { NetworkInterfaces } = await kit.ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'description', Values: [`VPC Endpoint Interface ${interfaceId}`] }] }),
    );
    assert.equal(NetworkInterfaces?.length, 2);
    for (const eni of NetworkInterfaces ?? []) {
      assert.equal(eni.InterfaceType, 'vpc_endpoint');
      assert.equal(eni.RequesterManaged, true);
      assert.equal(eni.Status, 'in-use');
      assert.equal(eni.VpcId, vpc.vpcId);
      assert.match(eni.NetworkInterfaceId ?? '', /^eni-[0-9a-f]{17}$/);
      assert.deepEqual(
        eni.Groups?.map((group) => group.GroupId),
        [vpc.groupId],
      );
      const subnetCidr = parseCidr(
        eni.SubnetId === vpc.subnetA ? vpc.cidr.replace('0.0/16', '1.0/24') : vpc.cidr.replace('0.0/16', '2.0/24'),
      );
      const ip = parseIp(eni.PrivateIpAddress ?? '');
      assert.ok(subnetCidr && ip !== undefined && containsIp(subnetCidr, ip), `${eni.PrivateIpAddress} lies in the subnet`);
      assert.equal(eni.PrivateIpAddresses?.[0]?.Primary, true);
    }
    assert.deepEqual(NetworkInterfaces?.map((eni) => eni.AvailabilityZone).sort(), ['us-east-1a', 'us-east-1b']);
  });

  test('DescribeNetworkInterfaces filters by subnet-id and interface-type and refuses unknown ids', async () => {
    const { NetworkInterfaces } = await kit.ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [
          { Name: 'subnet-id', Values: [vpc.subnetB] },
          { Name: 'interface-type', Values: ['vpc_endpoint'] },
        ],
      }),
    );
    assert.equal(NetworkInterfaces?.length, 1);
    await rejects(
      kit.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-0123456789abcdef0'] })),
      'InvalidNetworkInterfaceID.NotFound',
      "The networkInterface ID 'eni-0123456789abcdef0' does not exist",
    );
  });

  test('DescribeVpcEndpointServices lists Batch with its private DNS names, policy support and zones', async () => {
    const { ServiceDetails, ServiceNames } = await kit.ec2.send(
      new DescribeVpcEndpointServicesCommand({ ServiceNames: ['com.amazonaws.us-east-1.batch'] }),
    );
    assert.deepEqual(ServiceNames, ['com.amazonaws.us-east-1.batch']);
    const batch = ServiceDetails?.[0];
    assert.equal(batch?.ServiceType?.[0]?.ServiceType, 'Interface');
    assert.equal(batch?.PrivateDnsName, 'batch.us-east-1.amazonaws.com');
    assert.deepEqual(
      batch?.PrivateDnsNames?.map((name) => name.PrivateDnsName),
      ['batch.us-east-1.amazonaws.com', 'batch.us-east-1.api.aws'],
    );
    assert.equal(batch?.VpcEndpointPolicySupported, true);
    assert.deepEqual(batch?.BaseEndpointDnsNames, ['batch.us-east-1.vpce.amazonaws.com']);
    assert.equal(batch?.AvailabilityZones?.length, 6);
    assert.equal(batch?.Owner, 'amazon');
  });

  test('DescribeVpcEndpointServices offers the services a private Batch workload needs', async () => {
    const { ServiceNames, ServiceDetails } = await kit.ec2.send(new DescribeVpcEndpointServicesCommand({}));
    for (const short of [
      'batch',
      'batch-fips',
      'ecs',
      'ecs-agent',
      'ecs-telemetry',
      'ecr.api',
      'ecr.dkr',
      's3',
      'dynamodb',
      'secretsmanager',
      'logs',
      'sts',
      'ec2',
    ]) {
      assert.ok(ServiceNames?.includes(`com.amazonaws.us-east-1.${short}`), short);
    }
    const s3 = ServiceDetails?.filter((detail) => detail.ServiceName === 'com.amazonaws.us-east-1.s3').map(
      (detail) => detail.ServiceType?.[0]?.ServiceType,
    );
    assert.deepEqual(s3?.sort(), ['Gateway', 'Interface']);
    const gateways = await kit.ec2.send(
      new DescribeVpcEndpointServicesCommand({ Filters: [{ Name: 'service-type', Values: ['Gateway'] }] }),
    );
    assert.deepEqual(gateways.ServiceNames, ['com.amazonaws.us-east-1.dynamodb', 'com.amazonaws.us-east-1.s3']);
  });

  test('DescribeVpcEndpointServices refuses an unknown service name with InvalidServiceName', async () => {
    await rejects(
      kit.ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: ['com.amazonaws.us-east-1.nosuch'] })),
      'InvalidServiceName',
      "The Vpc Endpoint Service 'com.amazonaws.us-east-1.nosuch' does not exist",
    );
  });

  test('DescribeVpcEndpointServices: no Batch in ap-northeast-3; cn.com.amazonaws names in China', async () => {
    const osaka = new EC2Client({ ...kit.server.clientConfig, region: 'ap-northeast-3' });
    const { ServiceNames: osakaNames } = await osaka.send(new DescribeVpcEndpointServicesCommand({}));
    assert.ok(!osakaNames?.includes('com.amazonaws.ap-northeast-3.batch'));
    assert.ok(osakaNames?.includes('com.amazonaws.ap-northeast-3.logs'));
    osaka.destroy();
    const beijing = new EC2Client({ ...kit.server.clientConfig, region: 'cn-north-1' });
    const { ServiceDetails } = await beijing.send(
      new DescribeVpcEndpointServicesCommand({ ServiceNames: ['cn.com.amazonaws.cn-north-1.batch'] }),
    );
    assert.equal(ServiceDetails?.[0]?.PrivateDnsName, 'batch.cn-north-1.amazonaws.com.cn');
    assert.deepEqual(ServiceDetails?.[0]?.BaseEndpointDnsNames, ['batch.cn-north-1.vpce.amazonaws.com.cn']);
    beijing.destroy();
  });
});
