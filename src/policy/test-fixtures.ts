/**
 * Shared fixtures for the policy engine's tests (imported only by *.test.ts files): callers of
 * every principal type in one account, and helpers that parse small policies from statements.
 */
import { parsePolicy, type NamedPolicy, type PolicyKind, type RequestPrincipal } from './index.js';

export const ACCT = '111122223333';
export const OTHER = '444455556666';
export const QUEUE = `arn:aws:batch:us-east-1:${ACCT}:job-queue/research`;
export const JOBDEF = `arn:aws:batch:us-east-1:${ACCT}:job-definition/train:3`;

export const alice: RequestPrincipal = {
  arn: `arn:aws:iam::${ACCT}:user/alice`,
  accountId: ACCT,
  type: 'User',
  userId: 'AIDAALICE',
  userName: 'alice',
};
export const bob: RequestPrincipal = {
  arn: `arn:aws:iam::${ACCT}:user/bob`,
  accountId: ACCT,
  type: 'User',
  userId: 'AIDABOB',
  userName: 'bob',
};
export const ciSession: RequestPrincipal = {
  arn: `arn:aws:sts::${ACCT}:assumed-role/Builder/ci`,
  accountId: ACCT,
  type: 'AssumedRole',
  roleArn: `arn:aws:iam::${ACCT}:role/Builder`,
  userId: 'AROABUILDER:ci',
};
export const pathSession: RequestPrincipal = {
  ...ciSession,
  arn: `arn:aws:sts::${ACCT}:assumed-role/Deployer/d1`,
  roleArn: `arn:aws:iam::${ACCT}:role/teams/Deployer`,
};
export const root: RequestPrincipal = { arn: `arn:aws:iam::${ACCT}:root`, accountId: ACCT, type: 'Account', userId: ACCT };
export const stranger: RequestPrincipal = {
  arn: `arn:aws:iam::${OTHER}:user/eve`,
  accountId: OTHER,
  type: 'User',
  userId: 'AIDAEVE',
  userName: 'eve',
};
export const batchService: RequestPrincipal = {
  arn: 'batch.amazonaws.com',
  accountId: '',
  type: 'Service',
  service: 'batch.amazonaws.com',
};

export type Json = Record<string, unknown>;
let counter = 0;
export const policyOf = (kind: PolicyKind, statements: Json[], version: string | undefined = '2012-10-17'): NamedPolicy => ({
  name: `${kind}-${++counter}`,
  policy: parsePolicy(JSON.stringify({ ...(version ? { Version: version } : {}), Statement: statements }), kind),
});
export const allowAll = (extra: Json = {}): Json => ({ Effect: 'Allow', Action: '*', Resource: '*', ...extra });
export const identity = (...statements: Json[]) => policyOf('identity', statements);
export const endpoint = (...statements: Json[]) => policyOf('endpoint', statements);
