/**
 * Instance profiles: a named container for at most one role (a hard AWS quota,
 * `Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1`). Deleting one that still
 * holds a role is a DeleteConflict.
 */
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from './errors.js';
import { uniqueId } from './ids.js';
import type { InstanceProfileRecord, Tag } from './model.js';
import type { IamDeps } from './ports.js';
import { accountScope, iamArn, nameKey } from './ports.js';
import type { Roles } from './roles.js';

export class InstanceProfiles {
  constructor(
    private readonly deps: IamDeps,
    private readonly roles: Roles,
  ) {}

  create(accountId: string, name: string, path = '/', tags: Tag[] = []): InstanceProfileRecord {
    const record: InstanceProfileRecord = {
      accountId,
      instanceProfileName: name,
      instanceProfileId: uniqueId(this.deps.ids, 'AIPA'),
      path,
      arn: iamArn(accountId, 'instance-profile', path, name),
      createdAt: this.deps.clock.now(),
      roleNames: [],
      tags,
    };
    if (!this.deps.instanceProfiles.insert(accountScope(accountId), nameKey(name), record)) {
      throw entityAlreadyExists(`Instance Profile ${name} already exists.`);
    }
    return record;
  }

  get(accountId: string, name: string): InstanceProfileRecord {
    const record = this.deps.instanceProfiles.get(accountScope(accountId), nameKey(name));
    if (!record) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
    return record;
  }

  /**
   * An instance profile by ARN or by name (AWS Batch's `instanceRole` accepts either), for other
   * domains' checks; undefined when it does not exist.
   */
  findByArnOrName(accountId: string, value: string): InstanceProfileRecord | undefined {
    const m = /^arn:aws(?:-cn)?:iam::(\d{12}):instance-profile\/(?:.*\/)?([^/]+)$/.exec(value);
    const [account, name] = m ? [m[1] ?? '', m[2] ?? ''] : [accountId, value];
    const record = this.deps.instanceProfiles.get(accountScope(account), nameKey(name));
    return record && (!m || record.arn === value) ? record : undefined;
  }

  list(accountId: string, pathPrefix = '/'): InstanceProfileRecord[] {
    return this.deps.instanceProfiles.list(accountScope(accountId)).filter((p) => p.path.startsWith(pathPrefix));
  }

  forRole(accountId: string, roleName: string): InstanceProfileRecord[] {
    const role = this.roles.get(accountId, roleName);
    return this.list(accountId).filter((p) => p.roleNames.some((n) => nameKey(n) === nameKey(role.roleName)));
  }

  addRole(accountId: string, name: string, roleName: string): void {
    this.deps.uow.transaction(() => {
      const profile = this.get(accountId, name);
      const role = this.roles.get(accountId, roleName);
      if (profile.roleNames.length >= 1) throw limitExceeded('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
      profile.roleNames.push(role.roleName);
      this.deps.instanceProfiles.put(accountScope(accountId), nameKey(name), profile);
    });
  }

  removeRole(accountId: string, name: string, roleName: string): void {
    this.deps.uow.transaction(() => {
      const profile = this.get(accountId, name);
      this.roles.get(accountId, roleName);
      if (!profile.roleNames.some((n) => nameKey(n) === nameKey(roleName))) {
        throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
      }
      profile.roleNames = profile.roleNames.filter((n) => nameKey(n) !== nameKey(roleName));
      this.deps.instanceProfiles.put(accountScope(accountId), nameKey(name), profile);
    });
  }

  delete(accountId: string, name: string): void {
    this.deps.uow.transaction(() => {
      const profile = this.get(accountId, name);
      if (profile.roleNames.length > 0) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
      this.deps.instanceProfiles.delete(accountScope(accountId), nameKey(name));
    });
  }
}
