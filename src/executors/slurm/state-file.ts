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
  startedAtMs?: number;
  startedReported: boolean;
  end?: EndRequest;
  signalSentAtMs?: number;
  killSent?: boolean;
  stdoutOffset: number;
  stderrOffset: number;
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
