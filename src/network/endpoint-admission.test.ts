/**
 * Unit tests of the security-group admission of endpoint connections: TCP 443 (or all traffic)
 * from a CIDR containing the interface's subnet, or from a group of the same VPC.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admitLocalCaller } from './endpoint-admission.js';
import type { IngressRule, SecurityGroupView, SubnetView } from './endpoint-model.js';

const subnet: SubnetView = { subnetId: 'subnet-a', vpcId: 'vpc-1', cidrBlock: '10.0.1.0/24', availabilityZone: 'us-east-1a' };
const group = (...ingress: IngressRule[]): SecurityGroupView => ({ groupId: 'sg-1', groupName: 'g', vpcId: 'vpc-1', ingress });
const rule = (r: Partial<IngressRule>): IngressRule => ({
  ipProtocol: 'tcp',
  fromPort: 443,
  toPort: 443,
  cidrIpv4: [],
  groupIds: [],
  ...r,
});
const inVpc = (id: string) => id === 'sg-vpc';

test('admits TCP 443 from the VPC CIDR, from 0.0.0.0/0, all traffic, or a port range holding 443', () => {
  for (const r of [
    rule({ cidrIpv4: ['10.0.0.0/16'] }),
    rule({ cidrIpv4: ['0.0.0.0/0'] }),
    rule({ ipProtocol: '-1', cidrIpv4: ['10.0.1.0/24'] }),
    rule({ fromPort: 400, toPort: 500, cidrIpv4: ['10.0.0.0/8'] }),
  ]) {
    assert.equal(admitLocalCaller([group(r)], subnet, inVpc).allowed, true, JSON.stringify(r));
  }
});

test('refuses other ports, UDP, a CIDR not covering the subnet, and no rules — saying why', () => {
  for (const r of [
    rule({ fromPort: 80, toPort: 80, cidrIpv4: ['0.0.0.0/0'] }),
    rule({ ipProtocol: 'udp', cidrIpv4: ['0.0.0.0/0'] }),
    rule({ cidrIpv4: ['10.0.2.0/24'] }),
  ]) {
    assert.equal(admitLocalCaller([group(r)], subnet, inVpc).allowed, false, JSON.stringify(r));
  }
  const none = admitLocalCaller([group()], subnet, inVpc);
  assert.equal(none.allowed, false);
  assert.match(none.reason, /no inbound rule of the security groups \(sg-1\) allows TCP 443 from a host in subnet-a \(10\.0\.1\.0\/24\)/);
});

test('a rule naming a security group of the same VPC admits; one of another VPC does not', () => {
  assert.equal(admitLocalCaller([group(rule({ groupIds: ['sg-vpc'] }))], subnet, inVpc).allowed, true);
  assert.equal(admitLocalCaller([group(rule({ groupIds: ['sg-elsewhere'] }))], subnet, inVpc).allowed, false);
});
