import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  containsCidr,
  containsIp,
  formatCidr,
  formatIp,
  isNetworkAddress,
  overlaps,
  parseCidr,
  parseIp,
  sizeOf,
  usableAddresses,
} from './cidr.js';

const cidr = (text: string) => {
  const parsed = parseCidr(text);
  assert.ok(parsed, `${text} should parse`);
  return parsed;
};

test('parseIp: reads dotted quads and refuses malformed addresses', () => {
  assert.equal(parseIp('10.0.0.1'), 167772161);
  assert.equal(parseIp('255.255.255.255'), 0xffffffff);
  for (const bad of ['10.0.0', '10.0.0.256', '10.0.0.01', 'a.b.c.d', '10.0.0.1.2', '', '10..0.1'])
    assert.equal(parseIp(bad), undefined, bad);
  assert.equal(formatIp(167772161), '10.0.0.1');
});

test('parseCidr: normalizes host bits to the network address and refuses bad prefixes', () => {
  assert.equal(formatCidr(cidr('10.0.0.5/16')), '10.0.0.0/16');
  assert.equal(formatCidr(cidr('0.0.0.0/0')), '0.0.0.0/0');
  assert.equal(formatCidr(cidr('192.168.1.1/32')), '192.168.1.1/32');
  for (const bad of ['10.0.0.0/33', '10.0.0.0', '10.0.0.0/', '10.0.0.0/x', '10.0.0.0/161']) assert.equal(parseCidr(bad), undefined, bad);
  assert.equal(isNetworkAddress('10.0.0.0/16'), true);
  assert.equal(isNetworkAddress('10.0.1.0/16'), false);
});

test('containment and overlap follow address ranges', () => {
  assert.equal(containsCidr(cidr('10.0.0.0/16'), cidr('10.0.1.0/24')), true);
  assert.equal(containsCidr(cidr('10.0.0.0/16'), cidr('10.1.0.0/24')), false);
  assert.equal(containsCidr(cidr('10.0.0.0/24'), cidr('10.0.0.0/16')), false);
  assert.equal(overlaps(cidr('10.0.0.0/24'), cidr('10.0.0.128/25')), true);
  assert.equal(overlaps(cidr('10.0.0.0/25'), cidr('10.0.0.128/25')), false);
  assert.equal(containsIp(cidr('10.0.0.0/24'), parseIp('10.0.0.255') ?? 0), true);
  assert.equal(containsIp(cidr('10.0.0.0/24'), parseIp('10.0.1.0') ?? 0), false);
});

test('usableAddresses: skips the four first and the last address of a subnet', () => {
  const all = [...usableAddresses(cidr('10.0.0.0/28'))].map(formatIp);
  assert.equal(sizeOf(cidr('10.0.0.0/28')), 16);
  assert.equal(all.length, 11);
  assert.equal(all[0], '10.0.0.4');
  assert.equal(all.at(-1), '10.0.0.14');
});
