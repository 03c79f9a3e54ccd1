/**
 * Runs one workload in a fresh load-generator child process (bench/lib/load-worker.ts under
 * tsx) and returns its report. The orchestrator stays idle while the child drives the load.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadRequest, LoadResult } from './load-types.js';

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

export interface LoadHooks {
  /** Called when the generator starts the measured phase (after signing and warm-up). */
  onMeasureStart?: () => void;
  onMeasureEnd?: () => void;
}

export function runLoad(request: LoadRequest, hooks: LoadHooks = {}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.on('message', (message: { phase?: 'start' | 'end'; result?: LoadResult; error?: string }) => {
      if (message.phase === 'start') return hooks.onMeasureStart?.();
      if (message.phase === 'end') return hooks.onMeasureEnd?.();
      settled = true;
      if (message.result) resolve(message.result);
      else reject(new Error(`load generator failed: ${message.error ?? 'unknown error'}`));
    });
    child.once('exit', (code, signal) => {
      if (!settled) reject(new Error(`load generator exited (${code ?? signal}) without a report`));
    });
    child.send({ request });
  });
}
