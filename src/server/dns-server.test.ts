/**
 * The DNS server on the wire: answers A queries over UDP and TCP (2-byte length prefix) on each
 * resolver address, NXDOMAIN / REFUSED as the answerer says, and stops when an address is dropped.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { after, test } from 'node:test';
import dnsPacket from 'dns-packet';
import type { Packet } from 'dns-packet';
import { DnsServer } from './dns-server.js';
import { jsonLogger } from './logger.js';

const server = new DnsServer({
  port: 0,
  logger: jsonLogger('silent'),
  answer: (address, name) =>
    name === 'batch.us-east-1.amazonaws.com'
      ? { rcode: 'NOERROR', addresses: [address === '127.53.250.1' ? '127.100.9.1' : '127.0.0.1'], via: 'test' }
      : { rcode: 'NXDOMAIN' },
});
after(() => server.close());

const query = (name: string): Buffer =>
  dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name, class: 'IN' }] });
const rcodeOf = (packet: Packet) => (packet.flags ?? 0) & 0xf;
const addressesOf = (packet: Packet) => (packet.answers ?? []).flatMap((a) => (a.type === 'A' ? [a.data] : []));

function udp(address: string, name: string): Promise<Packet> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => (socket.close(), reject(new Error('no UDP answer'))), 2000);
    socket.on('message', (message) => (clearTimeout(timer), socket.close(), resolve(dnsPacket.decode(message))));
    socket.send(query(name), server.port, address);
  });
}

function tcp(address: string, name: string): Promise<Packet> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, address, () =>
      socket.write(dnsPacket.streamEncode({ type: 'query', id: 9, questions: [{ type: 'A', name, class: 'IN' }] })),
    );
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        socket.end();
        resolve(dnsPacket.streamDecode(buffered));
      }
    });
    socket.on('error', reject);
  });
}

test('answers A queries over UDP and TCP per resolver address', async () => {
  await server.sync(['127.53.250.1', '127.53.250.2']);
  assert.ok(server.port > 0);
  const a = await udp('127.53.250.1', 'batch.us-east-1.amazonaws.com');
  assert.equal(a.id, 7);
  assert.equal(rcodeOf(a), 0);
  assert.deepEqual(addressesOf(a), ['127.100.9.1']);
  assert.deepEqual(addressesOf(await udp('127.53.250.2', 'batch.us-east-1.amazonaws.com')), ['127.0.0.1']);
  const viaTcp = await tcp('127.53.250.1', 'batch.us-east-1.amazonaws.com');
  assert.equal(viaTcp.id, 9);
  assert.deepEqual(addressesOf(viaTcp), ['127.100.9.1']);
});

test('unknown names are NXDOMAIN (rcode 3) over UDP and TCP', async () => {
  await server.sync(['127.53.250.1']);
  assert.equal(rcodeOf(await udp('127.53.250.1', 'nope.example')), 3);
  assert.equal(rcodeOf(await tcp('127.53.250.1', 'nope.example')), 3);
});

test('a dropped resolver address stops answering', async () => {
  await server.sync(['127.53.250.1', '127.53.250.3']);
  await server.sync(['127.53.250.1']);
  assert.deepEqual(server.addresses(), ['127.53.250.1']);
  await assert.rejects(tcp('127.53.250.3', 'batch.us-east-1.amazonaws.com'), /ECONNREFUSED/);
});
