/**
 * EC2 operations for internet gateways, route tables and NAT gateways.
 */
import { scopeOf } from '../core/context.js';
import { ApiError } from '../core/errors.js';
import type { NetworkDomain } from '../network/network-domain.js';
import { paginate } from '../network/paging.js';
import type { RouteTarget } from '../network/routing.js';
import { tagsFromSpecifications } from '../network/tags.js';
import { filters, pageInput, requireStr, str, strList, tagSpecifications } from './ec2-query-input.js';
import { internetGatewayShape, natGatewayShape, routeTableShape } from './ec2-shapes.js';
import type { Handler, Input } from './types.js';

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function routeTarget(input: Input): RouteTarget {
  const vpcEndpointId = str(input, 'VpcEndpointId');
  const unsupported = [
    'EgressOnlyInternetGatewayId',
    'LocalGatewayId',
    'CarrierGatewayId',
    'CoreNetworkArn',
    'DestinationPrefixListId',
  ].find((n) => str(input, n) !== undefined);
  if (unsupported) throw new ApiError('InvalidParameterValue', `The parameter ${unsupported} is not supported by batchlink.`);
  return defined({
    gatewayId: str(input, 'GatewayId') ?? vpcEndpointId,
    natGatewayId: str(input, 'NatGatewayId'),
    networkInterfaceId: str(input, 'NetworkInterfaceId'),
    instanceId: str(input, 'InstanceId'),
    vpcPeeringConnectionId: str(input, 'VpcPeeringConnectionId'),
    transitGatewayId: str(input, 'TransitGatewayId'),
  });
}

function destination(input: Input): string {
  const cidr = str(input, 'DestinationCidrBlock');
  if (cidr === undefined)
    throw new ApiError('MissingParameter', 'The request must contain the parameter destinationCidrBlock or destinationIpv6CidrBlock');
  return cidr;
}

export function routingHandlers(network: NetworkDomain): Record<string, Handler> {
  const routing = network.routing;
  return {
    CreateInternetGateway(input, ctx) {
      const gateway = routing.createInternetGateway(scopeOf(ctx), tagsFromSpecifications(tagSpecifications(input), 'internet-gateway'));
      return { internetGateway: internetGatewayShape(gateway) };
    },
    AttachInternetGateway(input, ctx) {
      routing.attachInternetGateway(scopeOf(ctx), requireStr(input, 'InternetGatewayId'), requireStr(input, 'VpcId'));
      return { return: true };
    },
    DetachInternetGateway(input, ctx) {
      routing.detachInternetGateway(scopeOf(ctx), requireStr(input, 'InternetGatewayId'), requireStr(input, 'VpcId'));
      return { return: true };
    },
    DeleteInternetGateway(input, ctx) {
      routing.deleteInternetGateway(scopeOf(ctx), requireStr(input, 'InternetGatewayId'));
      return { return: true };
    },
    DescribeInternetGateways(input, ctx) {
      const ids = strList(input, 'InternetGatewayId') ?? [];
      const gateways = routing.describeInternetGateways(scopeOf(ctx), ids, filters(input));
      const page = paginate(gateways, {
        ...pageInput(input),
        ids: { parameter: 'internetGatewayIds', count: ids.length },
        limits: { min: 5, max: 1000 },
      });
      return { internetGatewaySet: page.items.map(internetGatewayShape), nextToken: page.nextToken };
    },

    CreateRouteTable(input, ctx) {
      const vpcId = requireStr(input, 'VpcId');
      const table = routing.createRouteTable(scopeOf(ctx), vpcId, tagsFromSpecifications(tagSpecifications(input), 'route-table'));
      return { routeTable: routeTableShape(table), clientToken: str(input, 'ClientToken') };
    },
    DeleteRouteTable(input, ctx) {
      routing.deleteRouteTable(scopeOf(ctx), requireStr(input, 'RouteTableId'));
      return { return: true };
    },
    DescribeRouteTables(input, ctx) {
      const ids = strList(input, 'RouteTableId') ?? [];
      const tables = routing.describeRouteTables(scopeOf(ctx), ids, filters(input));
      const page = paginate(tables, {
        ...pageInput(input),
        ids: { parameter: 'routeTableIds', count: ids.length },
        limits: { min: 5, max: 100 },
      });
      return { routeTableSet: page.items.map(routeTableShape), nextToken: page.nextToken };
    },
    CreateRoute(input, ctx) {
      const routeTableId = requireStr(input, 'RouteTableId');
      routing.createRoute(scopeOf(ctx), routeTableId, destination(input), routeTarget(input));
      return { return: true };
    },
    DeleteRoute(input, ctx) {
      const routeTableId = requireStr(input, 'RouteTableId');
      routing.deleteRoute(scopeOf(ctx), routeTableId, destination(input));
      return { return: true };
    },
    AssociateRouteTable(input, ctx) {
      const routeTableId = requireStr(input, 'RouteTableId');
      const association = routing.associateRouteTable(
        scopeOf(ctx),
        routeTableId,
        defined({ subnetId: str(input, 'SubnetId'), gatewayId: str(input, 'GatewayId') }),
      );
      return { associationId: association.associationId, associationState: { state: 'associated' } };
    },
    DisassociateRouteTable(input, ctx) {
      routing.disassociateRouteTable(scopeOf(ctx), requireStr(input, 'AssociationId'));
      return { return: true };
    },

    CreateNatGateway(input, ctx) {
      const subnetId = requireStr(input, 'SubnetId');
      const connectivityType = str(input, 'ConnectivityType') ?? 'public';
      if (connectivityType !== 'public' && connectivityType !== 'private') {
        throw new ApiError(
          'InvalidParameterValue',
          `Value (${connectivityType}) for parameter connectivityType is invalid. Valid values: public, private.`,
        );
      }
      const nat = routing.createNatGateway(
        scopeOf(ctx),
        defined({
          subnetId,
          connectivityType,
          allocationId: str(input, 'AllocationId'),
          privateIpAddress: str(input, 'PrivateIpAddress'),
          tags: tagsFromSpecifications(tagSpecifications(input), 'natgateway'),
        }),
      );
      return { natGateway: natGatewayShape(nat), clientToken: str(input, 'ClientToken') };
    },
    DescribeNatGateways(input, ctx) {
      const ids = strList(input, 'NatGatewayId') ?? [];
      const gateways = routing.describeNatGateways(scopeOf(ctx), ids, filters(input));
      const page = paginate(gateways, {
        ...pageInput(input),
        ids: { parameter: 'natGatewayIds', count: ids.length },
        limits: { min: 5, max: 1000 },
      });
      return { natGatewaySet: page.items.map(natGatewayShape), nextToken: page.nextToken };
    },
    DeleteNatGateway(input, ctx) {
      const nat = routing.deleteNatGateway(scopeOf(ctx), requireStr(input, 'NatGatewayId'));
      return { natGatewayId: nat.natGatewayId };
    },
  };
}
