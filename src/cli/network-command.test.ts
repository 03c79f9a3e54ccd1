/**
 * `batchlink network`: fetches the gateway's network map and prints resolvers and endpoint
 * interfaces as readable tables.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import type { NetworkMap } from '../server/privatelink.js';
import { formatNetwork, printNetwork } from './network-command.js';

const map: NetworkMap = {
  gateway: '127.0.0.1:4566',
  dnsPort: 53,
  vpcs: [{ accountId: '000000000000', region: 'us-east-1', vpcId: 'vpc-0aaa', resolver: '127.53.0.1:53', listening: true }],
  interfaces: [
    {
      vpcEndpointId: 'vpce-0bbb',
      serviceName: 'com.amazonaws.us-east-1.batch',
      state: 'available',
      privateDnsEnabled: true,
      accountId: '000000000000',
      region: 'us-east-1',
      vpcId: 'vpc-0aaa',
      subnetId: 'subnet-0ccc',
      availabilityZone: 'us-east-1a',
      networkInterfaceId: 'eni-0ddd',
      privateIpAddress: '10.0.1.4',
      listen: '127.100.0.1:4566',
      listening: true,
    },
  ],
};

test('formatNetwork prints each resolver and each interface listening address', () => {
  const text = formatNetwork(map);
  assert.match(text, /vpc-0aaa\s+000000000000\s+us-east-1\s+127\.53\.0\.1:53\s+yes/);
  assert.match(
    text,
    /vpce-0bbb\s+com\.amazonaws\.us-east-1\.batch\s+available\s+on\s+vpc-0aaa\s+subnet-0ccc\s+us-east-1a\s+eni-0ddd\s+10\.0\.1\.4\s+127\.100\.0\.1:4566/,
  );
  assert.match(formatNetwork({ ...map, vpcs: [], interfaces: [] }), /\(no VPCs\)[\s\S]*\(no interface endpoints\)/);
});

test('printNetwork reads GET /_batchlink/network from the gateway', async () => {
  const server = createServer((req, res) => {
    assert.equal(req.url, '/_batchlink/network');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(map));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const written: string[] = [];
  const out = new Writable({ write: (chunk: Buffer, _encoding, done) => (written.push(chunk.toString()), done()) });
  try {
    await printNetwork(`http://127.0.0.1:${port}`, out);
  } finally {
    server.close();
  }
  assert.match(written.join(''), /127\.100\.0\.1:4566/);
  await assert.rejects(printNetwork('http://127.0.0.1:1'), /Cannot reach batchlink at http:\/\/127\.0\.0\.1:1/);
});
