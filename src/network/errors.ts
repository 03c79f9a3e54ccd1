/**
 * EC2's error codes and messages for the network resources, spelled as AWS spells them
 * (e.g. `InvalidVpcID.NotFound` "The vpc ID 'vpc-1' does not exist"). One factory per error so
 * every check in the domain uses the same text.
 */
import { ApiError } from '../core/errors.js';

const err = (code: string, message: string, status = 400) => new ApiError(code, message, status);

export const networkErrors = {
  vpcNotFound: (id: string) => err('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`),
  subnetNotFound: (id: string) => err('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`),
  groupNotFound: (id: string) => err('InvalidGroup.NotFound', `The security group '${id}' does not exist`),
  groupNameNotFound: (name: string, vpcId: string | undefined) =>
    err(
      'InvalidGroup.NotFound',
      vpcId
        ? `The security group '${name}' does not exist in VPC '${vpcId}'`
        : `The security group '${name}' does not exist in default VPC`,
    ),
  groupIdMalformed: (id: string) => err('InvalidGroupId.Malformed', `Invalid id: "${id}" (expecting "sg-...")`),
  internetGatewayNotFound: (id: string) => err('InvalidInternetGatewayID.NotFound', `The internetGateway ID '${id}' does not exist`),
  routeTableNotFound: (id: string) => err('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`),
  associationNotFound: (id: string) => err('InvalidAssociationID.NotFound', `The association ID '${id}' does not exist`),
  natGatewayNotFound: (id: string) => err('NatGatewayNotFound', `NAT gateway ${id} was not found`),
  routeNotFound: (cidr: string, routeTableId: string) =>
    err('InvalidRoute.NotFound', `no route with destination-cidr-block ${cidr} in route table ${routeTableId}`),
  routeExists: (cidr: string) => err('RouteAlreadyExists', `The route identified by ${cidr} already exists.`),
  invalidCidr: (parameter: string, cidr: string) =>
    err('InvalidParameterValue', `Value (${cidr}) for parameter ${parameter} is invalid. This is not a valid CIDR block.`),
  vpcRange: (cidr: string) => err('InvalidVpc.Range', `The CIDR '${cidr}' is invalid.`),
  subnetRange: (cidr: string) => err('InvalidSubnet.Range', `The CIDR '${cidr}' is invalid.`),
  subnetConflict: (cidr: string) => err('InvalidSubnet.Conflict', `The CIDR '${cidr}' conflicts with another subnet`),
  vpcDependencies: (id: string) => err('DependencyViolation', `The vpc '${id}' has dependencies and cannot be deleted.`),
  subnetDependencies: (id: string) => err('DependencyViolation', `The subnet '${id}' has dependencies and cannot be deleted.`),
  groupDependencies: (id: string) => err('DependencyViolation', `resource ${id} has a dependent object`),
  internetGatewayDependencies: (id: string) =>
    err('DependencyViolation', `The internetGateway '${id}' has dependencies and cannot be deleted.`),
  routeTableDependencies: (id: string) => err('DependencyViolation', `The routeTable '${id}' has dependencies and cannot be deleted.`),
  groupDuplicate: (name: string, vpcId: string) =>
    err('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`),
  groupReservedName: () => err('InvalidParameterValue', 'Cannot use reserved security group name: default'),
  cannotDeleteDefaultGroup: (id: string) => err('CannotDelete', `the specified group: "${id}" name: "default" cannot be deleted by a user`),
  permissionDuplicate: (rule: string) => err('InvalidPermission.Duplicate', `the specified rule "${rule}" already exists`),
  permissionNotFound: () => err('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.'),
  alreadyAttached: (igwId: string, vpcId: string) =>
    err('Resource.AlreadyAssociated', `resource ${igwId} is already attached to network ${vpcId}`),
  notAttached: (igwId: string, vpcId: string) => err('Gateway.NotAttached', `resource ${igwId} is not attached to network ${vpcId}`),
  vpcHasGateway: (vpcId: string) => err('InvalidParameterValue', `Network ${vpcId} already has an internet gateway attached`),
  gatewayNotInVpc: (gatewayId: string, routeTableId: string) =>
    err('InvalidParameterValue', `route table ${routeTableId} and network gateway ${gatewayId} belong to different networks`),
  subnetAlreadyAssociated: (subnetId: string, associationId: string) =>
    err(
      'Resource.AlreadyAssociated',
      `the specified association for route table ${subnetId} conflicts with an existing association ${associationId}`,
    ),
  mainAssociation: (id: string) => err('InvalidParameterValue', `cannot disassociate the main route table association ${id}`),
  invalidResourceId: (id: string) => err('InvalidID', `The ID '${id}' is not valid`),
  insufficientAddresses: () =>
    err('InsufficientFreeAddressesInSubnet', 'Subnet has insufficient free addresses to create this NAT gateway'),
  parameterValue: (message: string) => err('InvalidParameterValue', message),
};
