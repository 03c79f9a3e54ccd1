/**
 * node:http listeners. Each turns an incoming request into an `HttpRequest` (with a body size
 * cap), hands it to the pipeline with where it arrived, and writes the response. Admin routes
 * under `/_batchlink/` are answered on the gateway only and need no signature.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { splitQuery } from '../protocol/http.js';
import type { HttpRequest, HttpResponse } from '../protocol/http.js';
import type { Logger } from './logger.js';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/** The answer to a request whose handler failed outside the pipeline (which answers its own errors). */
export const INTERNAL_FAILURE: HttpResponse = {
  status: 500,
  headers: { 'content-type': 'application/json' },
  body: '{"__type":"InternalFailure","message":"An internal error occurred."}',
};

export type RequestHandler = (request: HttpRequest, remoteAddress: string) => Promise<HttpResponse>;

class BodyTooLarge extends Error {}

/**
 * Reads the body up to `limit` bytes. A larger body is still read to its end (and dropped, up to
 * DRAIN_LIMIT_BYTES) before the 413 answer, so a client still sending it gets the answer instead
 * of a reset connection; past that the connection is dropped.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? '0') > limit;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT_BYTES) {
        req.destroy();
        return;
      }
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) reject(new BodyTooLarge());
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    req.on('error', reject);
    req.on('close', () => reject(new BodyTooLarge())); // destroyed past the drain limit (no-op after 'end')
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
        if (!res.headersSent) writeResponse(res, INTERNAL_FAILURE);
      });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}
