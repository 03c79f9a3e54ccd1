/**
 * Options of the Slurm executor (what the composition root passes; see docs/executors.md).
 */
import type { Clock } from '../../core/clock.js';
import type { ExecutorEvents } from '../../batch/executor.js';

/** Same shape as the server's Logger; declared here so executors do not import src/server. */
export interface ExecutorLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}

export interface SlurmExecutorOptions {
  /** slurm.conf of the cluster; passed to every Slurm command as SLURM_CONF. */
  slurmConf: string;
  /** Where the state file and per-attempt directories (script, stdout, stderr) live. Must be
   * visible at the same path on the compute nodes (shared filesystem) for multi-node clusters. */
  stateDir: string;
  /** Partition used when the spec's settings name none; default: the cluster's default partition. */
  partition?: string;
  clock?: Clock;
  /** Time between SIGTERM and SIGKILL on terminate/timeout. Default 30 s, as AWS Batch. */
  killGraceMs?: number;
  /** squeue polling period. Default 250 ms. */
  pollIntervalMs?: number;
  /** 'auto' (default): pass --mem only when the cluster treats memory as a consumable resource. */
  memory?: 'auto' | 'request' | 'ignore';
  /** sbatch processes in flight at once. Default 4. */
  maxConcurrentSubmits?: number;
  /** Extra sbatch arguments for every submission (site policy, e.g. --account=x). */
  extraSbatchArgs?: string[];
  /** Directory with the Slurm binaries; default: PATH. */
  binDir?: string;
  /** Multiplies attempt timeouts, like LocalExecutor's (tests shrink AWS's 60 s minimum). */
  timeoutScale?: number;
  /** Keep attempt directories after the attempt ended (debugging). Default false. */
  keepAttemptDirs?: boolean;
  logger?: ExecutorLogger;
  events?: ExecutorEvents;
}
