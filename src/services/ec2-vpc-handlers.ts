/**
 * EC2 operations for VPCs and subnets: validated query input -> network domain -> wire shape.
 */
import { scopeOf } from '../core/context.js';
import { ApiError } from '../core/errors.js';
import type { NetworkDomain } from '../network/network-domain.js';
import { paginate } from '../network/paging.js';
import { tagsFromSpecifications } from '../network/tags.js';
import type { VpcAttributeName } from '../network/vpcs.js';
import { bool, filters, pageInput, requireStr, str, strList, tagSpecifications } from './ec2-query-input.js';
import { subnetShape, vpcShape } from './ec2-shapes.js';
import type { Handler, Input } from './types.js';

const TENANCIES = ['default', 'dedicated', 'host'] as const;
const VPC_ATTRIBUTES: readonly VpcAttributeName[] = ['enableDnsSupport', 'enableDnsHostnames', 'enableNetworkAddressUsageMetrics'];

/** `EnableDnsSupport.Value=true`: a structure holding a boolean. */
function attributeValue(input: Input, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError('InvalidParameterValue', `Invalid value for parameter ${name}.`);
  }
  const flag = bool(value as Input, 'Value');
  if (flag === undefined) throw new ApiError('MissingParameter', `The request must contain the parameter ${name}.Value`);
  return flag;
}

export function vpcHandlers(network: NetworkDomain): Record<string, Handler> {
  return {
    CreateVpc(input, ctx) {
      const cidrBlock = str(input, 'CidrBlock');
      if (cidrBlock === undefined) {
        if (str(input, 'Ipv4IpamPoolId') !== undefined)
          throw new ApiError('InvalidParameterValue', 'IPAM pools are not supported by batchlink.');
        throw new ApiError('MissingParameter', "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.");
      }
      const tenancy = str(input, 'InstanceTenancy');
      if (tenancy !== undefined && !(TENANCIES as readonly string[]).includes(tenancy)) {
        throw new ApiError(
          'InvalidParameterValue',
          `Value (${tenancy}) for parameter instanceTenancy is invalid. Valid values: default, dedicated, host.`,
        );
      }
      const tags = tagsFromSpecifications(tagSpecifications(input), 'vpc');
      const vpc = network.vpcs.createVpc(scopeOf(ctx), {
        cidrBlock,
        ...(tenancy ? { instanceTenancy: tenancy as (typeof TENANCIES)[number] } : {}),
        tags,
      });
      return { vpc: { ...vpcShape(vpc), state: 'pending' } };
    },

    DescribeVpcs(input, ctx) {
      const ids = strList(input, 'VpcId') ?? [];
      const vpcs = network.vpcs.describeVpcs(scopeOf(ctx), ids, filters(input));
      const page = paginate(vpcs, {
        ...pageInput(input),
        ids: { parameter: 'vpcIds', count: ids.length },
        limits: { min: 5, max: 1000 },
      });
      return { vpcSet: page.items.map(vpcShape), nextToken: page.nextToken };
    },

    DeleteVpc(input, ctx) {
      network.vpcs.deleteVpc(scopeOf(ctx), requireStr(input, 'VpcId'));
      return { return: true };
    },

    ModifyVpcAttribute(input, ctx) {
      const vpcId = requireStr(input, 'VpcId');
      const given = VPC_ATTRIBUTES.flatMap((name) => {
        const value = attributeValue(input, name.charAt(0).toUpperCase() + name.slice(1));
        return value === undefined ? [] : [[name, value] as const];
      });
      if (given.length !== 1) {
        throw new ApiError(
          given.length === 0 ? 'MissingParameter' : 'InvalidParameterCombination',
          given.length === 0
            ? 'The request must contain the parameter enableDnsSupport, enableDnsHostnames or enableNetworkAddressUsageMetrics'
            : 'Fields for multiple attribute types specified: ' + given.map(([n]) => n).join(', '),
        );
      }
      const [attribute, value] = given[0] as readonly [VpcAttributeName, boolean];
      network.vpcs.modifyVpcAttribute(scopeOf(ctx), vpcId, attribute, value);
      return { return: true };
    },

    DescribeVpcAttribute(input, ctx) {
      const vpcId = requireStr(input, 'VpcId');
      const attribute = requireStr(input, 'Attribute');
      if (!(VPC_ATTRIBUTES as readonly string[]).includes(attribute)) {
        throw new ApiError(
          'InvalidParameterValue',
          `Value (${attribute}) for parameter attribute is invalid. Valid values: ${VPC_ATTRIBUTES.join(', ')}.`,
        );
      }
      const vpc = network.vpcs.getVpc(scopeOf(ctx), vpcId);
      return { vpcId, [attribute]: { value: vpc[attribute as VpcAttributeName] } };
    },

    CreateSubnet(input, ctx) {
      const vpcId = requireStr(input, 'VpcId');
      const cidrBlock = str(input, 'CidrBlock');
      if (cidrBlock === undefined) throw new ApiError('MissingParameter', 'The request must contain the parameter cidrBlock');
      const tags = tagsFromSpecifications(tagSpecifications(input), 'subnet');
      const availabilityZone = str(input, 'AvailabilityZone');
      const availabilityZoneId = str(input, 'AvailabilityZoneId');
      const subnet = network.vpcs.createSubnet(scopeOf(ctx), {
        vpcId,
        cidrBlock,
        ...(availabilityZone !== undefined ? { availabilityZone } : {}),
        ...(availabilityZoneId !== undefined ? { availabilityZoneId } : {}),
        tags,
      });
      return { subnet: { ...subnetShape(subnet), state: 'pending' } };
    },

    DescribeSubnets(input, ctx) {
      const ids = strList(input, 'SubnetId') ?? [];
      const subnets = network.vpcs.describeSubnets(scopeOf(ctx), ids, filters(input));
      const page = paginate(subnets, {
        ...pageInput(input),
        ids: { parameter: 'subnetIds', count: ids.length },
        limits: { min: 5, max: 1000 },
      });
      return { subnetSet: page.items.map(subnetShape), nextToken: page.nextToken };
    },

    DeleteSubnet(input, ctx) {
      network.vpcs.deleteSubnet(scopeOf(ctx), requireStr(input, 'SubnetId'));
      return { return: true };
    },
  };
}
