import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../core/errors.js';
import { compileFilterPattern } from './filter-pattern.js';

const matches = (pattern: string | undefined, message: string) => compileFilterPattern(pattern)(message);

test('an empty or blank pattern matches every event', () => {
  assert.equal(matches(undefined, 'anything'), true);
  assert.equal(matches('   ', 'anything'), true);
});

test('plain terms must all occur, case-sensitively', () => {
  assert.equal(matches('ERROR timeout', '[ERROR] request timeout'), true);
  assert.equal(matches('ERROR timeout', '[ERROR] request failed'), false);
  assert.equal(matches('ERROR', 'error: lower case'), false);
});

test('?terms match when any of them occurs', () => {
  assert.equal(matches('?ERROR ?WARN', 'WARN disk almost full'), true);
  assert.equal(matches('?ERROR ?WARN', 'INFO all good'), false);
});

test('-terms exclude events that contain them', () => {
  assert.equal(matches('ERROR -Exiting', 'ERROR retrying'), true);
  assert.equal(matches('ERROR -Exiting', 'ERROR Exiting now'), false);
  assert.equal(matches('-DEBUG', 'INFO started'), true);
});

test('a quoted phrase is one term and may hold spaces and escaped quotes', () => {
  assert.equal(matches('"ERROR 401"', '[ERROR 401] UNAUTHORIZED'), true);
  assert.equal(matches('"ERROR 401"', '[ERROR 400] 401 later'), false);
  assert.equal(matches('"say \\"hi\\""', 'they say "hi" twice'), true);
});

test('%regex% matches with a regular expression', () => {
  assert.equal(matches('%AUTHORIZED%', '[ERROR 401] UNAUTHORIZED REQUEST'), true);
  assert.equal(matches('%^[hc]at%', 'hat trick'), true);
  assert.equal(matches('%^[hc]at%', 'that'), false);
});

test('regexes with characters AWS does not allow are refused', () => {
  assert.throws(
    () => compileFilterPattern('%(a|b)%'),
    (e: unknown) => e instanceof ApiError && e.code === 'InvalidParameterException',
  );
  assert.throws(() => compileFilterPattern('%something!%'), ApiError);
});

test('JSON and space-delimited patterns are refused rather than guessed', () => {
  assert.throws(() => compileFilterPattern('{ $.level = "ERROR" }'), /JSON filter patterns/);
  assert.throws(() => compileFilterPattern('[ip, user, status=404]'), /space-delimited/);
});

test('an unterminated quote is refused', () => {
  assert.throws(() => compileFilterPattern('"ERROR'), /unterminated/);
});
