/**
 * Where listening sockets live. The pipeline never sees sockets: a `Transport` opens a listener
 * for an address, hands each request (with the caller's address) to a handler and writes the
 * answer. Listeners of endpoint network interfaces also ask `admit` for every new connection
 * (the security-group check) before reading from it. Two transports exist: the HTTP front thread
 * (http-front.ts, the default: parsing, sockets and response writes on a second core) and the
 * in-thread transport below (everything on the event loop that runs the pipeline).
 */
import { createServer as createTcpServer } from 'node:net';
import type { Server as TcpServer } from 'node:net';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createListener } from './http-listener.js';
import type { RequestHandler } from './http-listener.js';
import type { Logger } from './logger.js';

export interface ListenOptions {
  host: string;
  port: number; // 0 picks a free port
  handler: RequestHandler;
  /** Asked once per connection, before any byte is read; false destroys the connection. */
  admit?: (remoteAddress: string) => boolean;
}

export interface ListenerHandle {
  readonly port: number;
  /** Stops accepting; `force` also drops open connections (else only idle ones). */
  close(force?: boolean): Promise<void>;
}

export interface Transport {
  listen(options: ListenOptions): Promise<ListenerHandle>;
  close(): Promise<void>;
}

/** Everything on the pipeline's own event loop. */
export function inThreadTransport(logger: Logger): Transport {
  return {
    async listen(options) {
      const http = createListener(options.handler, logger);
      const { admit } = options;
      const tcp: TcpServer | Server = admit
        ? createTcpServer((socket) => {
            if (admit(socket.remoteAddress ?? '')) http.emit('connection', socket);
            else socket.destroy();
          })
        : http;
      const port = await listenOn(tcp, options.host, options.port);
      return {
        port,
        close: (force = false) => closeBoth(tcp, http, force),
      };
    },
    async close() {},
  };
}

export function listenOn(server: TcpServer | Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes the accepting socket and the HTTP server's connections (all, or the idle ones). */
export function closeBoth(tcp: TcpServer | Server, http: Server, force: boolean): Promise<void> {
  return new Promise((resolve) => {
    tcp.close(() => resolve());
    if (force) http.closeAllConnections();
    else http.closeIdleConnections();
  });
}
