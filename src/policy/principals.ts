/**
 * Principal / NotPrincipal (IAM User Guide, "Principal" and "NotPrincipal"): `"*"`,
 * `{"AWS": …}` with account ids, account root ARNs (any principal of the account), user ARNs,
 * role ARNs (which also match the role's assumed-role sessions), session ARNs; `{"Service": …}`;
 * `{"Federated": …}` and `{"CanonicalUser": …}` are accepted but match no batchlink caller.
 */
import type { PrincipalMatch, PrincipalMatcher, RequestPrincipal } from './types.js';
import { MSG } from './errors.js';

const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const ACCOUNT_ID = /^\d{12}$/;
const IAM_ARN = /^arn:[a-z-]+:iam::(\d{12}):(root|user\/.+|role\/.+|federated-user\/.+)$/;
const STS_ARN = /^arn:[a-z-]+:sts::(\d{12}):(assumed-role\/[^/]+\/.+|federated-user\/.+)$/;

interface Names {
  any: boolean;
  accounts: Set<string>;
  roles: Set<string>;
  exact: Set<string>; // user, session and federated-user ARNs
  services: Set<string>;
}

class Principals implements PrincipalMatcher {
  constructor(private readonly names: Names) {}

  match(p: RequestPrincipal): PrincipalMatch {
    const n = this.names;
    if (n.any) return 'direct';
    if (p.type === 'Service') return p.service !== undefined && n.services.has(p.service.toLowerCase()) ? 'direct' : 'none';
    if (n.exact.has(p.arn) || n.roles.has(p.arn) || (p.roleArn !== undefined && n.roles.has(p.roleArn))) return 'direct';
    if (n.accounts.has(p.accountId)) return p.type === 'Account' ? 'direct' : 'account';
    return 'none';
  }

  /** NotPrincipal excludes a caller only when every link of its chain is named: account, role, session. */
  excludes(p: RequestPrincipal): boolean {
    const n = this.names;
    if (n.any) return true;
    if (p.type === 'Service') return p.service !== undefined && n.services.has(p.service.toLowerCase());
    if (!n.accounts.has(p.accountId)) return false;
    if (p.type === 'Account') return true;
    if (p.roleArn !== undefined && !n.roles.has(p.roleArn)) return false;
    return n.exact.has(p.arn) || n.roles.has(p.arn);
  }
}

export type PrincipalProblem = { kind: 'syntax' } | { kind: 'invalid'; message: string };

/** Compiles a Principal / NotPrincipal element's JSON value. */
export function compilePrincipal(value: unknown): PrincipalMatcher | PrincipalProblem {
  const names: Names = { any: false, accounts: new Set(), roles: new Set(), exact: new Set(), services: new Set() };
  if (value === '*') return new Principals({ ...names, any: true });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'syntax' };
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return { kind: 'syntax' };
  for (const [type, raw] of entries) {
    if (!PRINCIPAL_TYPES.has(type)) return { kind: 'syntax' };
    const list = typeof raw === 'string' ? [raw] : raw;
    if (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string')) return { kind: 'syntax' };
    for (const item of list as string[]) {
      const invalid = { kind: 'invalid', message: MSG.invalidPrincipal(type, item) } as const;
      if (type === 'AWS') {
        if (item === '*') {
          names.any = true;
        } else if (ACCOUNT_ID.test(item)) {
          names.accounts.add(item);
        } else {
          const iam = IAM_ARN.exec(item);
          const sts = iam ? undefined : STS_ARN.exec(item);
          if ((!iam && !sts) || item.includes('*') || item.includes('?')) return invalid;
          if (iam?.[2] === 'root') names.accounts.add(iam[1] as string);
          else if (iam?.[2]?.startsWith('role/')) names.roles.add(item);
          else names.exact.add(item);
        }
      } else if (type === 'Service') {
        if (item === '' || item.includes('*') || item.includes('?')) return invalid;
        names.services.add(item.toLowerCase());
      } else if (item === '') {
        return invalid;
      }
      // Federated and CanonicalUser principals are accepted and never match a batchlink caller.
    }
  }
  return new Principals(names);
}
