/**
 * The executor contract for the local executor (host processes, children of the server).
 */
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.js';
import { LocalExecutor } from '../../src/executors/local/local-executor.js';
import { runExecutorContract } from './executor-contract.js';

runExecutorContract(
  'local',
  ({ dir, killGraceMs }) => new LocalExecutor({ workRoot: join(dir, 'work'), clock: systemClock, killGraceMs, logger: { warn() {} } }),
  { restart: 'forgets', eventDeadlineMs: 10_000 },
);
