/**
 * Builds the identity domain over the store: shared by the composition root and by offline
 * commands (`batchlink policy simulate`) that read a data directory's state.
 */
import type { Clock } from '../core/clock.js';
import type { IdSource } from '../core/ids.js';
import { IdentityDomain } from '../iam/identity.js';
import type { Db } from '../store/database.js';
import { unitOfWork } from '../store/database.js';
import { DocumentTable } from '../store/document-table.js';

export function buildIdentity(db: Db, clock: Clock, ids: IdSource): IdentityDomain {
  return new IdentityDomain({
    users: new DocumentTable(db, 'iam-user'),
    accessKeys: new DocumentTable(db, 'iam-access-key'),
    roles: new DocumentTable(db, 'iam-role'),
    policies: new DocumentTable(db, 'iam-policy'),
    instanceProfiles: new DocumentTable(db, 'iam-instance-profile'),
    sessions: new DocumentTable(db, 'sts-session'),
    uow: unitOfWork(db),
    clock,
    ids,
  });
}
