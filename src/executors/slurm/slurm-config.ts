/**
 * How a batchlink server learns about a Slurm cluster: `--slurm-conf PATH`, else env
 * BATCHLINK_SLURM_CONF, else the config file's `{"executors":{"slurm":{"slurmConf":"…",
 * "partition":"debug"}}}`. Compute environments opt in with the tag batchlink:executor=slurm
 * (and optionally batchlink:slurm-partition=NAME), which the scheduler turns into spec.settings.
 */
import { existsSync } from 'node:fs';
import { OperatorError } from '../../core/errors.js';

export interface SlurmServerConfig {
  slurmConf: string;
  partition?: string;
  killGraceMs?: number;
  pollIntervalMs?: number;
  memory?: 'auto' | 'request' | 'ignore';
  extraSbatchArgs?: string[];
}

/** Tag keys on a compute environment (the scheduler passes `batchlink:*` tags as settings without the prefix). */
export const EXECUTOR_TAG = 'batchlink:executor';
export const PARTITION_TAG = 'batchlink:slurm-partition';
export const PARTITION_SETTING = 'slurm-partition';

/**
 * The Slurm section of the server configuration, or undefined when Slurm is not configured.
 * `flag` is the --slurm-conf value; `raw` the parsed config file.
 */
export function resolveSlurmConfig(input: {
  flag?: string;
  env?: NodeJS.ProcessEnv;
  raw?: Record<string, unknown>;
  file?: string;
}): SlurmServerConfig | undefined {
  const where = input.file ?? 'the config file';
  const executors = input.raw?.['executors'];
  let section: Record<string, unknown> | undefined;
  if (executors !== undefined) {
    if (!executors || typeof executors !== 'object' || Array.isArray(executors))
      throw new OperatorError('ConfigInvalid', `${where}: "executors" must be an object.`);
    const slurm = (executors as Record<string, unknown>)['slurm'];
    if (slurm !== undefined) {
      if (!slurm || typeof slurm !== 'object' || Array.isArray(slurm))
        throw new OperatorError('ConfigInvalid', `${where}: "executors.slurm" must be an object.`);
      section = slurm as Record<string, unknown>;
    }
  }
  const slurmConf = input.flag ?? input.env?.['BATCHLINK_SLURM_CONF'] ?? section?.['slurmConf'];
  if (slurmConf === undefined || slurmConf === '') return undefined;
  if (typeof slurmConf !== 'string')
    throw new OperatorError('ConfigInvalid', `${where}: "executors.slurm.slurmConf" must be a string (the path of slurm.conf).`);
  if (!existsSync(slurmConf)) {
    throw new OperatorError(
      'SlurmConfMissing',
      `The Slurm executor is configured with ${slurmConf}, which does not exist. Start a cluster (scripts/slurm-cluster.sh start DIR) or fix --slurm-conf / BATCHLINK_SLURM_CONF.`,
    );
  }
  const config: SlurmServerConfig = { slurmConf };
  const str = (key: string): string | undefined => {
    const v = section?.[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '')
      throw new OperatorError('ConfigInvalid', `${where}: "executors.slurm.${key}" must be a non-empty string.`);
    return v;
  };
  const num = (key: string): number | undefined => {
    const v = section?.[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new OperatorError('ConfigInvalid', `${where}: "executors.slurm.${key}" must be a non-negative number.`);
    return v;
  };
  const partition = input.env?.['BATCHLINK_SLURM_PARTITION'] ?? str('partition');
  if (partition) config.partition = partition;
  const grace = num('killGraceMs');
  if (grace !== undefined) config.killGraceMs = grace;
  const poll = num('pollIntervalMs');
  if (poll !== undefined) config.pollIntervalMs = poll;
  const memory = str('memory');
  if (memory !== undefined) {
    if (memory !== 'auto' && memory !== 'request' && memory !== 'ignore')
      throw new OperatorError('ConfigInvalid', `${where}: "executors.slurm.memory" must be "auto", "request" or "ignore".`);
    config.memory = memory;
  }
  const extra = section?.['extraSbatchArgs'];
  if (extra !== undefined) {
    if (!Array.isArray(extra) || extra.some((a) => typeof a !== 'string'))
      throw new OperatorError('ConfigInvalid', `${where}: "executors.slurm.extraSbatchArgs" must be an array of strings.`);
    config.extraSbatchArgs = extra as string[];
  }
  return config;
}
