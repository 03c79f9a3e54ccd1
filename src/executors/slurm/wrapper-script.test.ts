import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptProblem, shellQuote, wrapperScript } from './wrapper-script.js';

test('shellQuote: quotes single quotes so sh gives the word back unchanged', () => {
  const words = ["it's", '$(echo pwned)', '`id`', 'a\nb', '"; rm -rf /', '\\'];
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${words.map(shellQuote).join(' ')}`]).toString();
  assert.deepEqual(out.split('\0').slice(0, -1), words);
});

test('wrapperScript: runs argv literally with only the job environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bl-wrapper-'));
  try {
    const path = join(dir, 'w.sh');
    writeFileSync(
      path,
      wrapperScript({
        jobId: 'j1',
        attempt: 1,
        command: ['/bin/sh', '-c', 'printf "%s|%s|%s|%s" "$1" "$GREETING" "${SECRET_X-unset}" "$PATH"', 'x', '$(echo pwned)'],
        environment: { GREETING: "hello 'world' $HOME" },
      }),
      { mode: 0o700 },
    );
    const out = execFileSync('/bin/sh', [path], { env: { ...process.env, SECRET_X: 'leak' } }).toString();
    assert.equal(out, "$(echo pwned)|hello 'world' $HOME|unset|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('scriptProblem: refuses empty commands and unusable variable names', () => {
  assert.match(scriptProblem({ command: [], environment: {} }) ?? '', /no command/);
  assert.match(scriptProblem({ command: ['x'], environment: { 'A=B': '1' } }) ?? '', /cannot be passed/);
  assert.equal(scriptProblem({ command: ['x'], environment: { A: '1' } }), undefined);
});
