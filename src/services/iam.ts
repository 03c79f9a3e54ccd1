/**
 * The IAM service (awsQuery, version 2010-05-08): one handler per AWS operation name. Each
 * validates its input with the model's constraints, calls the identity domain for the caller's
 * account and returns the output structure. Authorization targets name the IAM resource ARN.
 */
import type { RequestContext } from '../core/context.js';
import { validationError } from '../iam/errors.js';
import * as c from '../iam/errors.js';
import type { IdentityDomain } from '../iam/identity.js';
import type { Tag } from '../iam/model.js';
import { paginate } from '../iam/ports.js';
import { queryProtocolErrors } from '../protocol/auth-errors.js';
import { AwsQueryCodec } from '../protocol/aws-query.js';
import { instanceProfileShape, encodeDocument, pageShape, policyShape, roleShape, userShape, versionShape } from './iam-shapes.js';
import { iamAuthorization } from './iam-authorization.js';
import type { Handler, Input, ServiceDefinition } from './types.js';

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

const MAX_ITEMS = { min: 1, max: 1000 };

function tagList(input: Input, field = 'Tags'): Tag[] {
  const raw = input[field];
  if (raw === undefined || raw === '') return [];
  if (!Array.isArray(raw))
    throw validationError(
      `1 validation error detected: Value '${String(raw)}' at '${field.toLowerCase()}' failed to satisfy constraint: Member must be a list`,
    );
  return raw.map((item, i) => {
    const tag = (item ?? {}) as Input;
    const key = c.requiredText(tag, 'Key', { min: 1, max: 128 });
    const value = c.optionalText(tag, 'Value', { max: 256 });
    if (value === undefined)
      throw validationError(
        `1 validation error detected: Value null at 'tags.${i + 1}.member.value' failed to satisfy constraint: Member must not be null`,
      );
    return { Key: key, Value: value };
  });
}

function paging(input: Input): { marker: string | undefined; maxItems: number | undefined } {
  return { marker: c.optionalText(input, 'Marker', { min: 1, max: 320 }), maxItems: c.optionalInt(input, 'MaxItems', MAX_ITEMS) };
}

/** The user an operation is about: `UserName`, or (when absent) the calling IAM user. */
function targetUser(input: Input, ctx: RequestContext, field = 'UserName'): string {
  const name = c.optionalText(input, field, c.EXISTING_NAME);
  if (name !== undefined) return name;
  if (ctx.principal.type === 'User' && ctx.principal.userName) return ctx.principal.userName;
  throw validationError('Must specify userName when calling with non-User credentials');
}

function policyNames(holder: { inlinePolicies: Array<{ name: string }> }, input: Input) {
  const { marker, maxItems } = paging(input);
  return pageShape(
    'PolicyNames',
    paginate(
      holder.inlinePolicies.map((p) => p.name),
      marker,
      maxItems,
    ),
    (n) => n,
  );
}

function attachedList(iam: IdentityDomain, arns: string[], input: Input) {
  const prefix = c.optionalText(input, 'PathPrefix', c.PATH_PREFIX) ?? '/';
  const { marker, maxItems } = paging(input);
  const attached = arns
    .map((arn) => iam.policies.find(arn))
    .filter((p) => p !== undefined && p.path.startsWith(prefix))
    .map((p) => ({ PolicyName: p!.policyName, PolicyArn: p!.arn }));
  return pageShape('AttachedPolicies', paginate(attached, marker, maxItems), (a) => a);
}

export function createIamOperations(iam: IdentityDomain): Record<string, Handler> {
  const acct = (ctx: RequestContext) => ctx.principal.accountId;
  const userName = (input: Input) => c.requiredText(input, 'UserName', c.EXISTING_NAME);
  const roleName = (input: Input) => c.requiredText(input, 'RoleName', c.NAME);
  const policyName = (input: Input) => c.requiredText(input, 'PolicyName', c.POLICY_NAME);
  const policyDocument = (input: Input, field = 'PolicyDocument') => c.requiredText(input, field, c.POLICY_DOCUMENT);
  const policyArn = (input: Input) => c.requiredText(input, 'PolicyArn', c.ARN);
  const profileName = (input: Input) => c.requiredText(input, 'InstanceProfileName', { ...c.NAME, max: 128 });

  return {
    // ---- users ----
    CreateUser: (input, ctx) => {
      const name = c.requiredText(input, 'UserName', c.NAME);
      const path = c.optionalText(input, 'Path', c.PATH);
      return { User: userShape(iam.users.create(acct(ctx), name, path, tagList(input))) };
    },
    GetUser: (input, ctx) => {
      const name = c.optionalText(input, 'UserName', c.EXISTING_NAME);
      if (name === undefined && ctx.principal.type === 'Account') {
        return { User: { UserId: ctx.principal.accountId, Arn: ctx.principal.arn, CreateDate: new Date(0) } };
      }
      return { User: userShape(iam.users.get(acct(ctx), name ?? targetUser(input, ctx))) };
    },
    ListUsers: (input, ctx) => {
      const prefix = c.optionalText(input, 'PathPrefix', c.PATH_PREFIX) ?? '/';
      const { marker, maxItems } = paging(input);
      return pageShape('Users', paginate(iam.users.list(acct(ctx), prefix), marker, maxItems), (u) => userShape(u, false));
    },
    DeleteUser: (input, ctx) => iam.users.delete(acct(ctx), userName(input)),
    TagUser: (input, ctx) => {
      const tags = tagList(input);
      iam.users.update(acct(ctx), userName(input), (u) => (u.tags = mergeTags(u.tags, tags)));
    },
    UntagUser: (input, ctx) => {
      const keys = stringList(input, 'TagKeys');
      iam.users.update(acct(ctx), userName(input), (u) => (u.tags = u.tags.filter((t) => !keys.includes(t.Key))));
    },
    ListUserTags: (input, ctx) => {
      const { marker, maxItems } = paging(input);
      return pageShape('Tags', paginate(iam.users.get(acct(ctx), userName(input)).tags, marker, maxItems), (t) => ({
        Key: t.Key,
        Value: t.Value,
      }));
    },

    // ---- access keys ----
    CreateAccessKey: (input, ctx) => {
      const key = iam.users.createAccessKey(acct(ctx), targetUser(input, ctx));
      return {
        AccessKey: {
          UserName: key.userName,
          AccessKeyId: key.accessKeyId,
          Status: key.status,
          SecretAccessKey: key.secretAccessKey,
          CreateDate: new Date(key.createdAt),
        },
      };
    },
    ListAccessKeys: (input, ctx) => {
      const { marker, maxItems } = paging(input);
      if (c.optionalText(input, 'UserName') === undefined && ctx.principal.type === 'Account') {
        return { AccessKeyMetadata: [], IsTruncated: false };
      }
      const user = iam.users.get(acct(ctx), targetUser(input, ctx));
      const keys = iam.users
        .keysOf(user)
        .map((k) => ({ UserName: k.userName, AccessKeyId: k.accessKeyId, Status: k.status, CreateDate: new Date(k.createdAt) }));
      return pageShape('AccessKeyMetadata', paginate(keys, marker, maxItems), (k) => k);
    },
    UpdateAccessKey: (input, ctx) => {
      const id = c.requiredText(input, 'AccessKeyId', c.ACCESS_KEY_ID);
      const status = c.requiredText(input, 'Status');
      if (status !== 'Active' && status !== 'Inactive') {
        throw validationError(
          `1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]`,
        );
      }
      iam.users.updateAccessKey(acct(ctx), targetUser(input, ctx), id, status);
    },
    DeleteAccessKey: (input, ctx) => {
      const id = c.requiredText(input, 'AccessKeyId', c.ACCESS_KEY_ID);
      iam.users.deleteAccessKey(acct(ctx), targetUser(input, ctx), id);
    },

    // ---- user policies ----
    PutUserPolicy: (input, ctx) => iam.users.putPolicy(acct(ctx), userName(input), policyName(input), policyDocument(input)),
    GetUserPolicy: (input, ctx) => {
      const user = iam.users.get(acct(ctx), userName(input));
      const found = user.inlinePolicies.find((p) => p.name === policyName(input));
      if (!found) throw c.noSuchEntity(`The user policy with name ${policyName(input)} cannot be found.`);
      return { UserName: user.userName, PolicyName: found.name, PolicyDocument: encodeDocument(found.document) };
    },
    DeleteUserPolicy: (input, ctx) => iam.users.deletePolicy(acct(ctx), userName(input), policyName(input)),
    ListUserPolicies: (input, ctx) => policyNames(iam.users.get(acct(ctx), userName(input)), input),
    AttachUserPolicy: (input, ctx) => iam.users.attachPolicy(acct(ctx), c.requiredText(input, 'UserName', c.NAME), policyArn(input)),
    DetachUserPolicy: (input, ctx) => iam.users.detachPolicy(acct(ctx), c.requiredText(input, 'UserName', c.NAME), policyArn(input)),
    ListAttachedUserPolicies: (input, ctx) =>
      attachedList(iam, iam.users.get(acct(ctx), c.requiredText(input, 'UserName', c.NAME)).attachedPolicies, input),

    // ---- roles ----
    CreateRole: (input, ctx) => {
      const name = roleName(input);
      const path = c.optionalText(input, 'Path', c.PATH);
      const document = policyDocument(input, 'AssumeRolePolicyDocument');
      const description = c.optionalText(input, 'Description', { max: 1000 });
      const maxSessionDuration = c.optionalInt(input, 'MaxSessionDuration', { min: 3600, max: 43200 });
      const role = iam.roles.create(acct(ctx), {
        roleName: name,
        assumeRolePolicyDocument: document,
        tags: tagList(input),
        ...(path !== undefined ? { path } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(maxSessionDuration !== undefined ? { maxSessionDuration } : {}),
      });
      return { Role: roleShape(role) };
    },
    GetRole: (input, ctx) => ({ Role: roleShape(iam.roles.get(acct(ctx), roleName(input))) }),
    ListRoles: (input, ctx) => {
      const prefix = c.optionalText(input, 'PathPrefix', c.PATH_PREFIX) ?? '/';
      const { marker, maxItems } = paging(input);
      return pageShape('Roles', paginate(iam.roles.list(acct(ctx), prefix), marker, maxItems), (r) => roleShape(r, false));
    },
    DeleteRole: (input, ctx) => iam.roles.delete(acct(ctx), roleName(input)),
    UpdateRole: (input, ctx) => {
      const description = c.optionalText(input, 'Description', { max: 1000 });
      const maxSessionDuration = c.optionalInt(input, 'MaxSessionDuration', { min: 3600, max: 43200 });
      iam.roles.update(acct(ctx), roleName(input), (r) => {
        if (description !== undefined) r.description = description;
        if (maxSessionDuration !== undefined) r.maxSessionDuration = maxSessionDuration;
      });
    },
    UpdateAssumeRolePolicy: (input, ctx) => iam.roles.updateAssumeRolePolicy(acct(ctx), roleName(input), policyDocument(input)),
    TagRole: (input, ctx) => {
      const tags = tagList(input);
      iam.roles.update(acct(ctx), roleName(input), (r) => (r.tags = mergeTags(r.tags, tags)));
    },
    UntagRole: (input, ctx) => {
      const keys = stringList(input, 'TagKeys');
      iam.roles.update(acct(ctx), roleName(input), (r) => (r.tags = r.tags.filter((t) => !keys.includes(t.Key))));
    },
    ListRoleTags: (input, ctx) => {
      const { marker, maxItems } = paging(input);
      return pageShape('Tags', paginate(iam.roles.get(acct(ctx), roleName(input)).tags, marker, maxItems), (t) => ({
        Key: t.Key,
        Value: t.Value,
      }));
    },

    // ---- role policies ----
    PutRolePolicy: (input, ctx) => iam.roles.putPolicy(acct(ctx), roleName(input), policyName(input), policyDocument(input)),
    GetRolePolicy: (input, ctx) => {
      const role = iam.roles.get(acct(ctx), roleName(input));
      const found = role.inlinePolicies.find((p) => p.name === policyName(input));
      if (!found) throw c.noSuchEntity(`The role policy with name ${policyName(input)} cannot be found.`);
      return { RoleName: role.roleName, PolicyName: found.name, PolicyDocument: encodeDocument(found.document) };
    },
    DeleteRolePolicy: (input, ctx) => iam.roles.deletePolicy(acct(ctx), roleName(input), policyName(input)),
    ListRolePolicies: (input, ctx) => policyNames(iam.roles.get(acct(ctx), roleName(input)), input),
    AttachRolePolicy: (input, ctx) => iam.roles.attachPolicy(acct(ctx), roleName(input), policyArn(input)),
    DetachRolePolicy: (input, ctx) => iam.roles.detachPolicy(acct(ctx), roleName(input), policyArn(input)),
    ListAttachedRolePolicies: (input, ctx) => attachedList(iam, iam.roles.get(acct(ctx), roleName(input)).attachedPolicies, input),

    // ---- managed policies ----
    CreatePolicy: (input, ctx) => {
      const path = c.optionalText(input, 'Path', {
        min: 1,
        max: 512,
        pattern: /((\/[A-Za-z0-9.,+@=_-]+)*)\//,
        patternText: '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/',
      });
      const description = c.optionalText(input, 'Description', { max: 1000 });
      const policy = iam.policies.create(acct(ctx), {
        policyName: policyName(input),
        document: policyDocument(input),
        tags: tagList(input),
        ...(path !== undefined ? { path } : {}),
        ...(description !== undefined ? { description } : {}),
      });
      return { Policy: policyShape(iam, acct(ctx), policy) };
    },
    GetPolicy: (input, ctx) => ({ Policy: policyShape(iam, acct(ctx), iam.policies.get(policyArn(input))) }),
    GetPolicyVersion: (input) => {
      const arn = policyArn(input);
      const versionId = c.requiredText(input, 'VersionId', c.VERSION_ID);
      return { PolicyVersion: versionShape(iam.policies.get(arn), iam.policies.version(arn, versionId)) };
    },
    CreatePolicyVersion: (input) => {
      const arn = policyArn(input);
      const version = iam.policies.createVersion(arn, policyDocument(input), c.optionalBool(input, 'SetAsDefault') ?? false);
      return { PolicyVersion: versionShape(iam.policies.get(arn), version, false) };
    },
    ListPolicyVersions: (input) => {
      const policy = iam.policies.get(policyArn(input));
      const { marker, maxItems } = paging(input);
      const versions = [...policy.versions].reverse();
      return pageShape('Versions', paginate(versions, marker, maxItems), (v) => versionShape(policy, v, false));
    },
    SetDefaultPolicyVersion: (input) => iam.policies.setDefaultVersion(policyArn(input), c.requiredText(input, 'VersionId', c.VERSION_ID)),
    DeletePolicyVersion: (input) => iam.policies.deleteVersion(policyArn(input), c.requiredText(input, 'VersionId', c.VERSION_ID)),
    ListPolicies: (input, ctx) => {
      const scope = c.optionalText(input, 'Scope') ?? 'All';
      if (!['All', 'AWS', 'Local'].includes(scope)) {
        throw validationError(
          `1 validation error detected: Value '${scope}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]`,
        );
      }
      const prefix = c.optionalText(input, 'PathPrefix', c.PATH_PREFIX) ?? '/';
      const onlyAttached = c.optionalBool(input, 'OnlyAttached') ?? false;
      const { marker, maxItems } = paging(input);
      const list = iam.policies.list(acct(ctx), scope as 'All' | 'AWS' | 'Local', onlyAttached, prefix);
      return pageShape('Policies', paginate(list, marker, maxItems), (p) => policyShape(iam, acct(ctx), p, false));
    },
    DeletePolicy: (input) => iam.policies.delete(policyArn(input)),

    // ---- instance profiles ----
    CreateInstanceProfile: (input, ctx) => {
      const path = c.optionalText(input, 'Path', c.PATH);
      return {
        InstanceProfile: instanceProfileShape(iam, iam.instanceProfiles.create(acct(ctx), profileName(input), path, tagList(input))),
      };
    },
    GetInstanceProfile: (input, ctx) => ({
      InstanceProfile: instanceProfileShape(iam, iam.instanceProfiles.get(acct(ctx), profileName(input))),
    }),
    ListInstanceProfiles: (input, ctx) => {
      const prefix = c.optionalText(input, 'PathPrefix', c.PATH_PREFIX) ?? '/';
      const { marker, maxItems } = paging(input);
      return pageShape('InstanceProfiles', paginate(iam.instanceProfiles.list(acct(ctx), prefix), marker, maxItems), (p) =>
        instanceProfileShape(iam, p),
      );
    },
    ListInstanceProfilesForRole: (input, ctx) => {
      const { marker, maxItems } = paging(input);
      return pageShape('InstanceProfiles', paginate(iam.instanceProfiles.forRole(acct(ctx), roleName(input)), marker, maxItems), (p) =>
        instanceProfileShape(iam, p),
      );
    },
    AddRoleToInstanceProfile: (input, ctx) => iam.instanceProfiles.addRole(acct(ctx), profileName(input), roleName(input)),
    RemoveRoleFromInstanceProfile: (input, ctx) => iam.instanceProfiles.removeRole(acct(ctx), profileName(input), roleName(input)),
    DeleteInstanceProfile: (input, ctx) => iam.instanceProfiles.delete(acct(ctx), profileName(input)),
  };
}

function stringList(input: Input, field: string): string[] {
  const raw = input[field];
  if (raw === undefined || raw === null || raw === '') return [];
  if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) {
    throw validationError(
      `1 validation error detected: Value '${String(raw)}' at '${field.charAt(0).toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must be a list of strings`,
    );
  }
  return raw as string[];
}

function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const byKey = new Map(existing.map((t) => [t.Key, t]));
  for (const tag of added) byKey.set(tag.Key, tag);
  if (byKey.size > 50) throw c.limitExceeded('The number of tags has reached the maximum limit.');
  return [...byKey.values()];
}

export function createIamService(iam: IdentityDomain): ServiceDefinition {
  const operations = createIamOperations(iam);
  return {
    signingName: 'iam',
    actionPrefix: 'iam',
    global: true,
    codec: new AwsQueryCodec({
      version: '2010-05-08',
      namespace: IAM_NAMESPACE,
      operations: Object.keys(operations),
      integers: ['MaxItems', 'MaxSessionDuration'],
      booleans: ['SetAsDefault', 'OnlyAttached'],
    }),
    errors: queryProtocolErrors,
    operations,
    authorization: (operation, input, ctx) => iamAuthorization(iam, operation, input, ctx),
  };
}
