/**
 * The bootstrap config file (JSON), read once at start: extra accounts and their root access
 * keys (and, with the identity layer, users and policies). Errors name the file and the field.
 */
import { readFileSync } from 'node:fs';
import { OperatorError } from '../core/errors.js';
import type { RootKey } from '../auth/static-credentials.js';

export interface BootstrapConfig {
  accounts: Array<{ id: string; rootAccessKeys?: Array<{ accessKeyId: string; secretAccessKey: string }> }>;
  /** Raw document, for layers that read their own sections (identity: users, policies). */
  raw: Record<string, unknown>;
}

export function readConfig(file: string | undefined): BootstrapConfig {
  if (!file) return { accounts: [], raw: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new OperatorError('ConfigUnreadable', `Cannot read the config file ${file}: ${(error as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new OperatorError('ConfigInvalid', `${file}: the config must be a JSON object.`);
  const doc = raw as Record<string, unknown>;
  const accounts = doc.accounts ?? [];
  if (!Array.isArray(accounts)) throw new OperatorError('ConfigInvalid', `${file}: "accounts" must be an array.`);
  for (const [i, account] of accounts.entries()) {
    if (!account || typeof account.id !== 'string' || !/^\d{12}$/.test(account.id)) {
      throw new OperatorError('ConfigInvalid', `${file}: accounts[${i}].id must be a 12-digit account id.`);
    }
  }
  return { accounts: accounts as BootstrapConfig['accounts'], raw: doc };
}

export function rootKeysOf(config: BootstrapConfig): RootKey[] {
  return config.accounts.flatMap((account) =>
    (account.rootAccessKeys ?? []).map((key) => ({ accountId: account.id, accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey })),
  );
}
