/**
 * Which IAM resource each IAM operation is authorized against (the Service Authorization
 * Reference's resource types): users, roles, policies and instance profiles by ARN (with their
 * stored path when they exist), list operations on `*`. AttachXPolicy carries iam:PolicyARN.
 */
import type { RequestContext } from '../core/context.js';
import type { IdentityDomain } from '../iam/identity.js';
import { iamArn } from '../iam/ports.js';
import type { AuthorizationTarget, Input } from './types.js';

const USER_OPS = new Set([
  'CreateUser',
  'GetUser',
  'DeleteUser',
  'TagUser',
  'UntagUser',
  'ListUserTags',
  'CreateAccessKey',
  'ListAccessKeys',
  'UpdateAccessKey',
  'DeleteAccessKey',
  'PutUserPolicy',
  'GetUserPolicy',
  'DeleteUserPolicy',
  'ListUserPolicies',
  'AttachUserPolicy',
  'DetachUserPolicy',
  'ListAttachedUserPolicies',
]);
const ROLE_OPS = new Set([
  'CreateRole',
  'GetRole',
  'DeleteRole',
  'UpdateRole',
  'UpdateAssumeRolePolicy',
  'TagRole',
  'UntagRole',
  'ListRoleTags',
  'PutRolePolicy',
  'GetRolePolicy',
  'DeleteRolePolicy',
  'ListRolePolicies',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'ListAttachedRolePolicies',
  'ListInstanceProfilesForRole',
]);
const POLICY_OPS = new Set([
  'CreatePolicy',
  'GetPolicy',
  'GetPolicyVersion',
  'CreatePolicyVersion',
  'ListPolicyVersions',
  'SetDefaultPolicyVersion',
  'DeletePolicyVersion',
  'DeletePolicy',
]);
const PROFILE_OPS = new Set([
  'CreateInstanceProfile',
  'GetInstanceProfile',
  'DeleteInstanceProfile',
  'AddRoleToInstanceProfile',
  'RemoveRoleFromInstanceProfile',
]);

const text = (input: Input, field: string) => (typeof input[field] === 'string' ? (input[field] as string) : undefined);

export function iamAuthorization(iam: IdentityDomain, operation: string, input: Input, ctx: RequestContext): AuthorizationTarget[] {
  const account = ctx.principal.accountId;
  const action = `iam:${operation}`;
  const path = text(input, 'Path') ?? '/';
  let resource = '*';
  if (USER_OPS.has(operation)) {
    const name = text(input, 'UserName') ?? (ctx.principal.type === 'User' ? ctx.principal.userName : undefined);
    if (name !== undefined) resource = iam.users.find(account, name)?.arn ?? iamArn(account, 'user', path, name);
    else if (ctx.principal.type === 'Account') resource = ctx.principal.arn;
  } else if (ROLE_OPS.has(operation)) {
    const name = text(input, 'RoleName');
    if (name !== undefined) resource = iam.roles.find(account, name)?.arn ?? iamArn(account, 'role', path, name);
  } else if (POLICY_OPS.has(operation)) {
    const arn = text(input, 'PolicyArn');
    const name = text(input, 'PolicyName');
    resource = arn ?? (name !== undefined ? iamArn(account, 'policy', path, name) : '*');
  } else if (PROFILE_OPS.has(operation)) {
    const name = text(input, 'InstanceProfileName');
    if (name !== undefined)
      resource =
        iam.instanceProfiles.list(account).find((p) => p.instanceProfileName.toLowerCase() === name.toLowerCase())?.arn ??
        iamArn(account, 'instance-profile', path, name);
  }
  const policyArn = text(input, 'PolicyArn');
  const context =
    (operation === 'AttachUserPolicy' ||
      operation === 'AttachRolePolicy' ||
      operation === 'DetachUserPolicy' ||
      operation === 'DetachRolePolicy') &&
    policyArn
      ? { 'iam:PolicyARN': policyArn }
      : undefined;
  return [{ action, resource, ...(context ? { context } : {}) }];
}
