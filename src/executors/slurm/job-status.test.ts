import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitResultOf, parseSacctCompletion, parseScontrolJob, parseSqueueJson, parseSqueueText, phaseOf } from './job-status.js';

test('parseSqueueJson: reads id, state, raw wait status, host and start time', () => {
  const jobs = parseSqueueJson(
    JSON.stringify({
      jobs: [
        {
          job_id: 12,
          name: 'n',
          job_state: 'FAILED',
          exit_code: 768,
          batch_host: 'node1',
          start_time: 1700000000,
          state_reason: 'NonZeroExitCode',
        },
      ],
    }),
  );
  assert.deepEqual(jobs.get('12'), {
    jobId: '12',
    name: 'n',
    state: 'FAILED',
    waitStatus: 768,
    batchHost: 'node1',
    startTimeMs: 1700000000000,
    reason: 'NonZeroExitCode',
  });
});

test('exitResultOf: wait status 768 is exit code 3; 9 is SIGKILL', () => {
  assert.deepEqual(exitResultOf({ jobId: '1', name: '', state: 'FAILED', waitStatus: 768, batchHost: 'h', reason: 'NonZeroExitCode' }), {
    exitCode: 3,
  });
  assert.deepEqual(exitResultOf({ jobId: '1', name: '', state: 'COMPLETED', waitStatus: 0, batchHost: 'h' }), { exitCode: 0 });
  assert.deepEqual(
    exitResultOf({ jobId: '1', name: '', state: 'FAILED', waitStatus: 9, batchHost: 'h' }, { cause: 'terminated', reason: 'r' }),
    {
      signal: 'SIGKILL',
      cause: 'terminated',
      reason: 'r',
    },
  );
});

test('exitResultOf: Slurm TIMEOUT is cause timeout, NODE_FAIL is lost, a job Slurm refused is launchFailed', () => {
  assert.equal(exitResultOf({ jobId: '1', name: '', state: 'TIMEOUT', waitStatus: 15, batchHost: 'h' }).cause, 'timeout');
  assert.equal(exitResultOf({ jobId: '1', name: '', state: 'NODE_FAIL', batchHost: 'h' }).cause, 'lost');
  assert.equal(exitResultOf({ jobId: '1', name: '', state: 'FAILED', waitStatus: 1, reason: 'BadConstraints' }).cause, 'launchFailed');
  assert.equal(exitResultOf({ jobId: '1', name: '', state: 'CANCELLED', waitStatus: 0, batchHost: 'h' }).cause, 'terminated');
});

test('parseSacctCompletion: splits ExitCode code:signal', () => {
  const jobs = parseSacctCompletion('7|batchlink-a-1|FAILED|3:0|localhost\n8|b|CANCELLED by 0|0:9|localhost\n');
  assert.deepEqual(exitResultOf(jobs.get('7')!), { exitCode: 3 });
  assert.equal(exitResultOf(jobs.get('8')!, { cause: 'terminated', reason: 'x' }).signal, 'SIGKILL');
});

test('phaseOf: pending, running and finished states', () => {
  assert.equal(phaseOf('PENDING'), 'pending');
  assert.equal(phaseOf('COMPLETING'), 'running');
  assert.equal(phaseOf('OUT_OF_MEMORY'), 'finished');
});

test('parseScontrolJob: reads ExitCode code:signal even when other values contain spaces', () => {
  const job = parseScontrolJob(
    'JobId=965 JobName=batchlink-j-1 UserId=root(0) JobState=FAILED Reason=NonZeroExitCode Comment=a b c ExitCode=3:0 StartTime=2026-12-03T13:47:00 BatchHost=localhost NumNodes=1',
  );
  assert.equal(job?.jobId, '965');
  assert.deepEqual(job && exitResultOf(job), { exitCode: 3 });
  assert.equal(
    parseScontrolJob('JobId=9 JobState=CANCELLED Reason=None ExitCode=0:9 BatchHost=localhost') &&
      exitResultOf(parseScontrolJob('JobId=9 JobState=FAILED ExitCode=0:9 BatchHost=h')!, { cause: 'terminated', reason: 'x' }).signal,
    'SIGKILL',
  );
});

test('parseSqueueText: state, host (n/a while pending) and name', () => {
  const jobs = parseSqueueText('33|COMPLETED|localhost|2026-12-03T13:43:56|bench-raw-0\n34|PENDING|n/a|N/A|a|b\n');
  assert.equal(jobs.get('33')?.batchHost, 'localhost');
  assert.equal(jobs.get('34')?.batchHost, undefined);
  assert.equal(jobs.get('34')?.startTimeMs, undefined);
  assert.equal(jobs.get('34')?.name, 'a|b');
});
