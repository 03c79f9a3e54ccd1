/**
 * SigV4 signing for the benchmarks with @smithy/signature-v4 (the signer the AWS SDK for
 * JavaScript uses): each request gets its own signature over its own body, host and date,
 * then is serialised to raw HTTP/1.1 bytes ready to write on a socket.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { requestBytes } from './raw-http.js';

export interface Target {
  host: string; // address to connect to
  port: number;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export const DEFAULT_CREDENTIALS: Credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export class RequestSigner {
  private readonly signer: SignatureV4;

  constructor(
    private readonly target: Target,
    credentials: Credentials = DEFAULT_CREDENTIALS,
    region = 'us-east-1',
    service = 'batch',
  ) {
    this.signer = new SignatureV4({ credentials, region, service, sha256: Hash.bind(null, 'sha256') });
  }

  /** Signs a restJson1 Batch call (`POST /v1/<operation>`) and returns its raw bytes. */
  async batchCall(operation: string, input: unknown, signingDate = new Date()): Promise<Buffer> {
    const body = JSON.stringify(input);
    const hostHeader = `${this.target.host}:${this.target.port}`;
    const signed = await this.signer.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: this.target.host,
        port: this.target.port,
        path: `/v1/${operation.toLowerCase()}`,
        query: {},
        headers: { host: hostHeader, 'content-type': 'application/json' },
        body,
      },
      { signingDate },
    );
    return requestBytes('POST', signed.path, signed.headers as Record<string, string>, body);
  }
}
