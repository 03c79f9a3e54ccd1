/**
 * The network domain's repositories over the store (one document table per EC2 resource kind):
 * shared by the composition root and by the network domain's unit tests, so both use the
 * same tables.
 */
import type { NetworkRepositories } from '../network/network-deps.js';
import type { Db } from '../store/database.js';
import { DocumentTable } from '../store/document-table.js';

export function networkRepositories(db: Db): NetworkRepositories {
  return {
    vpcs: new DocumentTable(db, 'vpc'),
    subnets: new DocumentTable(db, 'subnet'),
    securityGroups: new DocumentTable(db, 'security-group'),
    internetGateways: new DocumentTable(db, 'internet-gateway'),
    routeTables: new DocumentTable(db, 'route-table'),
    natGateways: new DocumentTable(db, 'nat-gateway'),
  };
}
