import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/clock.js';
import { ApiError } from '../core/errors.js';
import { randomIds } from '../core/ids.js';
import { networkRepositories } from '../server/network-wiring.js';
import { openDatabase, unitOfWork } from '../store/database.js';
import { NetworkDomain } from './network-domain.js';
import { networkLookup } from './network-lookup.js';

const scope = { accountId: '123456789012', region: 'eu-west-1' };

function setup() {
  const db = openDatabase(':memory:');
  const repos = networkRepositories(db);
  const network = new NetworkDomain({ ...repos, uow: unitOfWork(db), clock: new ManualClock(), ids: randomIds });
  return { network, repos, lookup: networkLookup(network, repos) };
}

const code = (expected: string) => (error: unknown) => error instanceof ApiError && error.code === expected;

test('allocatePrivateIp: hands out the lowest free address after the four reserved, then refuses when full', () => {
  const { network } = setup();
  const vpc = network.vpcs.createVpc(scope, { cidrBlock: '10.0.0.0/16', tags: [] });
  const subnet = network.vpcs.createSubnet(scope, { vpcId: vpc.vpcId, cidrBlock: '10.0.0.0/28', tags: [] });
  const ips = Array.from({ length: 11 }, (_, i) => network.allocatePrivateIp(scope, subnet.subnetId, `eni-${i}`));
  assert.equal(ips[0], '10.0.0.4');
  assert.equal(ips[10], '10.0.0.14');
  assert.throws(() => network.allocatePrivateIp(scope, subnet.subnetId, 'eni-x'), code('InsufficientFreeAddressesInSubnet'));
  network.releasePrivateIp(scope, subnet.subnetId, '10.0.0.7');
  assert.equal(network.allocatePrivateIp(scope, subnet.subnetId, 'eni-y'), '10.0.0.7');
  assert.throws(() => network.allocatePrivateIp(scope, subnet.subnetId, 'eni-z', '10.0.0.7'), code('InvalidIPAddress.InUse'));
  assert.throws(() => network.allocatePrivateIp(scope, subnet.subnetId, 'eni-z', '10.0.1.7'), code('InvalidParameterValue'));
});

test('networkLookup: exposes DNS attributes, subnet zones, default group ingress and route table VPCs', () => {
  const { network, lookup } = setup();
  const vpc = network.vpcs.createVpc(scope, { cidrBlock: '10.1.0.0/16', tags: [] });
  const subnet = network.vpcs.createSubnet(scope, { vpcId: vpc.vpcId, cidrBlock: '10.1.2.0/24', availabilityZone: 'eu-west-1b', tags: [] });
  assert.deepEqual(lookup.vpc(scope, vpc.vpcId), {
    vpcId: vpc.vpcId,
    cidrBlocks: ['10.1.0.0/16'],
    enableDnsSupport: true,
    enableDnsHostnames: false,
    isDefault: false,
  });
  assert.deepEqual(lookup.subnet(scope, subnet.subnetId), {
    subnetId: subnet.subnetId,
    vpcId: vpc.vpcId,
    cidrBlock: '10.1.2.0/24',
    availabilityZone: 'eu-west-1b',
  });
  const group = lookup.defaultSecurityGroup(scope, vpc.vpcId);
  assert.equal(group?.groupName, 'default');
  assert.deepEqual(group?.ingress, [{ ipProtocol: '-1', cidrIpv4: [], groupIds: [vpc.defaultSecurityGroupId] }]);
  assert.equal(lookup.routeTableVpc?.(scope, vpc.mainRouteTableId), vpc.vpcId);
  assert.equal(lookup.vpc({ ...scope, region: 'us-east-1' }, vpc.vpcId), undefined);
  assert.deepEqual(
    lookup.allVpcs().map((v) => v.vpc.vpcId),
    [vpc.vpcId],
  );
});

test('dependency hooks: a registered check blocks deleting the VPC and the security group', () => {
  const { network } = setup();
  const vpc = network.vpcs.createVpc(scope, { cidrBlock: '10.2.0.0/16', tags: [] });
  const group = network.securityGroups.createSecurityGroup(scope, { groupName: 'g', description: 'd', vpcId: vpc.vpcId, tags: [] });
  let inUse = true;
  network.hooks.addDependencyCheck('security-group', (_s, id) => inUse && id === group.groupId);
  network.hooks.addDependencyCheck('vpc', (_s, id) => inUse && id === vpc.vpcId);
  assert.throws(() => network.securityGroups.deleteSecurityGroup(scope, { groupId: group.groupId }), code('DependencyViolation'));
  inUse = false;
  network.securityGroups.deleteSecurityGroup(scope, { groupId: group.groupId });
  network.vpcs.deleteVpc(scope, vpc.vpcId);
  assert.equal(network.findVpc(scope, vpc.vpcId), undefined);
});
