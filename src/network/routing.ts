/**
 * Internet gateways, route tables (routes and subnet/gateway associations) and NAT gateways.
 * A route table starts with the VPC's `local` route, which cannot be removed. A public NAT
 * gateway needs an internet gateway on its VPC: without one it ends `failed` with
 * `Gateway.NotAttached`, as AWS reports it. NAT gateways take a private IP in their subnet.
 */
import type { Scope } from '../core/context.js';
import { ApiError } from '../core/errors.js';
import { ec2Id } from '../core/ids.js';
import { parseCidr, formatCidr } from './cidr.js';
import { networkErrors } from './errors.js';
import type { FilterFields } from './filters.js';
import { applyFilters } from './filters.js';
import type { Filter, InternetGateway, NatGateway, Route, RouteTable, RouteTableAssociation, Tag } from './model.js';
import type { NetworkDeps } from './network-deps.js';
import type { VpcOperations } from './vpcs.js';

/** Deleted NAT gateways stay visible this long, as in AWS (about an hour). */
const DELETED_NAT_VISIBLE_MS = 60 * 60 * 1000;

export type RouteTarget = Pick<
  Route,
  'gatewayId' | 'natGatewayId' | 'networkInterfaceId' | 'instanceId' | 'vpcPeeringConnectionId' | 'transitGatewayId'
>;

const gatewayFields: FilterFields<InternetGateway> = {
  'attachment.state': (g) => g.attachments.map((a) => a.state),
  'attachment.vpc-id': (g) => g.attachments.map((a) => a.vpcId),
  'internet-gateway-id': (g) => g.internetGatewayId,
  'owner-id': (g) => g.ownerId,
};

const tableFields: FilterFields<RouteTable> = {
  'association.route-table-association-id': (t) => t.associations.map((a) => a.associationId),
  'association.route-table-id': (t) => t.associations.map(() => t.routeTableId),
  'association.subnet-id': (t) => t.associations.map((a) => a.subnetId),
  'association.gateway-id': (t) => t.associations.map((a) => a.gatewayId),
  'association.main': (t) => t.associations.map((a) => String(a.main)),
  'owner-id': (t) => t.ownerId,
  'route-table-id': (t) => t.routeTableId,
  'route.destination-cidr-block': (t) => t.routes.map((r) => r.destinationCidrBlock),
  'route.gateway-id': (t) => t.routes.map((r) => r.gatewayId),
  'route.nat-gateway-id': (t) => t.routes.map((r) => r.natGatewayId),
  'route.instance-id': (t) => t.routes.map((r) => r.instanceId),
  'route.transit-gateway-id': (t) => t.routes.map((r) => r.transitGatewayId),
  'route.vpc-peering-connection-id': (t) => t.routes.map((r) => r.vpcPeeringConnectionId),
  'route.origin': (t) => t.routes.map((r) => r.origin),
  'route.state': (t) => t.routes.map((r) => r.state),
  'vpc-id': (t) => t.vpcId,
};

const natFields: FilterFields<NatGateway> = {
  'nat-gateway-id': (n) => n.natGatewayId,
  state: (n) => n.state,
  'subnet-id': (n) => n.subnetId,
  'vpc-id': (n) => n.vpcId,
};

export class RoutingOperations {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly vpcs: VpcOperations,
  ) {}

  // ---- internet gateways

  getInternetGateway(scope: Scope, id: string): InternetGateway {
    const gateway = this.deps.internetGateways.get(scope, id);
    if (!gateway) throw networkErrors.internetGatewayNotFound(id);
    return gateway;
  }

  createInternetGateway(scope: Scope, tags: Tag[]): InternetGateway {
    const internetGatewayId = ec2Id(this.deps.ids, 'igw');
    const gateway: InternetGateway = {
      internetGatewayId,
      ownerId: scope.accountId,
      attachments: [],
      tags,
      createdAt: this.deps.clock.now(),
    };
    this.deps.internetGateways.insert(scope, internetGatewayId, gateway);
    return gateway;
  }

  attachInternetGateway(scope: Scope, internetGatewayId: string, vpcId: string): void {
    this.deps.uow.transaction(() => {
      const gateway = this.getInternetGateway(scope, internetGatewayId);
      this.vpcs.getVpc(scope, vpcId);
      const attached = gateway.attachments[0];
      if (attached) throw networkErrors.alreadyAttached(internetGatewayId, attached.vpcId);
      if (this.deps.internetGateways.list(scope).some((g) => g.attachments.some((a) => a.vpcId === vpcId))) {
        throw networkErrors.vpcHasGateway(vpcId);
      }
      this.deps.internetGateways.put(scope, internetGatewayId, { ...gateway, attachments: [{ vpcId, state: 'available' }] });
    });
  }

  detachInternetGateway(scope: Scope, internetGatewayId: string, vpcId: string): void {
    this.deps.uow.transaction(() => {
      const gateway = this.getInternetGateway(scope, internetGatewayId);
      this.vpcs.getVpc(scope, vpcId);
      if (!gateway.attachments.some((a) => a.vpcId === vpcId)) throw networkErrors.notAttached(internetGatewayId, vpcId);
      this.deps.internetGateways.put(scope, internetGatewayId, { ...gateway, attachments: [] });
    });
  }

  deleteInternetGateway(scope: Scope, internetGatewayId: string): void {
    this.deps.uow.transaction(() => {
      const gateway = this.getInternetGateway(scope, internetGatewayId);
      if (gateway.attachments.length > 0) throw networkErrors.internetGatewayDependencies(internetGatewayId);
      this.deps.internetGateways.delete(scope, internetGatewayId);
    });
  }

  describeInternetGateways(scope: Scope, ids: string[], filters: Filter[]): InternetGateway[] {
    const gateways = ids.length > 0 ? ids.map((id) => this.getInternetGateway(scope, id)) : this.deps.internetGateways.list(scope);
    return applyFilters(gateways, filters, gatewayFields);
  }

  // ---- route tables

  getRouteTable(scope: Scope, id: string): RouteTable {
    const table = this.deps.routeTables.get(scope, id);
    if (!table) throw networkErrors.routeTableNotFound(id);
    return table;
  }

  createRouteTable(scope: Scope, vpcId: string, tags: Tag[]): RouteTable {
    return this.deps.uow.transaction(() => {
      const vpc = this.vpcs.getVpc(scope, vpcId);
      const routeTableId = ec2Id(this.deps.ids, 'rtb');
      const table: RouteTable = {
        routeTableId,
        vpcId,
        ownerId: scope.accountId,
        routes: [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable', state: 'active' }],
        associations: [],
        tags,
        createdAt: this.deps.clock.now(),
      };
      this.deps.routeTables.insert(scope, routeTableId, table);
      return table;
    });
  }

  deleteRouteTable(scope: Scope, routeTableId: string): void {
    this.deps.uow.transaction(() => {
      const table = this.getRouteTable(scope, routeTableId);
      if (table.associations.length > 0) throw networkErrors.routeTableDependencies(routeTableId);
      this.deps.routeTables.delete(scope, routeTableId);
    });
  }

  describeRouteTables(scope: Scope, ids: string[], filters: Filter[]): RouteTable[] {
    const tables = ids.length > 0 ? ids.map((id) => this.getRouteTable(scope, id)) : this.deps.routeTables.list(scope);
    return applyFilters(tables, filters, tableFields);
  }

  createRoute(scope: Scope, routeTableId: string, destination: string, target: RouteTarget): void {
    this.deps.uow.transaction(() => {
      const table = this.getRouteTable(scope, routeTableId);
      const cidr = parseCidr(destination);
      if (!cidr) throw networkErrors.invalidCidr('destinationCidrBlock', destination);
      const normalized = formatCidr(cidr);
      const targets = Object.values(target).filter((v) => v !== undefined);
      if (targets.length !== 1) {
        throw new ApiError(
          'InvalidParameterCombination',
          'The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId, instanceId, vpcPeeringConnectionId or transitGatewayId',
        );
      }
      this.checkTarget(scope, table, target);
      if (table.routes.some((r) => r.destinationCidrBlock === normalized)) throw networkErrors.routeExists(normalized);
      const route: Route = { destinationCidrBlock: normalized, ...target, origin: 'CreateRoute', state: 'active' };
      this.deps.routeTables.put(scope, routeTableId, { ...table, routes: [...table.routes, route] });
    });
  }

  private checkTarget(scope: Scope, table: RouteTable, target: RouteTarget): void {
    if (target.gatewayId?.startsWith('igw-')) {
      const gateway = this.getInternetGateway(scope, target.gatewayId);
      if (!gateway.attachments.some((a) => a.vpcId === table.vpcId))
        throw networkErrors.gatewayNotInVpc(target.gatewayId, table.routeTableId);
    }
    if (target.natGatewayId !== undefined) {
      const nat = this.deps.natGateways.get(scope, target.natGatewayId);
      if (!nat || nat.state === 'deleted') throw networkErrors.natGatewayNotFound(target.natGatewayId);
    }
  }

  deleteRoute(scope: Scope, routeTableId: string, destination: string): void {
    this.deps.uow.transaction(() => {
      const table = this.getRouteTable(scope, routeTableId);
      const cidr = parseCidr(destination);
      const normalized = cidr ? formatCidr(cidr) : destination;
      const route = table.routes.find((r) => r.destinationCidrBlock === normalized);
      if (!route) throw networkErrors.routeNotFound(destination, routeTableId);
      if (route.gatewayId === 'local')
        throw networkErrors.parameterValue(`cannot remove local route ${normalized} in route table ${routeTableId}`);
      this.deps.routeTables.put(scope, routeTableId, { ...table, routes: table.routes.filter((r) => r !== route) });
    });
  }

  associateRouteTable(scope: Scope, routeTableId: string, target: { subnetId?: string; gatewayId?: string }): RouteTableAssociation {
    return this.deps.uow.transaction(() => {
      const table = this.getRouteTable(scope, routeTableId);
      if ((target.subnetId === undefined) === (target.gatewayId === undefined)) {
        throw new ApiError('InvalidParameterCombination', 'The request must contain exactly one of subnetId or gatewayId');
      }
      if (target.subnetId !== undefined) {
        const subnet = this.vpcs.getSubnet(scope, target.subnetId);
        if (subnet.vpcId !== table.vpcId) {
          throw networkErrors.parameterValue(`Route table ${routeTableId} and subnet ${target.subnetId} belong to different networks`);
        }
      } else if (target.gatewayId !== undefined) {
        const gateway = this.getInternetGateway(scope, target.gatewayId);
        if (!gateway.attachments.some((a) => a.vpcId === table.vpcId)) throw networkErrors.gatewayNotInVpc(target.gatewayId, routeTableId);
      }
      for (const other of this.deps.routeTables.list(scope)) {
        const clash = other.associations.find(
          (a) =>
            (target.subnetId !== undefined && a.subnetId === target.subnetId) ||
            (target.gatewayId !== undefined && a.gatewayId === target.gatewayId),
        );
        if (clash) throw networkErrors.subnetAlreadyAssociated(target.subnetId ?? target.gatewayId ?? '', clash.associationId);
      }
      const association: RouteTableAssociation = { associationId: ec2Id(this.deps.ids, 'rtbassoc'), main: false, ...target };
      this.deps.routeTables.put(scope, routeTableId, { ...table, associations: [...table.associations, association] });
      return association;
    });
  }

  disassociateRouteTable(scope: Scope, associationId: string): void {
    this.deps.uow.transaction(() => {
      const table = this.deps.routeTables.list(scope).find((t) => t.associations.some((a) => a.associationId === associationId));
      const association = table?.associations.find((a) => a.associationId === associationId);
      if (!table || !association) throw networkErrors.associationNotFound(associationId);
      if (association.main) throw networkErrors.mainAssociation(associationId);
      this.deps.routeTables.put(scope, table.routeTableId, { ...table, associations: table.associations.filter((a) => a !== association) });
    });
  }

  // ---- NAT gateways

  getNatGateway(scope: Scope, id: string): NatGateway {
    const nat = this.visible(scope, this.deps.natGateways.get(scope, id));
    if (!nat) throw networkErrors.natGatewayNotFound(id);
    return nat;
  }

  private visible(_scope: Scope, nat: NatGateway | undefined): NatGateway | undefined {
    if (!nat) return undefined;
    if (nat.state === 'deleted' && (nat.deleteTime ?? 0) + DELETED_NAT_VISIBLE_MS < this.deps.clock.now()) return undefined;
    return nat;
  }

  /** Returns the gateway as the create call reports it (`pending`); it is stored already settled. */
  createNatGateway(
    scope: Scope,
    input: {
      subnetId: string;
      connectivityType: NatGateway['connectivityType'];
      allocationId?: string;
      privateIpAddress?: string;
      tags: Tag[];
    },
  ): NatGateway {
    if (input.connectivityType === 'public' && input.allocationId === undefined) {
      throw new ApiError('MissingParameter', 'The request must contain the parameter AllocationId');
    }
    return this.deps.uow.transaction(() => {
      const subnet = this.vpcs.getSubnet(scope, input.subnetId);
      const natGatewayId = ec2Id(this.deps.ids, 'nat');
      const networkInterfaceId = ec2Id(this.deps.ids, 'eni');
      const privateIp = this.vpcs.allocatePrivateIp(scope, subnet.subnetId, natGatewayId, input.privateIpAddress);
      const hasGateway = this.deps.internetGateways.list(scope).some((g) => g.attachments.some((a) => a.vpcId === subnet.vpcId));
      const failed = input.connectivityType === 'public' && !hasGateway;
      const nat: NatGateway = {
        natGatewayId,
        vpcId: subnet.vpcId,
        subnetId: subnet.subnetId,
        state: failed ? 'failed' : 'available',
        connectivityType: input.connectivityType,
        ...(input.allocationId !== undefined ? { allocationId: input.allocationId } : {}),
        privateIp,
        networkInterfaceId,
        createTime: this.deps.clock.now(),
        tags: input.tags,
        ...(failed
          ? { failureCode: 'Gateway.NotAttached', failureMessage: `Network ${subnet.vpcId} has no Internet gateway attached` }
          : {}),
      };
      if (failed) this.vpcs.releasePrivateIp(scope, subnet.subnetId, privateIp);
      this.deps.natGateways.insert(scope, natGatewayId, nat);
      return { ...nat, state: 'pending' };
    });
  }

  describeNatGateways(scope: Scope, ids: string[], filters: Filter[]): NatGateway[] {
    const gateways =
      ids.length > 0
        ? ids.map((id) => this.getNatGateway(scope, id))
        : this.deps.natGateways.list(scope).filter((n) => this.visible(scope, n));
    return applyFilters(gateways, filters, natFields);
  }

  deleteNatGateway(scope: Scope, natGatewayId: string): NatGateway {
    return this.deps.uow.transaction(() => {
      const nat = this.getNatGateway(scope, natGatewayId);
      if (nat.state === 'deleted') return nat;
      if (nat.state !== 'failed') this.vpcs.releasePrivateIp(scope, nat.subnetId, nat.privateIp);
      const deleted: NatGateway = { ...nat, state: 'deleted', deleteTime: this.deps.clock.now() };
      this.deps.natGateways.put(scope, natGatewayId, deleted);
      return deleted;
    });
  }
}
