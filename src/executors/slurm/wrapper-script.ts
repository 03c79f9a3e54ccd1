/**
 * The per-attempt batch script the Slurm executor submits. It runs the attempt's argv exactly
 * (every word single-quoted, started through `exec "$@"`, so nothing is expanded by a shell) in an
 * environment made only of the job's variables plus a few SLURM_* facts about the allocation.
 */
import type { ExecutionSpec } from '../../batch/executor.js';

/** PATH the process gets when the job's environment does not set one. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Allocation facts forwarded from slurmstepd's environment (the job's own values win). */
const FORWARDED = [
  'SLURM_JOB_ID',
  'SLURM_JOB_NAME',
  'SLURM_JOB_PARTITION',
  'SLURM_JOB_NODELIST',
  'SLURM_CPUS_ON_NODE',
  'SLURM_CLUSTER_NAME',
  'SLURMD_NODENAME',
];

/** Written in the working directory when the program cannot be found, so the executor reports
 * launchFailed (as the local executor does for ENOENT) instead of a plain exit 127. */
export const LAUNCH_FAILED_MARKER = '.batchlink-launch-failed';

/** POSIX shell single-quoting: the word comes out byte for byte. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Why this spec cannot be written as a script, or undefined when it can. */
export function scriptProblem(spec: Pick<ExecutionSpec, 'command' | 'environment'>): string | undefined {
  if (spec.command.length === 0 || spec.command[0] === '') return 'The job has no command to run.';
  if (spec.command.some((word) => word.includes('\0'))) return 'A command argument contains a NUL character.';
  for (const [name, value] of Object.entries(spec.environment)) {
    if (name === '' || name.includes('=') || name.includes('\0') || name.startsWith('-')) {
      return `Environment variable name ${JSON.stringify(name)} cannot be passed to a process.`;
    }
    if (value.includes('\0')) return `Environment variable ${name} contains a NUL character.`;
  }
  return undefined;
}

/** The script text. Call scriptProblem first. */
export function wrapperScript(spec: Pick<ExecutionSpec, 'jobId' | 'attempt' | 'command' | 'environment'>, home?: string): string {
  const assignments: string[] = FORWARDED.map((name) => `"${name}=$${name}"`);
  assignments.push(shellQuote(`PATH=${DEFAULT_PATH}`));
  if (home !== undefined) assignments.push(shellQuote(`HOME=${home}`));
  for (const [name, value] of Object.entries(spec.environment)) assignments.push(shellQuote(`${name}=${value}`));
  const argv = spec.command.map(shellQuote);
  return [
    '#!/bin/sh',
    `# batchlink job ${spec.jobId.replace(/[^\w.-]/g, '_')} attempt ${spec.attempt}: generated, do not edit.`,
    '# env -i drops the login environment Slurm loads (later assignments win); exec "$@" runs the',
    '# argv without interpreting it.',
    'exec /usr/bin/env -i -- \\',
    ...assignments.map((a) => `  ${a} \\`),
    `  /bin/sh -c 'command -v "$1" >/dev/null 2>&1 || { printf %s "$1" >${LAUNCH_FAILED_MARKER}; exit 127; }; exec "$@"' batchlink \\`,
    `  ${argv.join(' ')}`,
    '',
  ].join('\n');
}
