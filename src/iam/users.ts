/**
 * IAM users and their access keys (at most 2 per user, ids AKIA…, 40-character secrets).
 * DeleteUser refuses while the user still has access keys, inline or attached policies
 * (AWS's DeleteConflict messages, checked in that order).
 */
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from './errors.js';
import { accessKeyId, secretAccessKey, uniqueId } from './ids.js';
import type { AccessKeyRecord, Tag, UserRecord } from './model.js';
import type { ManagedPolicies } from './managed-policies.js';
import * as holders from './policy-holders.js';
import type { IamDeps } from './ports.js';
import { accountScope, iamArn, KEY_SCOPE, nameKey } from './ports.js';

const MAX_KEYS = 2;

export class Users {
  constructor(
    private readonly deps: IamDeps,
    private readonly policies: ManagedPolicies,
  ) {}

  create(accountId: string, userName: string, path = '/', tags: Tag[] = []): UserRecord {
    const record: UserRecord = {
      accountId,
      userName,
      userId: uniqueId(this.deps.ids, 'AIDA'),
      path,
      arn: iamArn(accountId, 'user', path, userName),
      createdAt: this.deps.clock.now(),
      tags,
      inlinePolicies: [],
      attachedPolicies: [],
    };
    if (!this.deps.users.insert(accountScope(accountId), nameKey(userName), record)) {
      throw entityAlreadyExists(`User with name ${userName} already exists.`);
    }
    return record;
  }

  find(accountId: string, userName: string): UserRecord | undefined {
    return this.deps.users.get(accountScope(accountId), nameKey(userName));
  }

  get(accountId: string, userName: string): UserRecord {
    const user = this.find(accountId, userName);
    if (!user) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
    return user;
  }

  list(accountId: string, pathPrefix = '/'): UserRecord[] {
    return this.deps.users.list(accountScope(accountId)).filter((u) => u.path.startsWith(pathPrefix));
  }

  delete(accountId: string, userName: string): void {
    this.deps.uow.transaction(() => {
      const user = this.get(accountId, userName);
      if (this.keysOf(user).length > 0) throw deleteConflict('Cannot delete entity, must delete access keys first.');
      if (user.inlinePolicies.length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
      if (user.attachedPolicies.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      this.deps.users.delete(accountScope(accountId), nameKey(userName));
    });
  }

  /** Applies `change` to the stored user inside one transaction. */
  update<R>(accountId: string, userName: string, change: (user: UserRecord) => R): R {
    return this.deps.uow.transaction(() => {
      const user = this.get(accountId, userName);
      const result = change(user);
      this.deps.users.put(accountScope(accountId), nameKey(userName), user);
      return result;
    });
  }

  putPolicy(accountId: string, userName: string, policyName: string, document: string): void {
    this.update(accountId, userName, (u) => holders.putInline(u, 'user', u.userName, policyName, document));
  }

  deletePolicy(accountId: string, userName: string, policyName: string): void {
    this.update(accountId, userName, (u) => holders.deleteInline(u, 'user', policyName));
  }

  attachPolicy(accountId: string, userName: string, policyArn: string): void {
    this.deps.uow.transaction(() => {
      this.get(accountId, userName);
      this.policies.attachable(policyArn);
      this.update(accountId, userName, (u) => holders.attach(u, 'user', policyArn));
    });
  }

  detachPolicy(accountId: string, userName: string, policyArn: string): void {
    this.update(accountId, userName, (u) => holders.detach(u, policyArn));
  }

  // --- access keys ---

  keysOf(user: UserRecord): AccessKeyRecord[] {
    return this.deps.accessKeys
      .listAll()
      .map((row) => row.doc)
      .filter((k) => k.accountId === user.accountId && nameKey(k.userName) === nameKey(user.userName));
  }

  createAccessKey(
    accountId: string,
    userName: string,
    given?: { accessKeyId: string; secretAccessKey: string; status?: 'Active' | 'Inactive' },
  ): AccessKeyRecord {
    return this.deps.uow.transaction(() => {
      const user = this.get(accountId, userName);
      if (this.keysOf(user).length >= MAX_KEYS) throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS}`);
      const key: AccessKeyRecord = {
        accessKeyId: given?.accessKeyId ?? accessKeyId(this.deps.ids, false),
        secretAccessKey: given?.secretAccessKey ?? secretAccessKey(this.deps.ids),
        accountId,
        userName: user.userName,
        status: given?.status ?? 'Active',
        createdAt: this.deps.clock.now(),
      };
      if (!this.deps.accessKeys.insert(KEY_SCOPE, key.accessKeyId, key)) {
        throw entityAlreadyExists(`Access key ${key.accessKeyId} already exists.`);
      }
      return key;
    });
  }

  accessKey(id: string): AccessKeyRecord | undefined {
    return this.deps.accessKeys.get(KEY_SCOPE, id);
  }

  private ownKey(accountId: string, userName: string, id: string): AccessKeyRecord {
    const user = this.get(accountId, userName);
    const key = this.accessKey(id);
    if (!key || key.accountId !== accountId || nameKey(key.userName) !== nameKey(user.userName)) {
      throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
    }
    return key;
  }

  updateAccessKey(accountId: string, userName: string, id: string, status: 'Active' | 'Inactive'): void {
    this.deps.uow.transaction(() => {
      const key = this.ownKey(accountId, userName, id);
      key.status = status;
      this.deps.accessKeys.put(KEY_SCOPE, id, key);
    });
  }

  deleteAccessKey(accountId: string, userName: string, id: string): void {
    this.deps.uow.transaction(() => {
      this.ownKey(accountId, userName, id);
      this.deps.accessKeys.delete(KEY_SCOPE, id);
    });
  }
}
