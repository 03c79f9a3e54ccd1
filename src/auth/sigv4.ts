/**
 * Server-side AWS Signature Version 4 verification (Authorization header and presigned
 * query), per AWS's "Create a signed AWS API request" specification. The signing math
 * (canonical request, string to sign, signing key) is @smithy/signature-v4's; what is ours is
 * choosing exactly the inputs the client signed: the headers named in SignedHeaders with their
 * received values, the raw still-encoded path, the raw Host (with port), the query decoded pair
 * by pair, and a body hash we check ourselves.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { createScope, getSigningKey, SignatureV4Base } from '@smithy/signature-v4';
import type { HttpRequest as SmithyRequest } from '@smithy/types';
import { AuthFailure } from '../core/errors.js';
import type { Principal } from '../core/context.js';
import type { HttpRequest } from '../protocol/http.js';
import type { CredentialLookup } from './credentials.js';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60 * 1000;
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** What the request claims: parsed from the Authorization header or the presigned query. */
export interface SignatureClaim {
  accessKeyId: string;
  date: string; // yyyymmdd from the scope
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string; // yyyymmddThhmmssZ
  presigned: boolean;
  expiresSeconds?: number;
}

export interface VerifiedRequest {
  principal: Principal;
  region: string;
  service: string;
}

const HEADER_PATTERN =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;

/** Reads the credential scope without verifying: the router uses the service name from it. */
export function readClaim(request: HttpRequest): SignatureClaim | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    if (!authorization.startsWith(ALGORITHM)) throw new AuthFailure('incomplete', `Unsupported signing algorithm in the Authorization header; use ${ALGORITHM}.`);
    const match = HEADER_PATTERN.exec(authorization);
    if (!match) {
      throw new AuthFailure(
        'incomplete',
        "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.",
      );
    }
    const [, accessKeyId = '', date = '', region = '', service = '', signed = '', signature = ''] = match;
    const amzDate = request.headers['x-amz-date'] ?? '';
    return { accessKeyId, date, region, service, signedHeaders: signed.split(';'), signature, amzDate, presigned: false };
  }
  const query = new Map(request.query);
  if (!query.has('X-Amz-Signature') && !query.has('X-Amz-Credential')) return undefined;
  const credential = query.get('X-Amz-Credential') ?? '';
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = credential.split('/');
  if (query.get('X-Amz-Algorithm') !== ALGORITHM || terminator !== 'aws4_request' || !query.get('X-Amz-Signature')) {
    throw new AuthFailure('incomplete', "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'.");
  }
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: (query.get('X-Amz-SignedHeaders') ?? 'host').split(';'),
    signature: query.get('X-Amz-Signature') ?? '',
    amzDate: query.get('X-Amz-Date') ?? '',
    presigned: true,
    expiresSeconds: Number(query.get('X-Amz-Expires') ?? '900'),
  };
}

function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function canonicalQuery(request: HttpRequest): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of request.query) {
    if (key === 'X-Amz-Signature') continue;
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else query[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

const sha256 = Hash.bind(null, 'sha256');

/** Exposes the library's canonical-request and string-to-sign builders to the verifier. */
class CanonicalSigner extends SignatureV4Base {
  constructor() {
    super({ credentials: { accessKeyId: '', secretAccessKey: '' }, region: 'us-east-1', service: 'batch', sha256, applyChecksum: false, uriEscapePath: true });
  }
  canonicalRequest(request: SmithyRequest, headers: Record<string, string>, payloadHash: string): string {
    return this.createCanonicalRequest(request, headers, payloadHash);
  }
}

/** The string to sign, as the specification defines it (the library's builder is async and slower). */
function stringToSign(longDate: string, scope: string, canonicalRequest: string): string {
  return `${ALGORITHM}\n${longDate}\n${scope}\n${createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')}`;
}

const SIGNING_KEY_CACHE_SIZE = 256;

export class SigV4Verifier {
  private readonly signer = new CanonicalSigner();
  /** Signing keys by key id, secret and scope: a key changes once a day per credential and scope. */
  private readonly signingKeys = new Map<string, Uint8Array>();

  constructor(
    private readonly credentials: CredentialLookup,
    private readonly now: () => number,
  ) {}

  /** `claim` is the request's claim when the caller already read it (the router does). */
  async verify(request: HttpRequest, known?: SignatureClaim): Promise<VerifiedRequest> {
    const claim = known ?? readClaim(request);
    if (!claim) throw new AuthFailure('missing', 'Missing Authentication Token');
    const signedAt = parseAmzDate(claim.amzDate);
    if (signedAt === undefined) {
      throw new AuthFailure('incomplete', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    if (!claim.signedHeaders.includes('host')) {
      throw new AuthFailure('incomplete', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }
    const resolved = this.credentials.lookup(claim.accessKeyId);
    if (!resolved) throw new AuthFailure('unknownKey', 'The security token included in the request is invalid.');

    const payloadHash = this.payloadHash(request);
    const headers: Record<string, string> = {};
    for (const name of claim.signedHeaders) {
      const value = request.headers[name];
      if (value === undefined) throw new AuthFailure('badSignature', signatureMismatchMessage());
      headers[name] = value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').trim();
    }
    const canonicalRequest = this.signer.canonicalRequest(
      { method: request.method, protocol: 'http:', hostname: '', path: request.rawPath, query: canonicalQuery(request), headers },
      headers,
      payloadHash,
    );
    const scope = createScope(claim.date, claim.region, claim.service);
    const key = await this.signingKey(claim, resolved.secretAccessKey);
    const expected = createHmac('sha256', key).update(stringToSign(claim.amzDate, scope, canonicalRequest), 'utf8').digest('hex');
    const given = Buffer.from(claim.signature, 'utf8');
    const wanted = Buffer.from(expected, 'utf8');
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      throw new AuthFailure('badSignature', signatureMismatchMessage());
    }
    this.checkTime(claim, signedAt);
    this.checkCredentialState(request, claim, resolved);
    return { principal: resolved.principal, region: claim.region, service: claim.service };
  }

  private async signingKey(claim: SignatureClaim, secretAccessKey: string): Promise<Uint8Array> {
    const cacheKey = `${claim.accessKeyId}\n${secretAccessKey}\n${claim.date}\n${claim.region}\n${claim.service}`;
    const cached = this.signingKeys.get(cacheKey);
    if (cached) return cached;
    const key = await getSigningKey(sha256, { accessKeyId: claim.accessKeyId, secretAccessKey }, claim.date, claim.region, claim.service);
    if (this.signingKeys.size >= SIGNING_KEY_CACHE_SIZE) this.signingKeys.clear();
    this.signingKeys.set(cacheKey, key);
    return key;
  }

  private payloadHash(request: HttpRequest): string {
    const actual = request.body.length === 0 ? EMPTY_SHA256 : createHash('sha256').update(request.body).digest('hex');
    const declared = request.headers['x-amz-content-sha256'];
    if (declared === undefined) return actual;
    if (declared !== actual) {
      throw new AuthFailure('bodyHash', 'The provided x-amz-content-sha256 header does not match what was computed.');
    }
    return declared;
  }

  private checkTime(claim: SignatureClaim, signedAt: number): void {
    const now = this.now();
    if (claim.presigned) {
      const expires = signedAt + (claim.expiresSeconds ?? 900) * 1000;
      if (now > expires) {
        throw new AuthFailure('expired', `Signature expired: ${claim.amzDate} is now earlier than ${formatAmzDate(now)}.`);
      }
      if (signedAt - now > MAX_SKEW_MS) {
        throw new AuthFailure('notYetCurrent', `Signature not yet current: ${claim.amzDate} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`);
      }
      return;
    }
    if (now - signedAt > MAX_SKEW_MS) {
      throw new AuthFailure(
        'expired',
        `Signature expired: ${claim.amzDate} is now earlier than ${formatAmzDate(now - MAX_SKEW_MS)} (${formatAmzDate(now)} - 15 min.)`,
      );
    }
    if (signedAt - now > MAX_SKEW_MS) {
      throw new AuthFailure(
        'notYetCurrent',
        `Signature not yet current: ${claim.amzDate} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`,
      );
    }
  }

  private checkCredentialState(request: HttpRequest, claim: SignatureClaim, resolved: import('./credentials.js').ResolvedCredential): void {
    if (resolved.status !== 'Active') throw new AuthFailure('inactiveKey', 'The security token included in the request is invalid.');
    if (resolved.sessionToken !== undefined) {
      const token = claim.presigned
        ? new Map(request.query).get('X-Amz-Security-Token')
        : request.headers['x-amz-security-token'];
      if (token !== resolved.sessionToken) throw new AuthFailure('unknownKey', 'The security token included in the request is invalid.');
      if (resolved.expiresAt !== undefined && this.now() > resolved.expiresAt) {
        throw new AuthFailure('expiredToken', 'The security token included in the request is expired');
      }
    }
  }
}

export function signatureMismatchMessage(): string {
  return 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
}
