/**
 * SigV4 verification on the wire: requests signed with @smithy/signature-v4 directly, then
 * broken one way at a time. Each refusal carries AWS's code for the protocol and a request id,
 * and a refused request changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { send, signedSend, signRequest } from '../../helpers/signed-request.js';

let server: TestServer;
const ceBody = JSON.stringify({ computeEnvironmentName: 'sig-ce', type: 'UNMANAGED' });

before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

function errorType(res: { headers: Record<string, string | string[] | undefined>; body: string }): string {
  return String(res.headers['x-amzn-errortype'] ?? JSON.parse(res.body).__type);
}

async function ceCount(): Promise<number> {
  const res = await signedSend({ url: server.app.url, path: '/v1/describecomputeenvironments', body: '{}' });
  return (JSON.parse(res.body).computeEnvironments as unknown[]).length;
}

test('a correctly signed request succeeds (header auth)', async () => {
  const res = await signedSend({ url: server.app.url, path: '/v1/describejobqueues', body: '{}' });
  assert.equal(res.status, 200);
  assert.ok(res.headers['x-amzn-requestid']);
  assert.deepEqual(JSON.parse(res.body), { jobQueues: [] });
});

test('a presigned request (query auth) succeeds', async () => {
  const res = await signedSend({ url: server.app.url, path: '/v1/describejobqueues', body: '', presign: true });
  assert.equal(res.status, 200, res.body);
});

test('wrong secret: 403 InvalidSignatureException, nothing created', async () => {
  const res = await signedSend({ url: server.app.url, path: '/v1/createcomputeenvironment', body: ceBody, secretAccessKey: 'wrong' });
  assert.equal(res.status, 403);
  assert.equal(errorType(res), 'InvalidSignatureException');
  assert.match(JSON.parse(res.body).message, /The request signature we calculated does not match the signature you provided/);
  assert.equal(await ceCount(), 0);
});

test('unknown access key: 403 UnrecognizedClientException', async () => {
  const res = await signedSend({ url: server.app.url, path: '/v1/describejobqueues', body: '{}', accessKeyId: 'AKIDUNKNOWN' });
  assert.equal(res.status, 403);
  assert.equal(errorType(res), 'UnrecognizedClientException');
  assert.equal(JSON.parse(res.body).message, 'The security token included in the request is invalid.');
});

test('tampered body after signing: refused, nothing created', async () => {
  const signed = await signRequest({ url: server.app.url, path: '/v1/createcomputeenvironment', body: ceBody });
  const tampered = ceBody.replace('sig-ce', 'evil-ce');
  const withoutHash = { ...signed.headers };
  delete withoutHash['x-amz-content-sha256'];
  const res = await send(server.app.url, 'POST', signed.path, withoutHash, tampered);
  assert.equal(res.status, 403);
  assert.equal(errorType(res), 'InvalidSignatureException');
  const withHash = await send(server.app.url, 'POST', signed.path, { ...signed.headers, 'x-amz-content-sha256': signed.headers['x-amz-content-sha256'] ?? 'x' }, tampered);
  assert.equal(withHash.status, 400);
  assert.equal(errorType(withHash), 'XAmzContentSHA256Mismatch');
  assert.equal(await ceCount(), 0);
});

test('date skewed by 20 minutes: 403 InvalidSignatureException "Signature expired"', async () => {
  const res = await signedSend({ url: server.app.url, path: '/v1/describejobqueues', body: '{}', signingDate: new Date(Date.now() - 20 * 60 * 1000) });
  assert.equal(res.status, 403);
  assert.equal(errorType(res), 'InvalidSignatureException');
  assert.match(JSON.parse(res.body).message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  const future = await signedSend({ url: server.app.url, path: '/v1/describejobqueues', body: '{}', signingDate: new Date(Date.now() + 20 * 60 * 1000) });
  assert.match(JSON.parse(future.body).message, /^Signature not yet current/);
});

test('missing authentication: 403 MissingAuthenticationTokenException', async () => {
  const res = await send(server.app.url, 'POST', '/v1/describejobqueues', { 'content-type': 'application/json' }, '{}');
  assert.equal(res.status, 403);
  assert.equal(errorType(res), 'MissingAuthenticationTokenException');
  assert.equal(JSON.parse(res.body).message, 'Missing Authentication Token');
});

test('a malformed Authorization header: 400 IncompleteSignatureException', async () => {
  const res = await send(server.app.url, 'POST', '/v1/describejobqueues', { authorization: 'AWS4-HMAC-SHA256 Credential=test', 'x-amz-date': '20260101T000000Z' }, '{}');
  assert.equal(res.status, 400);
  assert.equal(errorType(res), 'IncompleteSignatureException');
});

test('signing for one service and sending to another path is refused by the signature, not served', async () => {
  const res = await signedSend({ url: server.app.url, path: '/v1/describejobqueues', body: '{}', service: 'batch', region: 'eu-west-1' });
  assert.equal(res.status, 200, 'region comes from the credential scope');
  const signed = await signRequest({ url: server.app.url, path: '/v1/describejobqueues', body: '{}' });
  const moved = await send(server.app.url, 'POST', '/v1/describecomputeenvironments', signed.headers, signed.body);
  assert.equal(moved.status, 403);
});

test('malformed JSON, an unknown operation and an oversized body get AWS-shaped errors; the server keeps serving', async () => {
  const bad = await signedSend({ url: server.app.url, path: '/v1/describejobqueues', body: '{"jobQueues": [' });
  assert.equal(bad.status, 400);
  assert.equal(errorType(bad), 'SerializationException');
  const unknown = await signedSend({ url: server.app.url, path: '/v1/launchrockets', body: '{}' });
  assert.equal(unknown.status, 404);
  assert.equal(errorType(unknown), 'UnknownOperationException');
  const huge = await signedSend({ url: server.app.url, path: '/v1/submitjob', body: JSON.stringify({ x: 'y'.repeat(11 * 1024 * 1024) }) });
  assert.equal(huge.status, 413);
  const ok = await signedSend({ url: server.app.url, path: '/v1/describejobqueues', body: '{}' });
  assert.equal(ok.status, 200);
});
