/**
 * The HTTP front thread, seen from the pipeline's thread: a `Transport` whose sockets live in a
 * worker thread (http-front-worker.ts). The worker parses requests and writes answers; this side
 * runs the handlers and the endpoint interfaces' admission checks. Requests arrive and answers
 * leave in batches (one message per event-loop turn each way), so the pipeline's thread spends
 * its time on SigV4, policies and the store, and the kernel's socket work and node:http's
 * parsing run on the other core. If the worker dies, it is started again and every listener
 * reopened on its port; requests in flight on the dead worker's connections are lost with them.
 */
import { Worker } from 'node:worker_threads';
import type { HttpResponse } from '../protocol/http.js';
import { INTERNAL_FAILURE } from './http-listener.js';
import type { RequestHandler } from './http-listener.js';
import { asBuffer, PerTurnBatch } from './http-front-protocol.js';
import type { FromFront, FrontAnswer, FrontRequest, ToFront } from './http-front-protocol.js';
import type { Logger } from './logger.js';
import type { ListenerHandle, ListenOptions, Transport } from './transport.js';

interface Registered {
  options: ListenOptions;
  port: number;
  opened?: { resolve: (port: number) => void; reject: (error: Error) => void };
  closed?: () => void;
}

/** Requests handled per event-loop turn (see drain): 16 measured best of 4, 16 and 64 (bench/ANALYSIS.md). */
const CHUNK = 16;
/** Answer bodies from this size on move to the front thread instead of being copied. */
const TRANSFER_FROM_BYTES = 64 * 1024;

/** The worker's module: compiled JavaScript next to this file, or TypeScript through tsx (tests, bench). */
function startWorker(): Worker {
  const self = import.meta.url;
  if (self.endsWith('.ts')) {
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./http-front-worker.ts', self).href;
    const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(bootstrap, { eval: true });
  }
  return new Worker(new URL('./http-front-worker.js', self));
}

export class HttpFront implements Transport {
  private worker: Worker;
  private ready: Promise<void>;
  private readonly listeners = new Map<number, Registered>();
  private nextListenerId = 1;
  private readonly outbox = new PerTurnBatch<FrontAnswer>((answers) => this.sendAnswers(answers));
  private inbox: FrontRequest[] = [];
  private draining = false;
  private closing = false;

  constructor(private readonly logger: Logger) {
    ({ worker: this.worker, ready: this.ready } = this.spawn());
  }

  async listen(options: ListenOptions): Promise<ListenerHandle> {
    const listenerId = this.nextListenerId++;
    const entry: Registered = { options, port: options.port };
    this.listeners.set(listenerId, entry);
    const port = await this.open(listenerId, entry);
    return {
      port,
      close: (force = false) => this.closeListener(listenerId, force),
    };
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.worker.terminate();
  }

  private spawn(): { worker: Worker; ready: Promise<void> } {
    const worker = startWorker();
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (message: FromFront) => {
        if (message.kind === 'ready') {
          worker.off('error', reject);
          resolve();
          return;
        }
        this.receive(message);
      });
    });
    worker.on('error', (error) => this.logger.error('the HTTP front thread failed', { error: error.message }));
    worker.once('exit', (code) => this.exited(worker, code));
    ready.catch(() => {}); // reported by the error listener; listen() awaits it again
    return { worker, ready };
  }

  /** An unexpected exit: start a new worker and reopen every listener on the port it had. */
  private exited(worker: Worker, code: number): void {
    if (this.closing || worker !== this.worker) return;
    this.logger.error('the HTTP front thread exited; starting it again', { code });
    ({ worker: this.worker, ready: this.ready } = this.spawn());
    for (const [listenerId, entry] of this.listeners) {
      if (entry.closed) {
        this.listeners.delete(listenerId);
        entry.closed();
        continue;
      }
      // A listen() still waiting keeps waiting for this answer; an open listener only logs a failure.
      entry.opened ??= {
        resolve: () => {},
        reject: (error) => this.logger.error('cannot listen again after the HTTP front thread restarted', { address: `${entry.options.host}:${entry.port}`, error: error.message }),
      };
      void this.sendListen(listenerId, entry);
    }
  }

  private open(listenerId: number, entry: Registered): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      entry.opened = { resolve, reject };
      void this.sendListen(listenerId, entry);
    });
  }

  private async sendListen(listenerId: number, entry: Registered): Promise<void> {
    try {
      await this.ready;
    } catch (error) {
      entry.opened?.reject(error as Error);
      entry.opened = undefined;
      return;
    }
    this.send({ kind: 'listen', listenerId, host: entry.options.host, port: entry.port, admits: entry.options.admit !== undefined });
  }

  /** The listener keeps answering requests already received until the front thread says it is closed. */
  private closeListener(listenerId: number, force: boolean): Promise<void> {
    const entry = this.listeners.get(listenerId);
    if (!entry || entry.closed) return Promise.resolve();
    if (this.closing) {
      this.listeners.delete(listenerId);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      entry.closed = resolve;
      this.send({ kind: 'close', listenerId, force });
    });
  }

  private receive(message: FromFront): void {
    switch (message.kind) {
      case 'requests':
        for (const request of message.requests) this.inbox.push(request);
        if (!this.draining) this.drain();
        return;
      case 'connection': {
        const admit = this.listeners.get(message.listenerId)?.options.admit;
        this.send({ kind: 'admission', connectionId: message.connectionId, allowed: admit ? admit(message.remoteAddress) : false });
        return;
      }
      case 'listening':
      case 'listen-failed': {
        const entry = this.listeners.get(message.listenerId);
        const opened = entry?.opened;
        if (!entry || !opened) return;
        entry.opened = undefined;
        if (message.kind === 'listening') {
          entry.port = message.port;
          opened.resolve(message.port);
        } else {
          this.listeners.delete(message.listenerId);
          opened.reject(Object.assign(new Error(message.message), message.code ? { code: message.code } : {}));
        }
        return;
      }
      case 'closed': {
        const closed = this.listeners.get(message.listenerId)?.closed;
        this.listeners.delete(message.listenerId);
        closed?.();
        return;
      }
      case 'log':
        this.logger[message.level](message.message, message.fields);
        return;
      case 'ready':
        return;
    }
  }

  /**
   * Handles waiting requests CHUNK at a time, one chunk per event-loop turn: each chunk commits
   * and its answers leave while the next is handled, so the front thread, the clients and this
   * thread work at once instead of passing one large batch around in turn.
   */
  private drain(): void {
    this.outbox.flush();
    const chunk = this.inbox.splice(0, CHUNK);
    for (const request of chunk) this.handle(request);
    this.draining = this.inbox.length > 0;
    if (this.draining) setImmediate(() => this.drain());
  }

  private handle({ id, listenerId, remoteAddress, request }: FrontRequest): void {
    const handler: RequestHandler | undefined = this.listeners.get(listenerId)?.options.handler;
    request.body = asBuffer(request.body);
    const answered = handler ? handler(request, remoteAddress) : Promise.resolve(gone());
    void answered
      .catch((error: unknown) => {
        this.logger.error('request failed outside the pipeline', { error: error instanceof Error ? error.message : String(error) });
        return INTERNAL_FAILURE;
      })
      .then((response) => this.outbox.push({ id, response }));
  }

  /** Bodies of TRANSFER_FROM_BYTES or more that own their whole ArrayBuffer (RawJson's) move instead of being copied; they are not used here again. */
  private sendAnswers(answers: FrontAnswer[]): void {
    const moved: ArrayBuffer[] = [];
    for (const { response } of answers) {
      const body = response.body;
      if (Buffer.isBuffer(body) && body.byteLength >= TRANSFER_FROM_BYTES && body.byteOffset === 0 && body.buffer.byteLength === body.byteLength) {
        moved.push(body.buffer as ArrayBuffer);
      }
    }
    this.send({ kind: 'answers', answers }, moved);
  }

  private send(message: ToFront, transfer: ArrayBuffer[] = []): void {
    if (!this.closing) this.worker.postMessage(message, transfer);
  }
}

function gone(): HttpResponse {
  return { status: 503, headers: { 'content-type': 'application/json', connection: 'close' }, body: '{"message":"This listener is closed."}' };
}
