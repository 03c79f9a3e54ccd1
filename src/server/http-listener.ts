/**
 * node:http listeners. Each turns an incoming request into an `HttpRequest` (with a body size
 * cap), hands it to the pipeline with where it arrived, and writes the response. Admin routes
 * under `/_batchlink/` are answered on the gateway only and need no signature.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { splitQuery } from '../protocol/http.js';
import type { HttpRequest, HttpResponse } from '../protocol/http.js';
import type { Logger } from './logger.js';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export type RequestHandler = (request: HttpRequest, remoteAddress: string) => Promise<HttpResponse>;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function toHttpRequest(req: IncomingMessage, body: Buffer): HttpRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return { method: req.method ?? 'GET', rawPath, rawQuery, query: splitQuery(rawQuery), headers, body };
}

function writeResponse(res: ServerResponse, response: HttpResponse): void {
  const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) });
  res.end(body);
}

export function createListener(handler: RequestHandler, logger: Logger): Server {
  const server = createServer((req, res) => {
    readBody(req, MAX_BODY_BYTES)
      .then((body) => handler(toHttpRequest(req, body), req.socket.remoteAddress ?? ''))
      .then((response) => writeResponse(res, response))
      .catch((error: unknown) => {
        if (error instanceof BodyTooLarge) {
          writeResponse(res, {
            status: 413,
            headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'RequestEntityTooLargeException', connection: 'close' },
            body: JSON.stringify({ __type: 'RequestEntityTooLargeException', message: `Request body is larger than ${MAX_BODY_BYTES} bytes.` }),
          });
          return;
        }
        logger.error('request failed outside the pipeline', { error: error instanceof Error ? error.message : String(error) });
        if (!res.headersSent) writeResponse(res, { status: 500, headers: { 'content-type': 'application/json' }, body: '{"__type":"InternalFailure","message":"An internal error occurred."}' });
      });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
