/**
 * Both transports on the wire (the HTTP front thread and the in-thread one): answers reach the
 * right request under concurrency on keep-alive connections, the caller's address is passed on,
 * admission refuses connections before any byte is read, oversized bodies get 413 and the
 * listener keeps serving, a handler failure is a 500, large answers arrive intact, and a closed
 * listener refuses connections. The front thread also comes back, on the same port, after it dies.
 */
import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import { after, describe, test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import type { HttpRequest, HttpResponse } from '../protocol/http.js';
import { HttpFront } from './http-front.js';
import { jsonLogger } from './logger.js';
import { inThreadTransport } from './transport.js';
import type { ListenerHandle, Transport } from './transport.js';

interface Reply {
  status: number;
  body: string;
}

function send(port: number, path: string, body = '', agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', agent: agent ?? false, headers: { 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Echoes method, path, body and caller; `/big` answers a 200 KiB Buffer, `/throw` fails. */
async function echo(request: HttpRequest, remoteAddress: string): Promise<HttpResponse> {
  if (request.rawPath === '/throw') throw new Error('handler bug');
  if (request.rawPath === '/big') return { status: 200, headers: {}, body: Buffer.from('x'.repeat(200 * 1024)) };
  const text = JSON.stringify({ method: request.method, path: request.rawPath, query: request.query, body: request.body.toString('utf8'), from: remoteAddress });
  return { status: 200, headers: { 'content-type': 'application/json' }, body: text };
}

const logger = jsonLogger('silent');

for (const [name, make] of [
  ['the HTTP front thread', () => new HttpFront(logger)],
  ['the in-thread transport', () => inThreadTransport(logger)],
] as Array<[string, () => Transport]>) {
  describe(name, () => {
    const transport = make();
    after(() => transport.close());

    test('answers every request on its own connection, with the caller address, under concurrency', async () => {
      const listener = await transport.listen({ host: '127.0.0.1', port: 0, handler: echo });
      const agent = new Agent({ keepAlive: true, maxSockets: 8 });
      try {
        const replies = await Promise.all(Array.from({ length: 300 }, (_, i) => send(listener.port, `/r/${i}?n=${i}`, `body-${i}`, agent)));
        replies.forEach((reply, i) => {
          assert.equal(reply.status, 200);
          assert.deepEqual(JSON.parse(reply.body), { method: 'POST', path: `/r/${i}`, query: [['n', String(i)]], body: `body-${i}`, from: '127.0.0.1' });
        });
      } finally {
        agent.destroy();
        await listener.close(true);
      }
    });

    test('a refused connection is dropped before any answer; an admitted one is served', async () => {
      let allow = false;
      const seen: string[] = [];
      const listener = await transport.listen({
        host: '127.0.0.1',
        port: 0,
        handler: echo,
        admit: (remoteAddress) => {
          seen.push(remoteAddress);
          return allow;
        },
      });
      try {
        await assert.rejects(send(listener.port, '/refused'), /ECONNRESET|socket hang up/);
        allow = true;
        const reply = await send(listener.port, '/admitted', 'hello');
        assert.equal(reply.status, 200);
        assert.equal(JSON.parse(reply.body).body, 'hello');
        assert.deepEqual(seen, ['127.0.0.1', '127.0.0.1']);
      } finally {
        await listener.close(true);
      }
    });

    test('an oversized body gets 413 and the listener keeps serving; a handler failure is a 500', async () => {
      const listener = await transport.listen({ host: '127.0.0.1', port: 0, handler: echo });
      try {
        const huge = await send(listener.port, '/huge', 'y'.repeat(11 * 1024 * 1024));
        assert.equal(huge.status, 413);
        assert.equal(JSON.parse(huge.body).__type, 'RequestEntityTooLargeException');
        const failed = await send(listener.port, '/throw');
        assert.equal(failed.status, 500);
        assert.equal(JSON.parse(failed.body).__type, 'InternalFailure');
        assert.equal((await send(listener.port, '/after')).status, 200);
      } finally {
        await listener.close(true);
      }
    });

    test('a large answer arrives whole', async () => {
      const listener = await transport.listen({ host: '127.0.0.1', port: 0, handler: echo });
      try {
        const replies = await Promise.all([send(listener.port, '/big'), send(listener.port, '/big')]);
        for (const reply of replies) assert.equal(reply.body, 'x'.repeat(200 * 1024));
      } finally {
        await listener.close(true);
      }
    });

    test('a closed listener refuses connections', async () => {
      const listener: ListenerHandle = await transport.listen({ host: '127.0.0.1', port: 0, handler: echo });
      assert.equal((await send(listener.port, '/open')).status, 200);
      await listener.close(true);
      await assert.rejects(send(listener.port, '/closed'), /ECONNREFUSED/);
    });

    test('listening on an address in use fails with EADDRINUSE', async () => {
      const first = await transport.listen({ host: '127.0.0.1', port: 0, handler: echo });
      try {
        await assert.rejects(transport.listen({ host: '127.0.0.1', port: first.port, handler: echo }), { code: 'EADDRINUSE' });
      } finally {
        await first.close(true);
      }
    });
  });
}

test('the front thread is started again after it dies, and listens on the same port', async () => {
  const front = new HttpFront(logger);
  try {
    const listener = await front.listen({ host: '127.0.0.1', port: 0, handler: echo });
    assert.equal((await send(listener.port, '/before')).status, 200);
    const worker = (front as unknown as { worker: Worker }).worker;
    await worker.terminate(); // what an unexpected exit looks like from this side
    const deadline = Date.now() + 10_000;
    let reply: Reply | undefined;
    while (!reply && Date.now() < deadline) {
      reply = await send(listener.port, '/after').catch(() => undefined);
      if (!reply) await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(reply?.status, 200);
    assert.equal(JSON.parse(reply?.body ?? '{}').path, '/after');
  } finally {
    await front.close();
  }
});
