/**
 * IAM output structures, element names as botocore's iam 2010-05-08 model spells them. Policy
 * documents go out URL-encoded (RFC 3986), as IAM returns them; timestamps are Dates (ISO 8601).
 */
import type { IdentityDomain } from '../iam/identity.js';
import type { InstanceProfileRecord, ManagedPolicyRecord, PolicyVersionRecord, RoleRecord, Tag, UserRecord } from '../iam/model.js';
import type { Page } from '../iam/ports.js';
import type { XmlObject } from '../protocol/xml.js';

export function encodeDocument(document: string): string {
  return encodeURIComponent(document).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function tags(list: Tag[]): XmlObject[] | undefined {
  return list.length > 0 ? list.map((t) => ({ Key: t.Key, Value: t.Value })) : undefined;
}

export function userShape(user: UserRecord, withTags = true): XmlObject {
  return {
    Path: user.path,
    UserName: user.userName,
    UserId: user.userId,
    Arn: user.arn,
    CreateDate: new Date(user.createdAt),
    Tags: withTags ? tags(user.tags) : undefined,
  };
}

export function roleShape(role: RoleRecord, withTags = true): XmlObject {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: new Date(role.createdAt),
    AssumeRolePolicyDocument: encodeDocument(role.assumeRolePolicyDocument),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    Tags: withTags ? tags(role.tags) : undefined,
  };
}

export function policyShape(iam: IdentityDomain, accountId: string, policy: ManagedPolicyRecord, withTags = true): XmlObject {
  return {
    PolicyName: policy.policyName,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: iam.policies.attachmentCount(accountId, policy.arn),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: policy.description,
    CreateDate: new Date(policy.createdAt),
    UpdateDate: new Date(policy.updatedAt),
    Tags: withTags ? tags(policy.tags) : undefined,
  };
}

export function versionShape(policy: ManagedPolicyRecord, version: PolicyVersionRecord, withDocument = true): XmlObject {
  return {
    Document: withDocument ? encodeDocument(version.document) : undefined,
    VersionId: version.versionId,
    IsDefaultVersion: version.versionId === policy.defaultVersionId,
    CreateDate: new Date(version.createdAt),
  };
}

export function instanceProfileShape(iam: IdentityDomain, profile: InstanceProfileRecord): XmlObject {
  const roles = profile.roleNames.map((name) => iam.roles.find(profile.accountId, name)).filter((r): r is RoleRecord => r !== undefined);
  return {
    Path: profile.path,
    InstanceProfileName: profile.instanceProfileName,
    InstanceProfileId: profile.instanceProfileId,
    Arn: profile.arn,
    CreateDate: new Date(profile.createdAt),
    Roles: roles.map((r) => roleShape(r, false)),
    Tags: tags(profile.tags),
  };
}

/** A paged list result: `{<listName>: [...], IsTruncated, Marker?}`. */
export function pageShape<T>(listName: string, page: Page<T>, shape: (item: T) => XmlObject | string): XmlObject {
  return { [listName]: page.items.map(shape), IsTruncated: page.isTruncated, Marker: page.marker };
}
