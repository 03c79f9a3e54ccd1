/**
 * What the network domain needs from outside (ports, implemented by store/ and server/), and
 * the extension points other network parts plug into: dependency checks (something in a VPC,
 * subnet or security group blocks its deletion) and extra taggable resource kinds (VPC
 * endpoints, network interfaces).
 */
import type { Clock } from '../core/clock.js';
import type { Scope } from '../core/context.js';
import type { ApiError } from '../core/errors.js';
import type { IdSource } from '../core/ids.js';
import type { DocumentRepository, UnitOfWork } from '../core/repository.js';
import type { InternetGateway, NatGateway, RouteTable, SecurityGroup, Subnet, Tagged, Vpc } from './model.js';

export interface NetworkRepositories {
  vpcs: DocumentRepository<Vpc>;
  subnets: DocumentRepository<Subnet>;
  securityGroups: DocumentRepository<SecurityGroup>;
  internetGateways: DocumentRepository<InternetGateway>;
  routeTables: DocumentRepository<RouteTable>;
  natGateways: DocumentRepository<NatGateway>;
}

export interface NetworkDeps extends NetworkRepositories {
  uow: UnitOfWork;
  clock: Clock;
  ids: IdSource;
}

/** The kinds whose deletion other resources can block. */
export type DependencyKind = 'vpc' | 'subnet' | 'security-group';

/** Returns true when something depends on the resource `id` (so it cannot be deleted). */
export type DependencyCheck = (scope: Scope, id: string) => boolean;

/** A resource kind CreateTags/DeleteTags/DescribeTags can reach, found by its id prefix. */
export interface TaggableKind {
  prefix: string; // 'vpc-', 'vpce-', 'eni-' …
  resourceType: string; // EC2 ResourceType: 'vpc', 'vpc-endpoint', 'network-interface' …
  repository: DocumentRepository<Tagged>;
  /** The resource's own id (e.g. `vpcEndpointId`). */
  idOf(resource: Tagged): string;
  notFound(id: string): ApiError;
}

export class NetworkHooks {
  private readonly checks: Record<DependencyKind, DependencyCheck[]> = { vpc: [], subnet: [], 'security-group': [] };
  readonly taggables: TaggableKind[] = [];

  addDependencyCheck(kind: DependencyKind, check: DependencyCheck): void {
    this.checks[kind].push(check);
  }

  hasDependents(kind: DependencyKind, scope: Scope, id: string): boolean {
    return this.checks[kind].some((check) => check(scope, id));
  }

  registerTaggable(kind: TaggableKind): void {
    this.taggables.push(kind);
    // Longest prefix first, so 'vpce-' is tried before 'vpc-'.
    this.taggables.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  taggableFor(id: string): TaggableKind | undefined {
    return this.taggables.find((kind) => id.startsWith(kind.prefix));
  }
}
