/**
 * Each VPC's "Amazon-provided DNS" resolver (AWS: the VPC base + 2 address, 169.254.169.253) is
 * a loopback address on this machine, 127.53.x.y, allocated lowest-free when the VPC is first
 * seen and recorded, so it stays the same across restarts. Gone VPCs release their address.
 */
import type { Scope } from '../core/context.js';
import type { DocumentRepository, UnitOfWork } from '../core/repository.js';
import { lowestFreeLoopback, RESOLVER_LOOPBACK_OCTET } from './endpoint-dns-names.js';
import type { NetworkLookup } from './endpoint-model.js';

export interface ResolverAssignment {
  vpcId: string;
  address: string;
}

export interface VpcResolver {
  scope: Scope;
  vpcId: string;
  address: string;
}

export class VpcResolvers {
  constructor(
    private readonly repo: DocumentRepository<ResolverAssignment>,
    private readonly network: NetworkLookup,
    private readonly uow: UnitOfWork,
  ) {}

  /** Assigns addresses to new VPCs, releases those of deleted VPCs, and returns every resolver. */
  sync(): VpcResolver[] {
    return this.uow.transaction(() => {
      const vpcs = this.network.allVpcs();
      const key = (scope: Scope, vpcId: string) => `${scope.accountId}/${scope.region}/${vpcId}`;
      const live = new Set(vpcs.map(({ scope, vpc }) => key(scope, vpc.vpcId)));
      const assigned = this.repo.listAll();
      for (const entry of assigned) {
        if (!live.has(key(entry.scope, entry.id))) this.repo.delete(entry.scope, entry.id);
      }
      const current = new Map(
        this.repo
          .listAll()
          .map((entry) => [key(entry.scope, entry.id), { scope: entry.scope, vpcId: entry.id, address: entry.doc.address }]),
      );
      for (const { scope, vpc } of vpcs) {
        if (current.has(key(scope, vpc.vpcId))) continue;
        const address = lowestFreeLoopback(
          RESOLVER_LOOPBACK_OCTET,
          [...current.values()].map((resolver) => resolver.address),
        );
        this.repo.put(scope, vpc.vpcId, { vpcId: vpc.vpcId, address });
        current.set(key(scope, vpc.vpcId), { scope, vpcId: vpc.vpcId, address });
      }
      return [...current.values()];
    });
  }
}
