/**
 * Human-readable explanations of a verdict: the decision, which policy type decided it, each
 * policy type's own verdict, and the statements that matched. Used by the server's denial logs
 * and by `batchlink policy simulate`.
 */
import type { AuthorizeResult } from './evaluate.js';
import type { MatchedStatement } from './types.js';

const TYPE_NAMES: Record<string, string> = {
  identity: 'identity-based policies',
  endpoint: 'VPC endpoint policy',
  resource: 'resource-based policy',
  trust: 'role trust policy',
};

function statement(m: MatchedStatement): string {
  return `${m.effect} statement #${m.statementIndex}${m.sid ? ` (Sid "${m.sid}")` : ''} of ${TYPE_NAMES[m.policyType] ?? m.policyType} "${m.policyName}"`;
}

/** One line per fact, most important first. */
export function explainVerdict(result: AuthorizeResult, options: { principalIsRoot?: boolean } = {}): string[] {
  const lines = [`decision: ${result.decision}${result.deniedBy ? ` (decided by the ${TYPE_NAMES[result.deniedBy] ?? result.deniedBy})` : ''}`];
  for (const [type, decision] of Object.entries(result.byType)) {
    const note = type === 'identity' && options.principalIsRoot && decision === 'ImplicitDeny' ? ' (the account root needs no identity-policy allow)' : '';
    lines.push(`  ${TYPE_NAMES[type] ?? type}: ${decision}${note}`);
  }
  if (result.matched.length === 0) lines.push('  no statement matched');
  for (const m of result.matched) lines.push(`  matched: ${statement(m)}`);
  if (result.message) lines.push(`message: ${result.message}`);
  return lines;
}
