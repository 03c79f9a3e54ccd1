/**
 * The sbatch command line for one attempt. Resources: --cpus-per-task is vcpus rounded up;
 * --mem only when the cluster treats memory as consumable; --time is a backstop only (whole
 * minutes), as batchlink enforces attempt timeouts itself to the second.
 */
export interface SbatchRequest {
  jobName: string;
  dir: string;
  cpus: number;
  partition?: string;
  memoryMiB?: number;
  timeoutSeconds?: number;
  killGraceMs: number;
  comment: string;
  extra?: string[];
}

export function sbatchArgs(r: SbatchRequest): string[] {
  const args = [
    `--job-name=${r.jobName}`,
    `--chdir=${r.dir}`,
    `--output=${r.dir}/stdout.log`,
    `--error=${r.dir}/stderr.log`,
    // sbatch runs with only PATH and SLURM_CONF (SlurmCli), so ALL exports nothing of the
    // server's, and the wrapper's `env -i` rebuilds the job's environment from scratch anyway.
    // NONE/NIL isolate no better but make slurmd load a login environment per job
    // (`su - user`): measured 6x slower job starts.
    '--export=ALL',
    '--nodes=1',
    '--ntasks=1',
    `--cpus-per-task=${r.cpus}`,
    '--no-requeue',
    `--comment=${r.comment}`,
  ];
  if (r.partition) args.push(`--partition=${r.partition}`);
  if (r.memoryMiB && r.memoryMiB > 0) args.push(`--mem=${Math.ceil(r.memoryMiB)}M`);
  if (r.timeoutSeconds && r.timeoutSeconds > 0) args.push(`--time=${Math.ceil((r.timeoutSeconds * 1000 + r.killGraceMs) / 60_000) + 1}`);
  args.push(...(r.extra ?? []));
  return args;
}
