/**
 * The HTTP front thread's entry point (started by http-front.ts). It owns every listening socket:
 * it accepts connections (asking the pipeline's thread to admit those of endpoint interfaces),
 * parses HTTP with node:http, enforces the body cap, forwards each request, and writes each
 * answer back on its socket. It holds no state of batchlink's and never reads the store.
 */
import { createServer as createTcpServer } from 'node:net';
import type { Server as TcpServer, Socket } from 'node:net';
import type { Server } from 'node:http';
import { parentPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { HttpRequest, HttpResponse } from '../protocol/http.js';
import { createListener } from './http-listener.js';
import { asBuffer, PerTurnBatch } from './http-front-protocol.js';
import type { FromFront, FrontRequest, ToFront } from './http-front-protocol.js';
import type { Logger } from './logger.js';
import { closeBoth, listenOn } from './transport.js';

interface OpenListener {
  tcp: TcpServer | Server;
  http: Server;
}

class Front {
  private readonly listeners = new Map<number, OpenListener>();
  private readonly waiting = new Map<number, (response: HttpResponse) => void>();
  private readonly admitting = new Map<number, { socket: Socket; http: Server }>();
  private readonly outbox = new PerTurnBatch<FrontRequest>((requests) => this.post({ kind: 'requests', requests }));
  private nextRequestId = 1;
  private nextConnectionId = 1;
  private readonly logger: Logger;

  constructor(private readonly port: MessagePort) {
    const post = (level: 'info' | 'warn' | 'error') => (message: string, fields: Record<string, unknown> = {}) =>
      this.post({ kind: 'log', level, message, fields });
    this.logger = { info: post('info'), warn: post('warn'), error: post('error') };
  }

  receive(message: ToFront): void {
    switch (message.kind) {
      case 'answers':
        for (const { id, response } of message.answers) {
          const answer = this.waiting.get(id);
          this.waiting.delete(id);
          answer?.(typeof response.body === 'string' ? response : { ...response, body: asBuffer(response.body) });
        }
        return;
      case 'listen':
        void this.listen(message.listenerId, message.host, message.port, message.admits);
        return;
      case 'close':
        void this.close(message.listenerId, message.force);
        return;
      case 'admission':
        this.admitted(message.connectionId, message.allowed);
        return;
    }
  }

  private async listen(listenerId: number, host: string, port: number, admits: boolean): Promise<void> {
    const http = createListener((request, remoteAddress) => this.forward(listenerId, request, remoteAddress), this.logger);
    const tcp = admits ? createTcpServer((socket) => this.askAdmission(listenerId, socket, http)) : http;
    try {
      const bound = await listenOn(tcp, host, port);
      this.listeners.set(listenerId, { tcp, http });
      this.post({ kind: 'listening', listenerId, port: bound });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.post({ kind: 'listen-failed', listenerId, message: (error as Error).message, ...(code ? { code } : {}) });
    }
  }

  private async close(listenerId: number, force: boolean): Promise<void> {
    const listener = this.listeners.get(listenerId);
    this.listeners.delete(listenerId);
    if (listener) await closeBoth(listener.tcp, listener.http, force);
    this.post({ kind: 'closed', listenerId });
  }

  /** The connection waits, unread, until the pipeline's thread has checked the security groups. */
  private askAdmission(listenerId: number, socket: Socket, http: Server): void {
    socket.pause();
    const connectionId = this.nextConnectionId++;
    this.admitting.set(connectionId, { socket, http });
    socket.once('close', () => this.admitting.delete(connectionId));
    this.post({ kind: 'connection', listenerId, connectionId, remoteAddress: socket.remoteAddress ?? '' });
  }

  private admitted(connectionId: number, allowed: boolean): void {
    const entry = this.admitting.get(connectionId);
    this.admitting.delete(connectionId);
    if (!entry) return;
    if (!allowed || entry.socket.destroyed) {
      entry.socket.destroy();
      return;
    }
    entry.http.emit('connection', entry.socket);
    entry.socket.resume();
  }

  private forward(listenerId: number, request: HttpRequest, remoteAddress: string): Promise<HttpResponse> {
    const id = this.nextRequestId++;
    this.outbox.push({ id, listenerId, remoteAddress, request });
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  private post(message: FromFront): void {
    this.port.postMessage(message);
  }
}

if (parentPort) {
  const port = parentPort;
  const front = new Front(port);
  port.on('message', (message: ToFront) => front.receive(message));
  port.postMessage({ kind: 'ready' } satisfies FromFront);
}
