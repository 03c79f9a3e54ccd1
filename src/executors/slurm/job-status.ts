/**
 * Slurm job records as batchlink reads them (`squeue --json`, OpenAPI v0.0.38, Slurm 22.05; and
 * `sacct -c`, which reads the jobcomp file once a finished job has left the controller) and how a
 * finished job's state and raw wait status become an ExitResult.
 */
import { constants } from 'node:os';
import type { ExitResult } from '../../batch/executor.js';

export type SlurmPhase = 'pending' | 'running' | 'finished';

export interface SlurmJobRecord {
  jobId: string;
  name: string;
  state: string; // JOB_STATE, e.g. PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT
  /** Raw wait status (768 = exit 3, 9 = killed by SIGKILL); undefined when unknown. */
  waitStatus?: number;
  /** Exit code and signal when the source reports them split (sacct -c: "3:0"). */
  split?: { code: number; signal: number };
  batchHost?: string;
  startTimeMs?: number; // 0/absent while pending
  reason?: string;
}

const PENDING = new Set([
  'PENDING',
  'CONFIGURING',
  'REQUEUED',
  'REQUEUE_FED',
  'REQUEUE_HOLD',
  'RESV_DEL_HOLD',
  'SUSPENDED',
  'STOPPED',
  'RESIZING',
  'SPECIAL_EXIT',
]);
const RUNNING = new Set(['RUNNING', 'COMPLETING', 'SIGNALING', 'STAGE_OUT']);

export function phaseOf(state: string): SlurmPhase {
  const base = state.split(/[ +]/)[0] ?? state;
  if (PENDING.has(base)) return 'pending';
  if (RUNNING.has(base)) return 'running';
  return 'finished';
}

function signalName(signal: number): string {
  for (const [name, value] of Object.entries(constants.signals)) if (value === signal) return name;
  return `SIG${signal}`;
}

/** Parses `squeue --json` output into records keyed by Slurm job id. */
export function parseSqueueJson(text: string): Map<string, SlurmJobRecord> {
  const doc = JSON.parse(text) as { jobs?: Array<Record<string, unknown>> };
  const out = new Map<string, SlurmJobRecord>();
  for (const job of doc.jobs ?? []) {
    const jobId = String(job['job_id']);
    const start = typeof job['start_time'] === 'number' ? job['start_time'] : 0;
    out.set(jobId, {
      jobId,
      name: typeof job['name'] === 'string' ? job['name'] : '',
      state: typeof job['job_state'] === 'string' ? job['job_state'] : 'UNKNOWN',
      waitStatus: typeof job['exit_code'] === 'number' ? job['exit_code'] : undefined,
      batchHost: typeof job['batch_host'] === 'string' && job['batch_host'] ? job['batch_host'] : undefined,
      startTimeMs: start > 0 ? start * 1000 : undefined,
      reason: typeof job['state_reason'] === 'string' ? job['state_reason'] : undefined,
    });
  }
  return out;
}

/** Format of the cheap state poll: `squeue -h -t all -o` this. */
export const SQUEUE_FORMAT = '%i|%T|%B|%S|%j';

/** Parses `squeue -h -t all -o '%i|%T|%B|%S|%j'` (no exit status: see parseScontrolJob). */
export function parseSqueueText(text: string): Map<string, SlurmJobRecord> {
  const out = new Map<string, SlurmJobRecord>();
  for (const line of text.split('\n')) {
    const [jobId, state, host, start, ...name] = line.trim().split('|');
    if (!jobId || !state) continue;
    const startMs = start && /^\d{4}-/.test(start) ? Date.parse(start) : NaN;
    out.set(jobId, {
      jobId,
      name: name.join('|'),
      state,
      batchHost: host && host !== 'n/a' && host !== '(null)' ? host : undefined,
      startTimeMs: Number.isNaN(startMs) ? undefined : startMs,
    });
  }
  return out;
}

/** Parses one line of `scontrol -o show job ID` (ExitCode=code:signal, JobState, Reason, BatchHost). */
export function parseScontrolJob(text: string): SlurmJobRecord | undefined {
  const field = (name: string) => new RegExp(`(?:^| )${name}=(\\S*)`).exec(text)?.[1];
  const jobId = field('JobId');
  const state = field('JobState');
  if (!jobId || !state) return undefined;
  const exit = /(?:^| )ExitCode=(\d+):(\d+)/.exec(text);
  const host = field('BatchHost');
  const start = field('StartTime');
  const startMs = start && /^\d{4}-/.test(start) ? Date.parse(start) : NaN;
  return {
    jobId,
    name: field('JobName') ?? '',
    state,
    ...(exit ? { split: { code: Number(exit[1]), signal: Number(exit[2]) } } : {}),
    batchHost: host && host !== '(null)' ? host : undefined,
    startTimeMs: Number.isNaN(startMs) ? undefined : startMs,
    reason: field('Reason'),
  };
}

/** Parses `sacct -c -n -P -o JobID,JobName,State,ExitCode,NodeList` lines. */
export function parseSacctCompletion(text: string): Map<string, SlurmJobRecord> {
  const out = new Map<string, SlurmJobRecord>();
  for (const line of text.split('\n')) {
    const [jobId, name, state, exit, node] = line.trim().split('|');
    if (!jobId || !state) continue;
    const [code, signal] = (exit ?? '0:0').split(':').map((n) => Number.parseInt(n, 10));
    out.set(jobId, {
      jobId,
      name: name ?? '',
      state: state.split(' ')[0] ?? state,
      split: { code: code ?? 0, signal: signal ?? 0 },
      batchHost: node && node !== 'None assigned' ? node : undefined,
    });
  }
  return out;
}

/** What the attempt's ending was, from the executor's side, when it asked for one. */
export interface EndRequest {
  cause: 'timeout' | 'terminated';
  reason: string;
}

/** Turns a finished job into the ExitResult the executor reports. */
export function exitResultOf(job: SlurmJobRecord, requested?: EndRequest): ExitResult {
  let code: number | undefined;
  let signal: number | undefined;
  if (job.split) {
    if (job.split.signal) signal = job.split.signal;
    else code = job.split.code;
  } else if (job.waitStatus !== undefined) {
    const termsig = job.waitStatus & 0x7f;
    if (termsig) signal = termsig;
    else code = (job.waitStatus >> 8) & 0xff;
  }
  const result: ExitResult = {};
  if (signal !== undefined) result.signal = signalName(signal);
  const state = job.state.split(' ')[0] ?? job.state;
  switch (state) {
    case 'TIMEOUT':
      return {
        ...result,
        cause: 'timeout',
        reason: requested?.cause === 'timeout' ? requested.reason : `Slurm job ${job.jobId} reached its time limit`,
      };
    case 'NODE_FAIL':
    case 'PREEMPTED':
    case 'DEADLINE':
      return { ...result, cause: 'lost', reason: `Slurm job ${job.jobId} ended ${state} on ${job.batchHost ?? 'its node'}` };
    case 'BOOT_FAIL':
      return { cause: 'launchFailed', reason: `Slurm job ${job.jobId} failed to start (BOOT_FAIL)` };
    case 'CANCELLED':
      if (!requested) return { ...result, cause: 'terminated', reason: `Slurm job ${job.jobId} was cancelled outside batchlink` };
      return {
        ...result,
        ...(code !== undefined && code !== 0 ? { exitCode: code } : {}),
        cause: requested.cause,
        reason: requested.reason,
      };
    case 'OUT_OF_MEMORY':
      return {
        ...result,
        ...(code !== undefined ? { exitCode: code } : {}),
        reason: `OutOfMemoryError: Slurm job ${job.jobId} exceeded its memory`,
      };
    default:
      if (state === 'FAILED' && job.reason && job.reason !== 'NonZeroExitCode' && job.reason !== 'None' && !job.batchHost) {
        return { cause: 'launchFailed', reason: `Slurm refused to run job ${job.jobId}: ${job.reason}` };
      }
      if (code !== undefined) result.exitCode = code;
      if (requested) return { ...result, cause: requested.cause, reason: requested.reason };
      return result;
  }
}
