/**
 * The EC2 operations of VPC endpoints (CreateVpcEndpoint, DescribeVpcEndpoints,
 * ModifyVpcEndpoint, DeleteVpcEndpoints, DescribeVpcEndpointServices, DescribeNetworkInterfaces),
 * spread into the EC2 operation table. Outputs are keyed by the botocore model's locationNames
 * (VpcEndpoint.Groups is `groupSet`, DnsEntries `dnsEntrySet`, …) for the XML builder.
 */
import type { RequestContext } from '../core/context.js';
import { scopeOf } from '../core/context.js';
import { ApiError } from '../core/errors.js';
import { dnsEntriesOf } from '../network/endpoint-dns-names.js';
import { DEFAULT_ENDPOINT_POLICY } from '../network/endpoint-model.js';
import type { EndpointNetworkInterface, Tag, VpcEndpoint } from '../network/endpoint-model.js';
import {
  describeEndpointInterfaces,
  describeEndpointServices,
  describeVpcEndpoints,
  interfaceDescription,
} from '../network/endpoint-queries.js';
import { zonesOf } from '../network/endpoint-services.js';
import type { EndpointService, EndpointServiceType } from '../network/endpoint-services.js';
import { tagsFromSpecifications } from '../network/tags.js';
import type { VpcEndpoints } from '../network/vpc-endpoints.js';
import { createHash } from 'node:crypto';
import { bool, dryRun, filters, pageInput, requireStr, str, strList, tagSpecifications } from './ec2-query-input.js';
import type { Handler, Input } from './types.js';

/** What AWS returns for a Gateway endpoint without a custom policy. */
const DEFAULT_GATEWAY_POLICY = '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';

export interface EndpointOperationDeps {
  endpoints: VpcEndpoints;
}

const tagSet = (tags: Tag[]) => tags.map((tag) => ({ key: tag.Key, value: tag.Value }));

function groupSet(domain: VpcEndpoints, ctx: RequestContext, groupIds: string[]) {
  const scope = scopeOf(ctx);
  return groupIds.map((groupId) => ({ groupId, groupName: domain.network.securityGroup(scope, groupId)?.groupName }));
}

function endpointShape(domain: VpcEndpoints, ctx: RequestContext, endpoint: VpcEndpoint) {
  const scope = scopeOf(ctx);
  const service = domain.serviceOf(scope, endpoint);
  const isInterface = endpoint.vpcEndpointType === 'Interface';
  return {
    vpcEndpointId: endpoint.vpcEndpointId,
    vpcEndpointType: endpoint.vpcEndpointType,
    vpcId: endpoint.vpcId,
    serviceName: endpoint.serviceName,
    state: endpoint.state,
    policyDocument: endpoint.policyDocument ?? (isInterface ? DEFAULT_ENDPOINT_POLICY : DEFAULT_GATEWAY_POLICY),
    routeTableIdSet: endpoint.routeTableIds,
    subnetIdSet: endpoint.subnetIds,
    groupSet: groupSet(domain, ctx, endpoint.groupIds),
    ipAddressType: isInterface ? 'ipv4' : undefined,
    dnsOptions: isInterface ? { dnsRecordIpType: 'ipv4', privateDnsOnlyForInboundResolverEndpoint: false } : undefined,
    privateDnsEnabled: endpoint.privateDnsEnabled,
    requesterManaged: false,
    networkInterfaceIdSet: endpoint.networkInterfaceIds,
    dnsEntrySet: dnsEntriesOf(endpoint, service, domain.interfacesOf(scope, endpoint)).map((entry) => ({
      dnsName: entry.dnsName,
      hostedZoneId: entry.hostedZoneId,
    })),
    creationTimestamp: new Date(endpoint.creationTimestamp),
    tagSet: tagSet(endpoint.tags),
    ownerId: endpoint.ownerId,
  };
}

function privateDnsNameOf(ip: string, region: string): string {
  const host = `ip-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

function interfaceShape(domain: VpcEndpoints, ctx: RequestContext, eni: EndpointNetworkInterface) {
  const privateDnsName = privateDnsNameOf(eni.privateIpAddress, ctx.region);
  return {
    availabilityZone: eni.availabilityZone,
    description: interfaceDescription(eni),
    groupSet: groupSet(domain, ctx, eni.groupIds),
    interfaceType: 'vpc_endpoint',
    ipv6AddressesSet: [],
    macAddress: eni.macAddress,
    networkInterfaceId: eni.networkInterfaceId,
    ownerId: eni.ownerId,
    privateDnsName,
    privateIpAddress: eni.privateIpAddress,
    privateIpAddressesSet: [{ primary: true, privateDnsName, privateIpAddress: eni.privateIpAddress }],
    requesterId: 'amazon-aws',
    requesterManaged: true,
    sourceDestCheck: true,
    status: 'in-use',
    subnetId: eni.subnetId,
    tagSet: tagSet(eni.tags),
    vpcId: eni.vpcId,
    availabilityZoneId: eni.availabilityZoneId,
  };
}

function serviceId(service: EndpointService): string {
  return `vpce-svc-${createHash('sha256').update(`${service.serviceName}/${service.serviceType}`).digest('hex').slice(0, 17)}`;
}

function serviceShape(service: EndpointService) {
  const zones = zonesOf(service);
  return {
    serviceName: service.serviceName,
    serviceId: serviceId(service),
    serviceType: [{ serviceType: service.serviceType }],
    serviceRegion: service.region,
    availabilityZoneIdSet: zones.map((zone) => zone.id),
    availabilityZoneSet: zones.map((zone) => zone.name),
    owner: 'amazon',
    baseEndpointDnsNameSet: [service.baseEndpointDnsName],
    privateDnsName: service.privateDnsName,
    privateDnsNameSet: service.privateDnsNames.map((name) => ({ privateDnsName: name })),
    vpcEndpointPolicySupported: service.policySupported,
    acceptanceRequired: false,
    managesVpcEndpoints: false,
    tagSet: [],
    privateDnsNameVerificationState: service.privateDnsName ? 'verified' : undefined,
    supportedIpAddressTypeSet: ['ipv4'],
  };
}

const ENDPOINT_TYPES: readonly EndpointServiceType[] = ['Interface', 'Gateway'];

function endpointType(input: Input): EndpointServiceType | undefined {
  const type = str(input, 'VpcEndpointType');
  if (type === undefined) return undefined;
  if (type === 'GatewayLoadBalancer' || type === 'Resource' || type === 'ServiceNetwork') {
    throw new ApiError(
      'InvalidParameter',
      `The VPC endpoint type ${type} is not supported by the endpoint service ${str(input, 'ServiceName') ?? ''}.`,
    );
  }
  if (!(ENDPOINT_TYPES as readonly string[]).includes(type)) {
    throw new ApiError(
      'InvalidParameterValue',
      `Value (${type}) for parameter vpcEndpointType is invalid. Valid values: Interface, Gateway, GatewayLoadBalancer, Resource, ServiceNetwork.`,
    );
  }
  return type as EndpointServiceType;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function endpointOperations(deps: EndpointOperationDeps): Record<string, Handler> {
  const domain = deps.endpoints;
  return {
    CreateVpcEndpoint(input, ctx) {
      const vpcId = requireStr(input, 'VpcId');
      const serviceName = requireStr(input, 'ServiceName');
      const type = endpointType(input);
      const tags = tagsFromSpecifications(tagSpecifications(input), 'vpc-endpoint');
      dryRun(input);
      const clientToken = str(input, 'ClientToken');
      const endpoint = domain.create(
        scopeOf(ctx),
        defined({
          vpcEndpointType: type,
          vpcId,
          serviceName,
          policyDocument: str(input, 'PolicyDocument'),
          routeTableIds: strList(input, 'RouteTableId'),
          subnetIds: strList(input, 'SubnetId'),
          securityGroupIds: strList(input, 'SecurityGroupId'),
          privateDnsEnabled: bool(input, 'PrivateDnsEnabled'),
          tags,
          clientToken,
        }),
      );
      return { vpcEndpoint: endpointShape(domain, ctx, endpoint), clientToken };
    },

    DescribeVpcEndpoints(input, ctx) {
      dryRun(input);
      const page = describeVpcEndpoints(
        domain,
        scopeOf(ctx),
        defined({
          ids: strList(input, 'VpcEndpointId'),
          filters: filters(input),
          ...pageInput(input),
        }),
      );
      return { vpcEndpointSet: page.items.map((endpoint) => endpointShape(domain, ctx, endpoint)), nextToken: page.nextToken };
    },

    ModifyVpcEndpoint(input, ctx) {
      const vpcEndpointId = requireStr(input, 'VpcEndpointId');
      dryRun(input);
      domain.modify(
        scopeOf(ctx),
        defined({
          vpcEndpointId,
          resetPolicy: bool(input, 'ResetPolicy'),
          policyDocument: str(input, 'PolicyDocument'),
          addRouteTableIds: strList(input, 'AddRouteTableId'),
          removeRouteTableIds: strList(input, 'RemoveRouteTableId'),
          addSubnetIds: strList(input, 'AddSubnetId'),
          removeSubnetIds: strList(input, 'RemoveSubnetId'),
          addSecurityGroupIds: strList(input, 'AddSecurityGroupId'),
          removeSecurityGroupIds: strList(input, 'RemoveSecurityGroupId'),
          privateDnsEnabled: bool(input, 'PrivateDnsEnabled'),
        }),
      );
      return { return: true };
    },

    DeleteVpcEndpoints(input, ctx) {
      const ids = strList(input, 'VpcEndpointId') ?? [];
      if (ids.length === 0) throw new ApiError('MissingParameter', 'The request must contain the parameter VpcEndpointId');
      dryRun(input);
      const unsuccessful = domain.delete(scopeOf(ctx), ids);
      return {
        unsuccessful: unsuccessful.map((item) => ({ error: { code: item.code, message: item.message }, resourceId: item.resourceId })),
      };
    },

    DescribeVpcEndpointServices(input, ctx) {
      dryRun(input);
      const page = describeEndpointServices(
        ctx.region,
        defined({
          ids: strList(input, 'ServiceName'),
          filters: filters(input),
          ...pageInput(input),
        }),
      );
      return { serviceNameSet: page.serviceNames, serviceDetailSet: page.items.map(serviceShape), nextToken: page.nextToken };
    },

    DescribeNetworkInterfaces(input, ctx) {
      dryRun(input);
      const page = describeEndpointInterfaces(
        domain,
        scopeOf(ctx),
        defined({
          ids: strList(input, 'NetworkInterfaceId'),
          filters: filters(input),
          ...pageInput(input),
        }),
      );
      return { networkInterfaceSet: page.items.map((eni) => interfaceShape(domain, ctx, eni)), nextToken: page.nextToken };
    },
  };
}
