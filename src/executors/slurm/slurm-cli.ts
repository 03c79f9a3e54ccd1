/**
 * Thin wrappers over the Slurm 22.05 command-line tools (sbatch, squeue, scancel, sinfo, scontrol,
 * sacct -c). Every call runs with an environment holding only PATH and SLURM_CONF, so nothing of
 * the server's own environment (credentials, SBATCH_* options) reaches Slurm or the job.
 */
import { execFile } from 'node:child_process';
import {
  parseSacctCompletion,
  parseScontrolJob,
  parseSqueueJson,
  parseSqueueText,
  SQUEUE_FORMAT,
  type SlurmJobRecord,
} from './job-status.js';

export interface SlurmCliOptions {
  slurmConf: string;
  /** Directory holding the Slurm binaries; default: found on PATH. */
  binDir?: string;
  commandTimeoutMs?: number;
}

export class SlurmCommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${command} failed (exit ${exitCode ?? 'signal'}): ${stderr.trim().split('\n').slice(-2).join(' ') || 'no output'}`);
  }
}

export class SlurmCli {
  private readonly env: NodeJS.ProcessEnv;
  constructor(private readonly options: SlurmCliOptions) {
    this.env = { PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', SLURM_CONF: options.slurmConf };
  }

  run(command: string, args: string[]): Promise<string> {
    const file = this.options.binDir ? `${this.options.binDir}/${command}` : command;
    return new Promise((resolve, reject) => {
      execFile(
        file,
        args,
        { env: this.env, maxBuffer: 256 * 1024 * 1024, timeout: this.options.commandTimeoutMs ?? 30_000 },
        (error, stdout, stderr) => {
          if (error) {
            const code = typeof error.code === 'number' ? error.code : null;
            reject(
              code === null && typeof error.code === 'string'
                ? new SlurmCommandError(command, null, `${error.code}: ${error.message}`)
                : new SlurmCommandError(command, code, stderr),
            );
          } else resolve(stdout);
        },
      );
    });
  }

  /** Submits a batch script; returns the Slurm job id. */
  async sbatch(args: string[], scriptPath: string): Promise<string> {
    const out = await this.run('sbatch', ['--parsable', ...args, scriptPath]);
    const id = out.trim().split(';')[0] ?? '';
    if (!/^\d+$/.test(id)) throw new SlurmCommandError('sbatch', 0, `unexpected output ${JSON.stringify(out)}`);
    return id;
  }

  /** Every job the controller still knows (pending, running, and finished within MinJobAge),
   * full records with the raw wait status. Slurm 22.05 ignores filters with --json and the
   * output is ~4 KB per job, so the poll uses `states()` and asks `job()` for finished ones. */
  async squeue(): Promise<Map<string, SlurmJobRecord>> {
    return parseSqueueJson(await this.run('squeue', ['--json']));
  }

  /** State, batch host, start time and name of every job the controller knows (~25 bytes a job). */
  async states(): Promise<Map<string, SlurmJobRecord>> {
    return parseSqueueText(await this.run('squeue', ['-h', '-t', 'all', '-o', SQUEUE_FORMAT]));
  }

  /** One job with its exit code and signal (`scontrol -o show job`); undefined once purged. */
  async job(jobId: string): Promise<SlurmJobRecord | undefined> {
    try {
      return parseScontrolJob(await this.run('scontrol', ['-o', 'show', 'job', jobId]));
    } catch (error) {
      if (error instanceof SlurmCommandError && /Invalid job id/i.test(error.stderr)) return undefined;
      throw error;
    }
  }

  /** Finished jobs from the job completion log (JobCompType=jobcomp/filetxt), by id. */
  async completed(jobIds: string[]): Promise<Map<string, SlurmJobRecord>> {
    if (jobIds.length === 0) return new Map();
    const out = await this.run('sacct', ['-c', '-n', '-P', '-j', jobIds.join(','), '-o', 'JobID,JobName,State,ExitCode,NodeList']);
    return parseSacctCompletion(out);
  }

  /** With a signal: sends it to the batch step's main process (the attempt's argv, which the
   * wrapper exec'd), like `docker stop` signals PID 1. `--batch` matters for KILL: without it
   * slurmctld turns SIGKILL into a cancel with the TERM + KillWait (30 s) sequence. Without a
   * signal: cancels the job (used for jobs still pending). */
  async scancel(jobId: string, signal?: 'TERM' | 'KILL'): Promise<void> {
    await this.run('scancel', signal ? [`--signal=${signal}`, '--batch', jobId] : [jobId]);
  }

  /** CPUs of the partition's nodes that are idle (allocated, down and drained ones excluded). */
  async freeCpus(partition?: string): Promise<{ idle: number; allocated: number; other: number; total: number }> {
    const out = await this.run('sinfo', ['-h', ...(partition ? ['-p', partition] : []), '-o', '%C']);
    const sum = { allocated: 0, idle: 0, other: 0, total: 0 };
    for (const line of out.split('\n')) {
      const parts = line
        .trim()
        .split('/')
        .map((n) => Number.parseInt(n, 10));
      if (parts.length !== 4 || parts.some((n) => Number.isNaN(n))) continue;
      sum.allocated += parts[0] ?? 0;
      sum.idle += parts[1] ?? 0;
      sum.other += parts[2] ?? 0;
      sum.total += parts[3] ?? 0;
    }
    return sum;
  }

  /** `scontrol show config` as a key → value map. */
  async config(): Promise<Map<string, string>> {
    const out = await this.run('scontrol', ['show', 'config']);
    const map = new Map<string, string>();
    for (const line of out.split('\n')) {
      const m = /^(\S+)\s+=\s?(.*)$/.exec(line);
      if (m?.[1]) map.set(m[1], (m[2] ?? '').trim());
    }
    return map;
  }
}
