import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../core/errors.js';
import { AwsQueryCodec, decodeQueryParams, parseForm } from './aws-query.js';
import type { HttpRequest } from './http.js';

const codec = new AwsQueryCodec({
  version: '2010-05-08',
  namespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
  operations: ['CreateUser', 'ListUsers', 'DeleteUser'],
  integers: ['MaxItems'],
  booleans: ['SetAsDefault'],
});

function form(body: string, contentType = 'application/x-www-form-urlencoded; charset=utf-8'): HttpRequest {
  return { method: 'POST', rawPath: '/', rawQuery: '', query: [], headers: { 'content-type': contentType }, body: Buffer.from(body) };
}

test('parseForm: + is a space and percent escapes decode', () => {
  assert.deepEqual(parseForm('A=a+b&B=%7B%22x%22%3A1%7D&C='), [
    ['A', 'a b'],
    ['B', '{"x":1}'],
    ['C', ''],
  ]);
});

test('decodeQueryParams: member.N lists, nested structures, entry.N maps', () => {
  const input = decodeQueryParams([
    ['Tags.member.2.Key', 'b'],
    ['Tags.member.1.Key', 'a'],
    ['Tags.member.1.Value', '1'],
    ['Tags.member.2.Value', '2'],
    ['TagKeys.member.1', 'k1'],
    ['PolicyArns.member.1.arn', 'arn:x'],
    ['Attributes.entry.1.key', 'color'],
    ['Attributes.entry.1.value', 'red'],
    ['UserName', 'alice'],
  ]);
  assert.deepEqual(input, {
    Tags: [
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: '2' },
    ],
    TagKeys: ['k1'],
    PolicyArns: [{ arn: 'arn:x' }],
    Attributes: { color: 'red' },
    UserName: 'alice',
  });
});

test('decode: Action names the operation, modelled integers and booleans are typed, charset content types work', () => {
  const decoded = codec.decode(form('Action=ListUsers&Version=2010-05-08&MaxItems=5&SetAsDefault=true&PathPrefix=%2Fa%2F'));
  assert.deepEqual(decoded, { operation: 'ListUsers', input: { MaxItems: 5, SetAsDefault: true, PathPrefix: '/a/' } });
});

test('decode: an unknown action or wrong version is InvalidAction; no action is MissingAction', () => {
  assert.throws(
    () => codec.decode(form('Action=Nope&Version=2010-05-08')),
    (e: ApiError) => e.code === 'InvalidAction' && e.message === 'Could not find operation Nope for version 2010-05-08',
  );
  assert.throws(
    () => codec.decode(form('Action=ListUsers&Version=2011-06-15')),
    (e: ApiError) => e.code === 'InvalidAction',
  );
  assert.throws(
    () => codec.decode(form('Version=2010-05-08')),
    (e: ApiError) => e.code === 'MissingAction',
  );
});

test('encodeOutput: <OpResponse><OpResult> with member lists, escaped text and ResponseMetadata', () => {
  const res = codec.encodeOutput('ListUsers', { Users: [{ UserName: 'a<b' }], IsTruncated: false }, 'req-1');
  assert.equal(res.status, 200);
  assert.equal(res.headers['x-amzn-requestid'], 'req-1');
  assert.equal(
    res.body,
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users><member><UserName>a&lt;b</UserName></member></Users><IsTruncated>false</IsTruncated></ListUsersResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></ListUsersResponse>',
  );
  const empty = codec.encodeOutput('DeleteUser', undefined, 'req-2');
  assert.ok(String(empty.body).includes('<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata>'));
});

test('encodeError: ErrorResponse with Type Sender/Receiver, Code, Message, RequestId and the status', () => {
  const res = codec.encodeError(new ApiError('NoSuchEntity', 'The user with name x cannot be found.', 404), 'req-3');
  assert.equal(res.status, 404);
  assert.equal(
    res.body,
    '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name x cannot be found.</Message></Error><RequestId>req-3</RequestId></ErrorResponse>',
  );
  assert.ok(String(codec.encodeError(new ApiError('ServiceFailure', 'x', 500, 'server'), 'r').body).includes('<Type>Receiver</Type>'));
});

test('decodeQueryParams: keys naming __proto__ or constructor are ignored (no prototype pollution)', () => {
  const input = decodeQueryParams([
    ['__proto__.polluted', 'yes'],
    ['Tags.member.1.__proto__.polluted', 'yes'],
    ['constructor.prototype.polluted', 'yes'],
    ['UserName', 'ok'],
  ]);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(input, { UserName: 'ok' });
});
