/**
 * Customer managed policies (CreatePolicy, versions, DeletePolicy) and the read-only AWS managed
 * catalog. Rules and messages are AWS's: names unique per account, at most 5 versions, the
 * default version cannot be deleted, a policy attached to an identity cannot be deleted.
 */
import { awsManagedPolicies, awsManagedPolicy } from './aws-managed-policies.js';
import { deleteConflict, entityAlreadyExists, invalidInput, limitExceeded, noSuchEntity } from './errors.js';
import { uniqueId } from './ids.js';
import type { ManagedPolicyRecord, PolicyVersionRecord, Tag } from './model.js';
import { checkPolicyDocument, checkPolicySize } from './policy-documents.js';
import type { IamDeps } from './ports.js';
import { accountScope, iamArn, nameKey } from './ports.js';

const MAX_VERSIONS = 5;

export interface CreatePolicyInput {
  policyName: string;
  path?: string;
  document: string;
  description?: string;
  tags?: Tag[];
}

export class ManagedPolicies {
  constructor(private readonly deps: IamDeps) {}

  create(accountId: string, input: CreatePolicyInput): ManagedPolicyRecord {
    checkPolicyDocument(input.document, 'identity');
    checkPolicySize(input.document, 'managed', input.policyName);
    const now = this.deps.clock.now();
    const path = input.path ?? '/';
    const record: ManagedPolicyRecord = {
      accountId,
      policyName: input.policyName,
      policyId: uniqueId(this.deps.ids, 'ANPA'),
      path,
      arn: iamArn(accountId, 'policy', path, input.policyName),
      ...(input.description !== undefined ? { description: input.description } : {}),
      createdAt: now,
      updatedAt: now,
      defaultVersionId: 'v1',
      versions: [{ versionId: 'v1', document: input.document, createdAt: now }],
      nextVersion: 2,
      tags: input.tags ?? [],
    };
    if (!this.deps.policies.insert(accountScope(accountId), nameKey(input.policyName), record)) {
      throw entityAlreadyExists(`A policy called ${input.policyName} already exists. Duplicate names are not allowed.`);
    }
    return record;
  }

  /** Resolves a policy ARN (customer managed in any local account, or AWS managed). */
  find(arn: string): ManagedPolicyRecord | undefined {
    const aws = awsManagedPolicy(arn);
    if (aws) return aws;
    const m = /^arn:aws(?:-cn)?:iam::(\d{12}):policy(\/(?:.*\/)?)?([^/]+)$/.exec(arn);
    if (!m) return undefined;
    const record = this.deps.policies.get(accountScope(m[1] ?? ''), nameKey(m[3] ?? ''));
    return record && record.arn === arn ? record : undefined;
  }

  get(arn: string): ManagedPolicyRecord {
    this.checkArn(arn);
    const record = this.find(arn);
    if (!record) throw noSuchEntity(`Policy ${arn} was not found.`);
    return record;
  }

  /** The policy a caller may attach: it must exist (else AWS's "does not exist or is not attachable"). */
  attachable(arn: string): ManagedPolicyRecord {
    this.checkArn(arn);
    const record = this.find(arn);
    if (!record) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
    return record;
  }

  list(accountId: string, scope: 'All' | 'AWS' | 'Local', onlyAttached: boolean, pathPrefix: string): ManagedPolicyRecord[] {
    const local = scope === 'AWS' ? [] : this.deps.policies.list(accountScope(accountId));
    const aws = scope === 'Local' ? [] : awsManagedPolicies();
    return [...aws, ...local]
      .filter((p) => p.path.startsWith(pathPrefix))
      .filter((p) => !onlyAttached || this.attachmentCount(accountId, p.arn) > 0);
  }

  version(arn: string, versionId: string): PolicyVersionRecord {
    const record = this.get(arn);
    const version = record.versions.find((v) => v.versionId === versionId);
    if (!version) throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
    return version;
  }

  defaultDocument(record: ManagedPolicyRecord): string {
    return record.versions.find((v) => v.versionId === record.defaultVersionId)?.document ?? '{}';
  }

  createVersion(arn: string, document: string, setAsDefault: boolean): PolicyVersionRecord {
    return this.deps.uow.transaction(() => {
      const record = this.ownPolicy(arn);
      checkPolicyDocument(document, 'identity');
      checkPolicySize(document, 'managed', record.policyName);
      if (record.versions.length >= MAX_VERSIONS) {
        throw limitExceeded(
          'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
        );
      }
      const now = this.deps.clock.now();
      const version: PolicyVersionRecord = { versionId: `v${record.nextVersion}`, document, createdAt: now };
      record.versions.push(version);
      record.nextVersion += 1;
      record.updatedAt = now;
      if (setAsDefault) record.defaultVersionId = version.versionId;
      this.save(record);
      return version;
    });
  }

  setDefaultVersion(arn: string, versionId: string): void {
    this.deps.uow.transaction(() => {
      const record = this.ownPolicy(arn);
      if (!record.versions.some((v) => v.versionId === versionId)) {
        throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
      }
      record.defaultVersionId = versionId;
      record.updatedAt = this.deps.clock.now();
      this.save(record);
    });
  }

  deleteVersion(arn: string, versionId: string): void {
    this.deps.uow.transaction(() => {
      const record = this.ownPolicy(arn);
      if (!record.versions.some((v) => v.versionId === versionId)) {
        throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
      }
      if (record.defaultVersionId === versionId) throw deleteConflict('Cannot delete the default version of a policy.');
      record.versions = record.versions.filter((v) => v.versionId !== versionId);
      this.save(record);
    });
  }

  delete(arn: string): void {
    this.deps.uow.transaction(() => {
      const record = this.ownPolicy(arn);
      if (this.attachmentCount(record.accountId, arn) > 0) throw deleteConflict('Cannot delete a policy attached to entities.');
      if (record.versions.length > 1) {
        throw deleteConflict(
          "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        );
      }
      this.deps.policies.delete(accountScope(record.accountId), nameKey(record.policyName));
    });
  }

  /** How many users and roles of the account have this policy attached. */
  attachmentCount(accountId: string, arn: string): number {
    const scope = accountScope(accountId);
    return (
      this.deps.users.list(scope).filter((u) => u.attachedPolicies.includes(arn)).length +
      this.deps.roles.list(scope).filter((r) => r.attachedPolicies.includes(arn)).length
    );
  }

  private ownPolicy(arn: string): ManagedPolicyRecord {
    this.checkArn(arn);
    if (awsManagedPolicy(arn)) throw invalidInput(`Policy ${arn} is an AWS managed policy and cannot be modified.`);
    const record = this.find(arn);
    if (!record) throw noSuchEntity(`Policy ${arn} was not found.`);
    return record;
  }

  private save(record: ManagedPolicyRecord): void {
    this.deps.policies.put(accountScope(record.accountId), nameKey(record.policyName), record);
  }

  private checkArn(arn: string): void {
    if (!/^arn:aws(-cn)?:iam::(\d{12}|aws):policy\/.+/.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
  }
}
