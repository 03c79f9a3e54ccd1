/**
 * `batchlink policy simulate`: decides one request the way the server would — identity
 * policies AND (through an endpoint) the endpoint policy, explicit deny wins — and prints the
 * decision with the statements that decided it. Policies come from files, or from a data
 * directory's state (a user's or role's policies, an endpoint's policy). Exit code 0 = allowed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Principal } from '../core/context.js';
import { systemClock } from '../core/clock.js';
import { randomIds } from '../core/ids.js';
import { authorizeRequest, DEFAULT_ENDPOINT_POLICY, parsePolicy } from '../policy/index.js';
import type { ContextValue, NamedPolicy } from '../policy/index.js';
import { explainVerdict } from '../policy/explain.js';
import { openDatabase } from '../store/database.js';
import { DocumentTable } from '../store/document-table.js';
import { buildIdentity } from '../server/identity-wiring.js';

export interface SimulateOptions {
  action: string;
  resource: string;
  principal?: string;
  identityPolicy?: string[];
  endpointPolicy?: string;
  vpce?: string;
  context?: string[];
  dataDir?: string;
}

/** A principal from its ARN: the account root, an IAM user, a role (as an assumed-role session) or a session. */
export function principalFromArn(arn: string): Principal {
  const m = /^arn:(aws[a-z-]*):(iam|sts)::(\d{12}):(root|user\/(?:.*\/)?([^/]+)|role\/(?:.*\/)?([^/]+)|assumed-role\/([^/]+)\/(.+))$/.exec(arn);
  if (!m) throw new Error(`Not a principal ARN: ${arn}`);
  const [, partition = 'aws', , accountId = '', what = '', userName, roleName, sessionRole, session] = m;
  if (what === 'root') return { accountId, arn, type: 'Account', userId: accountId, accessKeyId: 'simulated' };
  if (userName) return { accountId, arn, type: 'User', userId: `AIDA${userName.toUpperCase()}`, userName, accessKeyId: 'simulated' };
  const role = roleName ?? sessionRole ?? '';
  const sessionName = session ?? 'simulated';
  const roleArn = roleName ? arn : `arn:${partition}:iam::${accountId}:role/${role}`;
  return { accountId, arn: `arn:${partition}:sts::${accountId}:assumed-role/${role}/${sessionName}`, type: 'AssumedRole', userId: `AROA${role.toUpperCase()}:${sessionName}`, roleArn, accessKeyId: 'simulated' };
}

function parseContext(pairs: string[] = []): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new Error(`--context takes key=value, not ${pair}`);
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const existing = context[key];
    context[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [String(existing)]), value];
  }
  return context;
}

export function simulate(o: SimulateOptions): { allowed: boolean; lines: string[] } {
  const principal = principalFromArn(o.principal ?? 'arn:aws:iam::000000000000:root');
  const db = o.dataDir ? openDatabase(join(o.dataDir, 'batchlink.db')) : undefined;
  try {
    let identityPolicies: NamedPolicy[] = (o.identityPolicy ?? []).map((file) => ({ name: file, policy: parsePolicy(readFileSync(file, 'utf8'), 'identity') }));
    if (identityPolicies.length === 0 && db) identityPolicies = buildIdentity(db, systemClock, randomIds).compiledIdentityPolicies(principal);
    let endpointText = o.endpointPolicy ? readFileSync(o.endpointPolicy, 'utf8') : undefined;
    const context = parseContext(o.context);
    if (o.vpce) {
      context['aws:SourceVpce'] = o.vpce;
      if (!endpointText && db) {
        const found = new DocumentTable<{ vpcEndpointId: string; vpcId: string; policyDocument?: string }>(db, 'vpc-endpoint').listAll().find((e) => e.doc.vpcEndpointId === o.vpce);
        if (!found) throw new Error(`No VPC endpoint ${o.vpce} in ${o.dataDir}`);
        endpointText = found.doc.policyDocument ?? DEFAULT_ENDPOINT_POLICY;
        context['aws:SourceVpc'] ??= found.doc.vpcId;
      }
    }
    const endpointPolicy = endpointText !== undefined ? { name: o.vpce ?? o.endpointPolicy ?? 'endpoint', policy: parsePolicy(endpointText, 'endpoint') } : undefined;
    const verdict = authorizeRequest({
      principal,
      principalIsRoot: principal.type === 'Account',
      action: o.action,
      resource: o.resource,
      context,
      identityPolicies,
      ...(endpointPolicy ? { endpointPolicy } : {}),
    });
    return { allowed: verdict.allowed, lines: [`principal: ${principal.arn}`, `action: ${o.action}`, `resource: ${o.resource}`, ...explainVerdict(verdict, { principalIsRoot: principal.type === 'Account' })] };
  } finally {
    db?.close();
  }
}
