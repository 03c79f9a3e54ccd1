/**
 * What the IAM domain needs from outside: one document repository per aggregate (users,
 * roles, policies and instance profiles per account in region ''; access keys and STS
 * sessions in one global scope, keyed by access key id), a unit of work, the clock and ids.
 */
import type { Clock } from '../core/clock.js';
import type { Scope } from '../core/context.js';
import type { IdSource } from '../core/ids.js';
import type { DocumentRepository, UnitOfWork } from '../core/repository.js';
import type { AccessKeyRecord, InstanceProfileRecord, ManagedPolicyRecord, RoleRecord, SessionRecord, UserRecord } from './model.js';

export interface IamDeps {
  users: DocumentRepository<UserRecord>;
  accessKeys: DocumentRepository<AccessKeyRecord>;
  roles: DocumentRepository<RoleRecord>;
  policies: DocumentRepository<ManagedPolicyRecord>;
  instanceProfiles: DocumentRepository<InstanceProfileRecord>;
  sessions: DocumentRepository<SessionRecord>;
  uow: UnitOfWork;
  clock: Clock;
  ids: IdSource;
}

/** Access keys and sessions are looked up by id alone, so they share one global scope. */
export const KEY_SCOPE: Scope = { accountId: '', region: '' };

export function accountScope(accountId: string): Scope {
  return { accountId, region: '' };
}

/** IAM names are unique case-insensitively: records are keyed by the lower-cased name. */
export function nameKey(name: string): string {
  return name.toLowerCase();
}

export function iamArn(accountId: string, kind: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:${kind}${path}${name}`;
}

/** IAM list pagination: `Marker` is an opaque offset, `MaxItems` 1..1000 (default 100). */
export interface Page<T> {
  items: T[];
  isTruncated: boolean;
  marker?: string;
}

export function paginate<T>(items: T[], marker: string | undefined, maxItems: number | undefined): Page<T> {
  let offset = 0;
  if (marker !== undefined) {
    const decoded = Number(Buffer.from(marker, 'base64url').toString('utf8'));
    offset = Number.isInteger(decoded) && decoded >= 0 ? decoded : 0;
  }
  const size = maxItems ?? 100;
  const page = items.slice(offset, offset + size);
  const more = offset + size < items.length;
  return { items: page, isTruncated: more, ...(more ? { marker: Buffer.from(String(offset + size), 'utf8').toString('base64url') } : {}) };
}
