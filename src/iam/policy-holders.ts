/**
 * Inline and attached policies on an identity (user or role), shared by both: PutXPolicy,
 * GetXPolicy, DeleteXPolicy, ListXPolicies, AttachXPolicy, DetachXPolicy, with AWS's messages
 * and quotas (10 managed policies per identity).
 */
import { limitExceeded, noSuchEntity } from './errors.js';
import type { InlinePolicy } from './model.js';
import { checkPolicyDocument, checkPolicySize } from './policy-documents.js';

export interface PolicyHolder {
  inlinePolicies: InlinePolicy[];
  attachedPolicies: string[];
}

export type HolderKind = 'user' | 'role';

const MAX_ATTACHED = 10;

export function putInline(holder: PolicyHolder, kind: HolderKind, holderName: string, policyName: string, document: string): void {
  checkPolicyDocument(document, 'identity');
  checkPolicySize(document, kind, holderName);
  const existing = holder.inlinePolicies.find((p) => p.name === policyName);
  if (existing) existing.document = document;
  else holder.inlinePolicies.push({ name: policyName, document });
}

export function getInline(holder: PolicyHolder, kind: HolderKind, policyName: string): InlinePolicy {
  const found = holder.inlinePolicies.find((p) => p.name === policyName);
  if (!found) throw noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`);
  return found;
}

export function deleteInline(holder: PolicyHolder, kind: HolderKind, policyName: string): void {
  getInline(holder, kind, policyName);
  holder.inlinePolicies = holder.inlinePolicies.filter((p) => p.name !== policyName);
}

export function attach(holder: PolicyHolder, kind: HolderKind, policyArn: string): void {
  if (holder.attachedPolicies.includes(policyArn)) return; // AWS: attaching twice is a no-op
  if (holder.attachedPolicies.length >= MAX_ATTACHED) {
    throw limitExceeded(`Cannot exceed quota for ${kind === 'user' ? 'PoliciesPerUser' : 'PoliciesPerRole'}: ${MAX_ATTACHED}`);
  }
  holder.attachedPolicies.push(policyArn);
}

export function detach(holder: PolicyHolder, policyArn: string): void {
  if (!holder.attachedPolicies.includes(policyArn)) throw noSuchEntity(`Policy ${policyArn} was not found.`);
  holder.attachedPolicies = holder.attachedPolicies.filter((a) => a !== policyArn);
}
