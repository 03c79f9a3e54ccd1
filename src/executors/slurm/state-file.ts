/**
 * The Slurm executor's small durable memory: which attempts it submitted (Slurm job id, output
 * offsets, a requested stop), written atomically to `<stateDir>/slurm-attempts.json` so a
 * restarted server can re-attach to them.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EndRequest } from './job-status.js';

export interface PersistedAttempt {
  jobId: string;
  attempt: number;
  /** Absent while sbatch had not answered yet. */
  slurmJobId?: string;
  slurmJobName: string;
  dir: string;
  timeoutSeconds?: number;
  /** CPUs requested and partition ('' = the cluster default), for the capacity hint. */
  cpus?: number;
  partition?: string;
  startedAtMs?: number;
  startedReported: boolean;
  end?: EndRequest;
  signalSentAtMs?: number;
  killSent?: boolean;
  stdoutOffset: number;
  stderrOffset: number;
}

/** The persisted fields of an in-memory attempt record (which carries more). */
export function toPersisted(r: PersistedAttempt): PersistedAttempt {
  return {
    jobId: r.jobId,
    attempt: r.attempt,
    slurmJobId: r.slurmJobId,
    slurmJobName: r.slurmJobName,
    dir: r.dir,
    timeoutSeconds: r.timeoutSeconds,
    cpus: r.cpus,
    partition: r.partition,
    startedAtMs: r.startedAtMs,
    startedReported: r.startedReported,
    end: r.end,
    signalSentAtMs: r.signalSentAtMs,
    killSent: r.killSent,
    stdoutOffset: r.stdoutOffset,
    stderrOffset: r.stderrOffset,
  };
}

interface StateDocument {
  version: 1;
  attempts: PersistedAttempt[];
}

export class StateFile {
  readonly path: string;
  constructor(stateDir: string) {
    mkdirSync(stateDir, { recursive: true });
    this.path = join(stateDir, 'slurm-attempts.json');
  }

  load(): PersistedAttempt[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const doc = JSON.parse(text) as StateDocument;
    if (doc.version !== 1 || !Array.isArray(doc.attempts)) throw new Error(`${this.path}: unknown state file format`);
    return doc.attempts;
  }

  save(attempts: PersistedAttempt[]): void {
    const tmp = `${this.path}.tmp`;
    const doc: StateDocument = { version: 1, attempts };
    writeFileSync(tmp, JSON.stringify(doc), { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}
