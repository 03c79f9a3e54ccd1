/**
 * The messages between the pipeline's thread and the HTTP front thread (http-front.ts and
 * http-front-worker.ts). Requests and answers travel in batches: one message per event-loop
 * turn on each side, whatever the number of requests in it.
 */
import type { HttpRequest, HttpResponse } from '../protocol/http.js';

export interface FrontRequest {
  id: number;
  listenerId: number;
  remoteAddress: string;
  request: HttpRequest;
}

export interface FrontAnswer {
  id: number;
  response: HttpResponse;
}

/** To the front thread. */
export type ToFront =
  | { kind: 'listen'; listenerId: number; host: string; port: number; admits: boolean }
  | { kind: 'close'; listenerId: number; force: boolean }
  | { kind: 'admission'; connectionId: number; allowed: boolean }
  | { kind: 'answers'; answers: FrontAnswer[] };

/** From the front thread. */
export type FromFront =
  | { kind: 'ready' }
  | { kind: 'listening'; listenerId: number; port: number }
  | { kind: 'listen-failed'; listenerId: number; message: string; code?: string }
  | { kind: 'closed'; listenerId: number }
  | { kind: 'connection'; listenerId: number; connectionId: number; remoteAddress: string }
  | { kind: 'requests'; requests: FrontRequest[] }
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; message: string; fields: Record<string, unknown> };

/** Structured clone turns a Buffer into a plain Uint8Array: view the same bytes as a Buffer again. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Items collected during one event-loop turn and sent together at its end (or earlier, by an
 * explicit flush): how requests and answers cross between the two threads.
 */
export class PerTurnBatch<T> {
  private items: T[] = [];
  private queued = false;

  constructor(private readonly sendAll: (items: T[]) => void) {}

  push(item: T): void {
    this.items.push(item);
    if (this.queued) return;
    this.queued = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.queued = false;
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.sendAll(items);
  }
}
