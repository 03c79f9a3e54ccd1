/**
 * Declaring identities in the bootstrap config file (docs/configuration.md): per account,
 * customer managed `policies`, `users` (access keys, inline and attached policies), `roles`
 * (trust policy, inline and attached policies) and `instanceProfiles`. Applied at every start,
 * idempotently: what the file declares is created or brought up to date; nothing is deleted.
 * Mistakes are OperatorErrors naming the file path of the offending entry.
 */
import { ApiError, OperatorError } from '../core/errors.js';
import type { IdentityDomain } from './identity.js';
import type { AccessKeyRecord } from './model.js';
import { KEY_SCOPE, accountScope, nameKey } from './ports.js';

type Json = Record<string, unknown>;

function fail(where: string, message: string): never {
  throw new OperatorError('ConfigInvalid', `${where}: ${message}`);
}

function list(value: unknown, where: string): Json[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => !v || typeof v !== 'object' || Array.isArray(v)))
    fail(where, 'must be an array of objects.');
  return value as Json[];
}

function str(entry: Json, field: string, where: string, required = true): string | undefined {
  const value = entry[field];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '') fail(`${where}.${field}`, 'must be a non-empty string.');
  return value;
}

/** A policy document given as JSON (object) or as its text. */
function documentText(entry: Json, field: string, where: string): string {
  const value = entry[field];
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return JSON.stringify(value);
  return fail(`${where}.${field}`, 'must be a policy document (a JSON object or its text).');
}

/** Runs a domain call, turning its AWS error into an operator error that names the entry. */
function step<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ApiError) fail(where, `${error.code}: ${error.message}`);
    throw error;
  }
}

export function applyIdentityConfig(identity: IdentityDomain, raw: Record<string, unknown>, file = 'config'): void {
  const accounts = list(raw.accounts, `${file}: accounts`);
  identity.deps.uow.transaction(() => {
    accounts.forEach((account, a) => {
      const accountId = String(account.id);
      const at = `${file}: accounts[${a}]`;
      list(account.policies, `${at}.policies`).forEach((p, i) => applyPolicy(identity, accountId, p, `${at}.policies[${i}]`));
      list(account.users, `${at}.users`).forEach((u, i) => applyUser(identity, accountId, u, `${at}.users[${i}]`));
      list(account.roles, `${at}.roles`).forEach((r, i) => applyRole(identity, accountId, r, `${at}.roles[${i}]`));
      list(account.instanceProfiles, `${at}.instanceProfiles`).forEach((p, i) =>
        applyProfile(identity, accountId, p, `${at}.instanceProfiles[${i}]`),
      );
    });
  });
}

function applyPolicy(identity: IdentityDomain, accountId: string, entry: Json, where: string): void {
  const name = str(entry, 'name', where) as string;
  const path = str(entry, 'path', where, false);
  const description = str(entry, 'description', where, false);
  const document = documentText(entry, 'document', where);
  const existing = identity.deps.policies.get(accountScope(accountId), nameKey(name));
  if (!existing) {
    step(where, () =>
      identity.policies.create(accountId, {
        policyName: name,
        document,
        ...(path ? { path } : {}),
        ...(description ? { description } : {}),
      }),
    );
    return;
  }
  const current = existing.versions.find((v) => v.versionId === existing.defaultVersionId);
  if (current?.document === document) return;
  // A changed document becomes the new default version (the oldest other version makes room).
  if (existing.versions.length >= 5) {
    const oldest = existing.versions.find((v) => v.versionId !== existing.defaultVersionId);
    if (oldest) step(where, () => identity.policies.deleteVersion(existing.arn, oldest.versionId));
  }
  step(where, () => identity.policies.createVersion(existing.arn, document, true));
}

function applyInline(put: (name: string, document: string) => void, entries: Json[], where: string): void {
  entries.forEach((p, i) => {
    const at = `${where}[${i}]`;
    const name = str(p, 'name', at) as string;
    const document = documentText(p, 'document', at);
    step(at, () => put(name, document));
  });
}

function attachedArns(entry: Json, where: string): string[] {
  const value = entry.attachedPolicies;
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    fail(`${where}.attachedPolicies`, 'must be an array of policy ARNs.');
  return value as string[];
}

function applyUser(identity: IdentityDomain, accountId: string, entry: Json, where: string): void {
  const name = str(entry, 'name', where) as string;
  const path = str(entry, 'path', where, false);
  if (!identity.users.find(accountId, name)) step(where, () => identity.users.create(accountId, name, path ?? '/'));
  list(entry.accessKeys, `${where}.accessKeys`).forEach((k, i) => {
    const at = `${where}.accessKeys[${i}]`;
    const accessKeyId = str(k, 'accessKeyId', at) as string;
    const secretAccessKey = str(k, 'secretAccessKey', at) as string;
    const status = (str(k, 'status', at, false) ?? 'Active') as AccessKeyRecord['status'];
    if (status !== 'Active' && status !== 'Inactive') fail(`${at}.status`, 'must be Active or Inactive.');
    if (accessKeyId.startsWith('ASIA')) fail(`${at}.accessKeyId`, 'ASIA… ids are reserved for temporary (STS) credentials.');
    const existing = identity.users.accessKey(accessKeyId);
    if (!existing) {
      step(at, () => identity.users.createAccessKey(accountId, name, { accessKeyId, secretAccessKey, status }));
    } else if (existing.accountId !== accountId || nameKey(existing.userName) !== nameKey(name)) {
      fail(`${at}.accessKeyId`, `${accessKeyId} already belongs to user ${existing.userName} of account ${existing.accountId}.`);
    } else {
      identity.deps.accessKeys.put(KEY_SCOPE, accessKeyId, { ...existing, secretAccessKey, status });
    }
  });
  applyInline((p, d) => identity.users.putPolicy(accountId, name, p, d), list(entry.policies, `${where}.policies`), `${where}.policies`);
  for (const arn of attachedArns(entry, where)) step(`${where}.attachedPolicies`, () => identity.users.attachPolicy(accountId, name, arn));
}

function applyRole(identity: IdentityDomain, accountId: string, entry: Json, where: string): void {
  const name = str(entry, 'name', where) as string;
  const path = str(entry, 'path', where, false);
  const trust = documentText(entry, 'assumeRolePolicyDocument', where);
  const max = entry.maxSessionDuration;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 3600 || max > 43200)) {
    fail(`${where}.maxSessionDuration`, 'must be an integer from 3600 to 43200.');
  }
  if (!identity.roles.find(accountId, name)) {
    step(where, () =>
      identity.roles.create(accountId, {
        roleName: name,
        assumeRolePolicyDocument: trust,
        ...(path ? { path } : {}),
        ...(typeof max === 'number' ? { maxSessionDuration: max } : {}),
      }),
    );
  } else {
    step(where, () => identity.roles.updateAssumeRolePolicy(accountId, name, trust));
    if (typeof max === 'number') identity.roles.update(accountId, name, (r) => (r.maxSessionDuration = max));
  }
  applyInline((p, d) => identity.roles.putPolicy(accountId, name, p, d), list(entry.policies, `${where}.policies`), `${where}.policies`);
  for (const arn of attachedArns(entry, where)) step(`${where}.attachedPolicies`, () => identity.roles.attachPolicy(accountId, name, arn));
}

function applyProfile(identity: IdentityDomain, accountId: string, entry: Json, where: string): void {
  const name = str(entry, 'name', where) as string;
  const path = str(entry, 'path', where, false);
  const existing = identity.deps.instanceProfiles.get(accountScope(accountId), nameKey(name));
  const profile = existing ?? step(where, () => identity.instanceProfiles.create(accountId, name, path ?? '/'));
  const roles = entry.roles ?? [];
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string') || roles.length > 1)
    fail(`${where}.roles`, 'must be an array of at most one role name.');
  for (const role of roles as string[]) {
    if (!profile.roleNames.some((n) => nameKey(n) === nameKey(role)))
      step(`${where}.roles`, () => identity.instanceProfiles.addRole(accountId, name, role));
  }
}
