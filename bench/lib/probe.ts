/**
 * Sequential signed Batch calls on one keep-alive connection, for latency probes whose next
 * request depends on the previous answer (ListJobs pages) and for polling. Each request is
 * signed just before it is sent; the measured latency covers only write -> full response.
 */
import { performance } from 'node:perf_hooks';
import { RawConnection } from './raw-http.js';
import { RequestSigner } from './signing.js';
import type { Target } from './signing.js';

export interface ProbeAnswer<T> {
  status: number;
  ms: number;
  json: T;
  text: string;
}

export class ApiProbe {
  private readonly signer: RequestSigner;
  private readonly connection: RawConnection;

  constructor(target: Target) {
    this.signer = new RequestSigner(target);
    this.connection = new RawConnection(target.host, target.port);
  }

  async call<T = Record<string, unknown>>(operation: string, input: unknown): Promise<ProbeAnswer<T>> {
    const bytes = await this.signer.batchCall(operation, input);
    const t0 = performance.now();
    const response = await this.connection.send(bytes);
    const ms = performance.now() - t0;
    const text = response.body.toString('utf8');
    let json = {} as T;
    try {
      json = JSON.parse(text) as T;
    } catch {
      // Non-JSON error bodies are kept in `text`.
    }
    return { status: response.status, ms, json, text };
  }

  /** Like `call` but throws unless the answer is 200. */
  async ok<T = Record<string, unknown>>(operation: string, input: unknown): Promise<ProbeAnswer<T>> {
    const answer = await this.call<T>(operation, input);
    if (answer.status !== 200) throw new Error(`${operation} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    return answer;
  }

  close(): void {
    this.connection.close();
  }
}
