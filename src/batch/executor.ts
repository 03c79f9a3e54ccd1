/**
 * The Executor port: how a job attempt becomes a running process somewhere (host processes,
 * a Slurm cluster, …). The scheduler starts attempts; the executor reports back through
 * `ExecutorEvents`. Every executor passes the shared contract suite in test/contract/.
 */
export interface ExecutionSpec {
  jobId: string;
  attempt: number; // 1-based
  command: string[]; // argv, already substituted; never passed through a shell
  environment: Record<string, string>;
  image: string;
  vcpus: number;
  memory: number; // MiB
  timeoutSeconds?: number;
  logGroupName: string;
  logStreamName: string;
  /** Free-form executor settings from the compute environment (e.g. Slurm partition). */
  settings?: Record<string, string>;
}

export interface OutputLine {
  timestamp: number;
  message: string;
}

export interface ExitResult {
  exitCode?: number; // absent when the process never ran or died by signal
  signal?: string;
  /** Set when the executor ended the attempt itself (timeout, terminate, launch failure). */
  reason?: string;
  cause?: 'timeout' | 'terminated' | 'launchFailed' | 'lost';
}

export interface ExecutorEvents {
  started(jobId: string, attempt: number, info: { hostId: string; taskId?: string }): void;
  output(jobId: string, attempt: number, lines: OutputLine[]): void;
  exited(jobId: string, attempt: number, result: ExitResult): void;
}

export interface Executor {
  readonly name: string;
  /** Starts one attempt; failures to launch are reported through `exited` with cause launchFailed. */
  start(spec: ExecutionSpec): void;
  /** Asks a running attempt to stop: SIGTERM, then SIGKILL after the grace period. */
  terminate(jobId: string, attempt: number, reason: string): void;
  /** Attempts this executor still runs (after a restart, for reconciliation). */
  running(): Array<{ jobId: string; attempt: number }>;
  /**
   * After a restart, ends what is left of an attempt this executor no longer tracks (e.g. an
   * orphaned host process), identified by the taskId it reported in `started`.
   */
  cleanupLost?(jobId: string, attempt: number, taskId: string): void;
  /** How many more vCPUs this executor can start now (e.g. a cluster's idle CPUs); undefined = no limit known. */
  availableVcpus?(settings?: Record<string, string>): number | undefined;
  close(): Promise<void>;
}

/** Where job output goes: CloudWatch Logs, implemented by the logs domain. */
export interface JobLogSink {
  appendJobOutput(scope: { accountId: string; region: string }, group: string, stream: string, lines: OutputLine[]): void;
}
