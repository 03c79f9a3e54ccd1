/**
 * Sends a raw HTTP request signed with @smithy/signature-v4 (or deliberately not), so tests can
 * tamper with any part of it and read the raw response.
 */
import { request as httpRequest } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface SignOptions {
  url: string; // server base URL
  method?: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  service?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  signingDate?: Date;
  presign?: boolean;
}

export async function signRequest(o: SignOptions): Promise<{ path: string; headers: Record<string, string>; body: string }> {
  const url = new URL(o.url);
  const body = o.body ?? '';
  const [pathname = '/', rawQuery = ''] = o.path.split('?');
  const query: Record<string, string> = {};
  for (const pair of rawQuery ? rawQuery.split('&') : []) {
    const [k = '', val = ''] = pair.split('=');
    query[decodeURIComponent(k)] = decodeURIComponent(val);
  }
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: o.accessKeyId ?? 'test',
      secretAccessKey: o.secretAccessKey ?? 'test',
      ...(o.sessionToken ? { sessionToken: o.sessionToken } : {}),
    },
    region: o.region ?? 'us-east-1',
    service: o.service ?? 'batch',
    sha256: Hash.bind(null, 'sha256'),
  });
  const unsigned = {
    method: o.method ?? 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: pathname,
    query,
    headers: { host: url.host, 'content-type': 'application/json', ...o.headers },
    body,
  };
  const signed = o.presign
    ? await signer.presign(unsigned, { signingDate: o.signingDate ?? new Date() })
    : await signer.sign(unsigned, { signingDate: o.signingDate ?? new Date() });
  const q = Object.entries(signed.query ?? {})
    .map(([k, val]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(val))}`)
    .join('&');
  return { path: `${signed.path}${q ? `?${q}` : ''}`, headers: signed.headers as Record<string, string>, body };
}

export function send(baseUrl: string, method: string, path: string, headers: Record<string, string>, body: string): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function signedSend(o: SignOptions): Promise<RawResponse> {
  const signed = await signRequest(o);
  return send(o.url, o.method ?? 'POST', signed.path, signed.headers, signed.body);
}
