/**
 * IAM roles: a trust (assume-role) policy, MaxSessionDuration 3600..43200 s, inline and
 * attached permission policies. DeleteRole refuses while the role is in an instance profile or
 * still has policies (AWS's DeleteConflict messages, in that order).
 */
import { deleteConflict, entityAlreadyExists, malformedPolicy, noSuchEntity } from './errors.js';
import { uniqueId } from './ids.js';
import type { RoleRecord, Tag } from './model.js';
import type { ManagedPolicies } from './managed-policies.js';
import { checkPolicyDocument, policyJson } from './policy-documents.js';
import * as holders from './policy-holders.js';
import type { IamDeps } from './ports.js';
import { accountScope, iamArn, nameKey } from './ports.js';

export interface CreateRoleInput {
  roleName: string;
  path?: string;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration?: number;
  tags?: Tag[];
}

export class Roles {
  constructor(
    private readonly deps: IamDeps,
    private readonly policies: ManagedPolicies,
  ) {}

  create(accountId: string, input: CreateRoleInput): RoleRecord {
    this.checkTrustPolicy(input.assumeRolePolicyDocument);
    const path = input.path ?? '/';
    const record: RoleRecord = {
      accountId,
      roleName: input.roleName,
      roleId: uniqueId(this.deps.ids, 'AROA'),
      path,
      arn: iamArn(accountId, 'role', path, input.roleName),
      createdAt: this.deps.clock.now(),
      assumeRolePolicyDocument: input.assumeRolePolicyDocument,
      ...(input.description !== undefined ? { description: input.description } : {}),
      maxSessionDuration: input.maxSessionDuration ?? 3600,
      tags: input.tags ?? [],
      inlinePolicies: [],
      attachedPolicies: [],
    };
    if (!this.deps.roles.insert(accountScope(accountId), nameKey(input.roleName), record)) {
      throw entityAlreadyExists(`Role with name ${input.roleName} already exists.`);
    }
    return record;
  }

  find(accountId: string, roleName: string): RoleRecord | undefined {
    return this.deps.roles.get(accountScope(accountId), nameKey(roleName));
  }

  get(accountId: string, roleName: string): RoleRecord {
    const role = this.find(accountId, roleName);
    if (!role) throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
    return role;
  }

  /** A role by its ARN (`arn:aws:iam::ACCT:role/path/NAME`), in any local account. */
  findByArn(arn: string): RoleRecord | undefined {
    const m = /^arn:aws(?:-cn)?:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (!m) return undefined;
    const role = this.find(m[1] ?? '', m[2] ?? '');
    return role && role.arn === arn ? role : undefined;
  }

  list(accountId: string, pathPrefix = '/'): RoleRecord[] {
    return this.deps.roles.list(accountScope(accountId)).filter((r) => r.path.startsWith(pathPrefix));
  }

  delete(accountId: string, roleName: string): void {
    this.deps.uow.transaction(() => {
      const role = this.get(accountId, roleName);
      const inProfile = this.deps.instanceProfiles
        .list(accountScope(accountId))
        .some((p) => p.roleNames.some((n) => nameKey(n) === nameKey(role.roleName)));
      if (inProfile) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
      if (role.inlinePolicies.length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
      if (role.attachedPolicies.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      this.deps.roles.delete(accountScope(accountId), nameKey(roleName));
    });
  }

  update<R>(accountId: string, roleName: string, change: (role: RoleRecord) => R): R {
    return this.deps.uow.transaction(() => {
      const role = this.get(accountId, roleName);
      const result = change(role);
      this.deps.roles.put(accountScope(accountId), nameKey(roleName), role);
      return result;
    });
  }

  updateAssumeRolePolicy(accountId: string, roleName: string, document: string): void {
    this.update(accountId, roleName, (role) => {
      this.checkTrustPolicy(document);
      role.assumeRolePolicyDocument = document;
    });
  }

  putPolicy(accountId: string, roleName: string, policyName: string, document: string): void {
    this.update(accountId, roleName, (r) => holders.putInline(r, 'role', r.roleName, policyName, document));
  }

  deletePolicy(accountId: string, roleName: string, policyName: string): void {
    this.update(accountId, roleName, (r) => holders.deleteInline(r, 'role', policyName));
  }

  attachPolicy(accountId: string, roleName: string, policyArn: string): void {
    this.deps.uow.transaction(() => {
      this.get(accountId, roleName);
      this.policies.attachable(policyArn);
      this.update(accountId, roleName, (r) => holders.attach(r, 'role', policyArn));
    });
  }

  detachPolicy(accountId: string, roleName: string, policyArn: string): void {
    this.update(accountId, roleName, (r) => holders.detach(r, policyArn));
  }

  /**
   * A trust policy's grammar, and (as AWS does) that the users and roles it names in this
   * installation exist: AWS turns a named principal into its unique id at save time.
   */
  private checkTrustPolicy(document: string): void {
    checkPolicyDocument(document, 'trust');
    const doc = policyJson(document);
    const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    for (const statement of statements as Array<Record<string, unknown>>) {
      const principal = statement.Principal ?? statement.NotPrincipal;
      if (!principal || typeof principal !== 'object') continue;
      const aws = (principal as Record<string, unknown>).AWS;
      for (const arn of typeof aws === 'string' ? [aws] : Array.isArray(aws) ? (aws as string[]) : []) {
        const m = /^arn:aws(?:-cn)?:iam::(\d{12}):(user|role)\/(?:.*\/)?([^/]+)$/.exec(arn);
        if (!m) continue;
        const [, account = '', kind, name = ''] = m;
        const repo = kind === 'user' ? this.deps.users : this.deps.roles;
        // Only principals of accounts this installation holds can be checked.
        if (this.deps.users.count(accountScope(account)) + this.deps.roles.count(accountScope(account)) === 0) continue;
        const found = repo.get(accountScope(account), nameKey(name)) as { arn: string } | undefined;
        if (!found || found.arn !== arn) throw malformedPolicy(`Invalid principal in policy: "AWS":"${arn}"`);
      }
    }
  }
}
