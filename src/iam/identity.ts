/**
 * The identity domain in one object: managed policies, users (and access keys), roles,
 * instance profiles and STS sessions, plus the two questions the rest of batchlink asks it —
 * which credentials does an access key id stand for, and which identity policies apply to a
 * principal.
 */
import type { Principal } from '../core/context.js';
import { InstanceProfiles } from './instance-profiles.js';
import { ManagedPolicies } from './managed-policies.js';
import type { SessionRecord } from './model.js';
import type { IamDeps } from './ports.js';
import { Roles } from './roles.js';
import { authorizeRequest } from '../policy/evaluate.js';
import { PolicyError } from '../policy/errors.js';
import { parsePolicy } from '../policy/parse.js';
import type { NamedPolicy } from '../policy/types.js';
import type { RoleRecord } from './model.js';
import { SecurityTokens, sessionPrincipal } from './security-tokens.js';
import { Users } from './users.js';

/** What an access key id stands for, in the terms the credential port needs. */
export interface IdentityCredential {
  secretAccessKey: string;
  principal: Principal;
  status: 'Active' | 'Inactive';
  sessionToken?: string;
  expiresAt?: number;
}

/** One identity policy that applies to a principal, named as IAM names it in explanations. */
export interface AppliedPolicy {
  name: string; // inline: the policy name; managed: its ARN
  document: string;
}

export class IdentityDomain {
  readonly policies: ManagedPolicies;
  readonly users: Users;
  readonly roles: Roles;
  readonly instanceProfiles: InstanceProfiles;
  readonly tokens: SecurityTokens;

  constructor(readonly deps: IamDeps) {
    this.policies = new ManagedPolicies(deps);
    this.users = new Users(deps, this.policies);
    this.roles = new Roles(deps, this.policies);
    this.instanceProfiles = new InstanceProfiles(deps, this.roles);
    this.tokens = new SecurityTokens(deps, this.roles, (role, caller, context) => this.mayAssume(role, caller, context));
  }

  /**
   * AssumeRole's authorization (IAM User Guide, "Cross-account policy evaluation logic"): the
   * role's trust policy must allow the caller; the caller's identity policies must allow
   * sts:AssumeRole on the role unless the trust policy names the caller itself; an explicit
   * Deny anywhere refuses.
   */
  mayAssume(role: RoleRecord, caller: Principal, context: Record<string, string>): boolean {
    let trust: NamedPolicy;
    try {
      trust = { name: `${role.roleName} trust policy`, policy: parsePolicy(role.assumeRolePolicyDocument, 'trust') };
    } catch (error) {
      if (error instanceof PolicyError) return false;
      throw error;
    }
    const verdict = authorizeRequest({
      principal: caller,
      principalIsRoot: caller.type === 'Account',
      action: 'sts:AssumeRole',
      resource: role.arn,
      context,
      identityPolicies: this.compiledIdentityPolicies(caller),
      trustPolicy: trust,
    });
    return verdict.allowed;
  }

  /** The caller's identity policies, compiled (a stored document the engine now refuses is skipped). */
  compiledIdentityPolicies(principal: Principal): NamedPolicy[] {
    if (principal.type === 'Account') return [];
    const named: NamedPolicy[] = [];
    for (const applied of this.identityPolicies(principal) ?? []) {
      try {
        named.push({ name: applied.name, policy: parsePolicy(applied.document, 'identity') });
      } catch (error) {
        if (!(error instanceof PolicyError)) throw error;
      }
    }
    return named;
  }

  /** An IAM user's access key or an STS session's temporary key. */
  credential(accessKeyId: string): IdentityCredential | undefined {
    if (accessKeyId.startsWith('ASIA')) {
      const session: SessionRecord | undefined = this.tokens.session(accessKeyId);
      if (!session) return undefined;
      return {
        secretAccessKey: session.secretAccessKey,
        principal: sessionPrincipal(session),
        status: 'Active',
        sessionToken: session.sessionToken,
        expiresAt: session.expiresAt,
      };
    }
    const key = this.users.accessKey(accessKeyId);
    if (!key) return undefined;
    const user = this.users.find(key.accountId, key.userName);
    if (!user) return undefined;
    return {
      secretAccessKey: key.secretAccessKey,
      status: key.status,
      principal: {
        accountId: user.accountId,
        arn: user.arn,
        type: 'User',
        userId: user.userId,
        userName: user.userName,
        accessKeyId,
      },
    };
  }

  /**
   * The identity policies of a principal: an IAM user's inline and attached policies, or for an
   * assumed-role session its role's. Undefined when the user or role no longer exists.
   */
  identityPolicies(principal: Principal): AppliedPolicy[] | undefined {
    let holder: { inlinePolicies: Array<{ name: string; document: string }>; attachedPolicies: string[] } | undefined;
    if (principal.type === 'User' && principal.userName !== undefined) {
      holder = this.users.find(principal.accountId, principal.userName);
    } else if (principal.type === 'AssumedRole' && principal.roleArn !== undefined) {
      holder = this.roles.findByArn(principal.roleArn);
    }
    if (!holder) return undefined;
    const applied: AppliedPolicy[] = holder.inlinePolicies.map((p) => ({ name: p.name, document: p.document }));
    for (const arn of holder.attachedPolicies) {
      const managed = this.policies.find(arn);
      if (managed) applied.push({ name: arn, document: this.policies.defaultDocument(managed) });
    }
    return applied;
  }
}
