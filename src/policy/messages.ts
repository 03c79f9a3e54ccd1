/**
 * AWS's access-denied sentences (IAM User Guide, "Troubleshoot access denied error messages"):
 * `User: <arn> is not authorized to perform: <action> on resource: <resource> because no
 * <type> policy allows the <action> action` / `… with an explicit deny in a <type> policy`.
 */
import type { Decision, PolicyKind } from './types.js';

const TYPE_PHRASE: Record<PolicyKind, { implicit: string; explicit: string }> = {
  identity: { implicit: 'no identity-based policy', explicit: 'an identity-based policy' },
  endpoint: { implicit: 'no VPC endpoint policy', explicit: 'a VPC endpoint policy' },
  resource: { implicit: 'no resource-based policy', explicit: 'a resource-based policy' },
  trust: { implicit: 'no role trust policy', explicit: 'the role trust policy' },
};

export interface DenialDetails {
  principalArn: string;
  action: string;
  /** Omit for a message without `on resource: …` (AWS leaves it out for some actions). */
  resource?: string;
  decision: Exclude<Decision, 'Allow'>;
  deniedBy: PolicyKind;
}

export function formatDenialMessage(details: DenialDetails): string {
  const onResource = details.resource !== undefined ? ` on resource: ${details.resource}` : '';
  const head = `User: ${details.principalArn} is not authorized to perform: ${details.action}${onResource}`;
  const phrase = TYPE_PHRASE[details.deniedBy];
  return details.decision === 'ExplicitDeny'
    ? `${head} with an explicit deny in ${phrase.explicit}`
    : `${head} because ${phrase.implicit} allows the ${details.action} action`;
}
