/**
 * The credential lookup port: an access key id resolves to its secret and the principal it
 * signs as. Implemented by the identity layer (config-file accounts, IAM users' keys, STS
 * sessions); SigV4 verification only reads through this port.
 */
import type { Principal } from '../core/context.js';

export interface ResolvedCredential {
  secretAccessKey: string;
  principal: Principal;
  status: 'Active' | 'Inactive';
  sessionToken?: string; // required for temporary credentials
  expiresAt?: number; // epoch ms, temporary credentials only
}

export interface CredentialLookup {
  lookup(accessKeyId: string): ResolvedCredential | undefined;
}
