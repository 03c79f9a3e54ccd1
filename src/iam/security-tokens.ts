/**
 * STS: AssumeRole issues temporary credentials (ASIA… key, secret, session token, expiry) that
 * sign as the session principal `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION` (user id
 * `AROA…:SESSION`). Order of checks as AWS: root callers are refused, then the role's trust
 * policy (with the caller's identity policies, see IdentityDomain.mayAssume) must allow the
 * caller, then DurationSeconds must fit the role (and role chaining's one hour).
 */
import type { Principal } from '../core/context.js';
import { stsAccessDenied, validationError } from './errors.js';
import { accessKeyId, secretAccessKey, sessionToken } from './ids.js';
import type { RoleRecord, SessionRecord } from './model.js';
import type { IamDeps } from './ports.js';
import { KEY_SCOPE } from './ports.js';
import type { Roles } from './roles.js';

/** Decides whether a role's trust policy lets `caller` assume it (the policy engine's answer). */
export type TrustCheck = (role: RoleRecord, caller: Principal, context: Record<string, string>) => boolean;

export interface AssumeRoleInput {
  roleArn: string;
  roleSessionName: string;
  durationSeconds?: number;
  externalId?: string;
  sourceIdentity?: string;
}

const CHAINED_MAX_SECONDS = 3600;

export class SecurityTokens {
  private lastSweep = 0;

  constructor(
    private readonly deps: IamDeps,
    private readonly roles: Roles,
    private readonly trustAllows: TrustCheck,
  ) {}

  assumeRole(caller: Principal, input: AssumeRoleInput): SessionRecord {
    const denied = () => stsAccessDenied(`User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.roleArn}`);
    if (caller.type === 'Account') throw stsAccessDenied('Roles may not be assumed by root accounts.');
    const role = this.roles.findByArn(input.roleArn);
    if (!role) throw denied();
    const context: Record<string, string> = {};
    if (input.externalId !== undefined) context['sts:ExternalId'] = input.externalId;
    if (input.sourceIdentity !== undefined) context['sts:SourceIdentity'] = input.sourceIdentity;
    context['sts:RoleSessionName'] = input.roleSessionName;
    if (!this.trustAllows(role, caller, context)) throw denied();
    const chained = caller.type === 'AssumedRole';
    const duration = input.durationSeconds ?? 3600;
    if (chained && duration > CHAINED_MAX_SECONDS) {
      throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    }
    if (duration > role.maxSessionDuration) {
      throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }
    const now = this.deps.clock.now();
    const session: SessionRecord = {
      accessKeyId: accessKeyId(this.deps.ids, true),
      secretAccessKey: secretAccessKey(this.deps.ids),
      sessionToken: sessionToken(this.deps.ids),
      expiresAt: Math.floor((now + duration * 1000) / 1000) * 1000, // AWS states expiry in whole seconds
      accountId: role.accountId,
      roleArn: role.arn,
      roleName: role.roleName,
      roleId: role.roleId,
      sessionName: input.roleSessionName,
      arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${input.roleSessionName}`,
      chained,
      createdAt: now,
    };
    this.deps.sessions.put(KEY_SCOPE, session.accessKeyId, session);
    this.sweep(now);
    return session;
  }

  session(id: string): SessionRecord | undefined {
    return this.deps.sessions.get(KEY_SCOPE, id);
  }

  /** Forgets sessions that expired more than a day ago (their keys answer "invalid" then). */
  private sweep(now: number): void {
    if (now - this.lastSweep < 3_600_000) return;
    this.lastSweep = now;
    for (const row of this.deps.sessions.listAll()) {
      if (row.doc.expiresAt < now - 86_400_000) this.deps.sessions.delete(KEY_SCOPE, row.id);
    }
  }
}

export function sessionPrincipal(session: SessionRecord): Principal {
  return {
    accountId: session.accountId,
    arn: session.arn,
    type: 'AssumedRole',
    userId: `${session.roleId}:${session.sessionName}`,
    roleArn: session.roleArn,
    accessKeyId: session.accessKeyId,
    sessionToken: session.sessionToken,
  };
}
