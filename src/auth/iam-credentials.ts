/**
 * Credentials the identity domain issues: IAM users' access keys (AKIA…, Active/Inactive) and
 * STS sessions' temporary keys (ASIA…, with session token and expiry, which SigV4 verification
 * enforces). Root keys stay with StaticCredentials.
 */
import type { IdentityDomain } from '../iam/identity.js';
import type { CredentialLookup, ResolvedCredential } from './credentials.js';

export class IamCredentials implements CredentialLookup {
  constructor(private readonly identity: IdentityDomain) {}

  lookup(accessKeyId: string): ResolvedCredential | undefined {
    const found = this.identity.credential(accessKeyId);
    if (!found) return undefined;
    return {
      secretAccessKey: found.secretAccessKey,
      principal: found.principal,
      status: found.status,
      ...(found.sessionToken !== undefined ? { sessionToken: found.sessionToken } : {}),
      ...(found.expiresAt !== undefined ? { expiresAt: found.expiresAt } : {}),
    };
  }
}
