/**
 * Does an endpoint network interface accept a connection? Its security groups must allow inbound
 * TCP 443 from the caller (AWS: otherwise the connection times out; there is no API error).
 * batchlink's callers are local processes; a local caller counts as a host in the subnet of the
 * interface it connected to: a CIDR rule admits it when the CIDR contains that subnet, and a
 * rule naming a security group of the same VPC admits it (the host may be a member).
 */
import { containsCidr, parseCidr } from './cidr.js';
import type { IngressRule, SecurityGroupView, SubnetView } from './endpoint-model.js';

export const ENDPOINT_SERVICE_PORT = 443;

export interface Admission {
  allowed: boolean;
  /** Why: the group and rule that admitted the caller, or why none did. */
  reason: string;
}

function coversPort(rule: IngressRule, port: number): boolean {
  const protocol = rule.ipProtocol.toLowerCase();
  if (protocol === '-1' || protocol === 'all') return true;
  if (protocol !== 'tcp' && protocol !== '6') return false;
  const from = rule.fromPort ?? 0;
  const to = rule.toPort ?? 65535;
  return port >= from && port <= to;
}

function describeRule(rule: IngressRule): string {
  const ports = rule.ipProtocol === '-1' ? 'all traffic' : `${rule.ipProtocol} ${rule.fromPort ?? 0}-${rule.toPort ?? 65535}`;
  const sources = [...rule.cidrIpv4, ...rule.groupIds, ...(rule.prefixListIds ?? [])].join(', ') || 'no source';
  return `${ports} from ${sources}`;
}

export function admitLocalCaller(
  groups: SecurityGroupView[],
  subnet: SubnetView,
  inVpc: (groupId: string) => boolean,
  port = ENDPOINT_SERVICE_PORT,
): Admission {
  const subnetCidr = parseCidr(subnet.cidrBlock);
  for (const group of groups) {
    for (const rule of group.ingress) {
      if (!coversPort(rule, port)) continue;
      for (const cidrText of rule.cidrIpv4) {
        const cidr = parseCidr(cidrText);
        if (cidr && subnetCidr && containsCidr(cidr, subnetCidr)) {
          return {
            allowed: true,
            reason: `${group.groupId} allows ${describeRule(rule)} (the caller counts as a host in ${subnet.subnetId} ${subnet.cidrBlock})`,
          };
        }
      }
      const referenced = rule.groupIds.find(inVpc);
      if (referenced) return { allowed: true, reason: `${group.groupId} allows ${describeRule(rule)} (a security group of the VPC)` };
    }
  }
  const ids = groups.map((group) => group.groupId).join(', ') || 'none';
  return {
    allowed: false,
    reason: `no inbound rule of the security groups (${ids}) allows TCP ${port} from a host in ${subnet.subnetId} (${subnet.cidrBlock})`,
  };
}
