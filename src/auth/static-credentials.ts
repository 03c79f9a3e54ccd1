/**
 * Credentials declared without API calls: the default `test`/`test` key (root of account
 * 000000000000) and the accounts of the bootstrap config file. Each key signs as the root of
 * its account.
 */
import type { Principal } from '../core/context.js';
import type { CredentialLookup, ResolvedCredential } from './credentials.js';

export interface RootKey {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export const DEFAULT_ACCOUNT_ID = '000000000000';
export const DEFAULT_ROOT_KEY: RootKey = { accountId: DEFAULT_ACCOUNT_ID, accessKeyId: 'test', secretAccessKey: 'test' };

export function rootPrincipal(accountId: string, accessKeyId: string, partition = 'aws'): Principal {
  return { accountId, arn: `arn:${partition}:iam::${accountId}:root`, type: 'Account', userId: accountId, accessKeyId };
}

export class StaticCredentials implements CredentialLookup {
  private readonly keys = new Map<string, ResolvedCredential>();

  constructor(rootKeys: RootKey[]) {
    for (const key of rootKeys) {
      this.keys.set(key.accessKeyId, {
        secretAccessKey: key.secretAccessKey,
        principal: rootPrincipal(key.accountId, key.accessKeyId),
        status: 'Active',
      });
    }
  }

  lookup(accessKeyId: string): ResolvedCredential | undefined {
    return this.keys.get(accessKeyId);
  }
}

/** Asks each lookup in turn; the first that knows the key answers. */
export function chainCredentials(...lookups: CredentialLookup[]): CredentialLookup {
  return { lookup: (id) => lookups.reduce<ResolvedCredential | undefined>((found, l) => found ?? l.lookup(id), undefined) };
}
