/**
 * The network aggregates as stored: VPCs, subnets, security groups, internet gateways, route
 * tables and NAT gateways, with AWS's names and states. Tags live on each resource. The wire
 * shapes (EC2 locationNames) are built from these in services/ec2-shapes.ts.
 */

export interface Tag {
  Key: string;
  Value: string;
}

export interface Tagged {
  tags: Tag[];
}

export interface Vpc extends Tagged {
  vpcId: string;
  ownerId: string;
  cidrBlock: string;
  cidrAssociationId: string;
  state: 'pending' | 'available';
  dhcpOptionsId: string;
  instanceTenancy: 'default' | 'dedicated' | 'host';
  isDefault: boolean;
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
  enableNetworkAddressUsageMetrics: boolean;
  defaultSecurityGroupId: string;
  mainRouteTableId: string;
  defaultNetworkAclId: string;
  createdAt: number;
}

export interface Subnet extends Tagged {
  subnetId: string;
  subnetArn: string;
  vpcId: string;
  ownerId: string;
  cidrBlock: string;
  availabilityZone: string;
  availabilityZoneId: string;
  state: 'pending' | 'available';
  defaultForAz: boolean;
  mapPublicIpOnLaunch: boolean;
  /** Private IPs handed out in this subnet -> the id of what holds each (eni-…, nat-…). */
  allocatedIps: Record<string, string>;
  createdAt: number;
}

export interface SecurityGroupRule {
  securityGroupRuleId: string;
  ipProtocol: string; // tcp | udp | icmp | -1 | a protocol number
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  referencedGroupId?: string;
  referencedUserId?: string;
  prefixListId?: string;
  description?: string;
}

export interface SecurityGroup extends Tagged {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  ownerId: string;
  arn: string;
  ingress: SecurityGroupRule[];
  egress: SecurityGroupRule[];
  createdAt: number;
}

export interface InternetGatewayAttachment {
  vpcId: string;
  state: 'attaching' | 'available' | 'detaching' | 'detached';
}

export interface InternetGateway extends Tagged {
  internetGatewayId: string;
  ownerId: string;
  attachments: InternetGatewayAttachment[];
  createdAt: number;
}

export interface Route {
  destinationCidrBlock: string;
  gatewayId?: string; // 'local', igw-…, vpce-…
  natGatewayId?: string;
  networkInterfaceId?: string;
  instanceId?: string;
  vpcPeeringConnectionId?: string;
  transitGatewayId?: string;
  origin: 'CreateRouteTable' | 'CreateRoute' | 'EnableVgwRoutePropagation';
  state: 'active' | 'blackhole';
}

export interface RouteTableAssociation {
  associationId: string;
  main: boolean;
  subnetId?: string;
  gatewayId?: string;
}

export interface RouteTable extends Tagged {
  routeTableId: string;
  vpcId: string;
  ownerId: string;
  routes: Route[];
  associations: RouteTableAssociation[];
  createdAt: number;
}

export type NatGatewayState = 'pending' | 'failed' | 'available' | 'deleting' | 'deleted';

export interface NatGateway extends Tagged {
  natGatewayId: string;
  vpcId: string;
  subnetId: string;
  state: NatGatewayState;
  connectivityType: 'public' | 'private';
  allocationId?: string;
  privateIp: string;
  networkInterfaceId: string;
  createTime: number;
  deleteTime?: number;
  failureCode?: string;
  failureMessage?: string;
}

/** A describe filter as AWS takes it: a name and the values any of which may match. */
export interface Filter {
  name: string;
  values: string[];
}
