import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSlurmConfig } from './slurm-config.js';

test('resolveSlurmConfig: --slurm-conf wins over BATCHLINK_SLURM_CONF and the config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bl-slurm-config-'));
  try {
    const a = join(dir, 'a.conf');
    const b = join(dir, 'b.conf');
    writeFileSync(a, '');
    writeFileSync(b, '');
    const raw = { executors: { slurm: { slurmConf: b, partition: 'debug', killGraceMs: 2000 } } };
    assert.deepEqual(resolveSlurmConfig({ flag: a, env: { BATCHLINK_SLURM_CONF: b }, raw }), {
      slurmConf: a,
      partition: 'debug',
      killGraceMs: 2000,
    });
    assert.equal(resolveSlurmConfig({ env: { BATCHLINK_SLURM_CONF: a }, raw })?.slurmConf, a);
    assert.equal(resolveSlurmConfig({ env: {}, raw })?.slurmConf, b);
    assert.equal(resolveSlurmConfig({ env: {} }), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resolveSlurmConfig: a missing slurm.conf or a bad field is an operator error naming it', () => {
  assert.throws(() => resolveSlurmConfig({ flag: '/nonexistent/slurm.conf' }), /\/nonexistent\/slurm.conf, which does not exist/);
  assert.throws(
    () => resolveSlurmConfig({ raw: { executors: { slurm: { slurmConf: 5 } } }, file: 'c.json' }),
    /c.json: "executors.slurm.slurmConf" must be a string/,
  );
});
