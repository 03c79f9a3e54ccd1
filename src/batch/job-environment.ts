/**
 * What a job's process sees: its command with `Ref::name` parameters substituted, and its
 * environment — the job's own variables plus AWS Batch's AWS_BATCH_* variables. Nothing from
 * the server's own environment is passed on.
 */
import type { ComputeEnvironment, JobQueue, JobRecord } from './model.js';

/** Replaces each `Ref::name` whose parameter is defined; unknown references stay literal. */
export function substituteParameters(command: string[], parameters: Record<string, string>): string[] {
  return command.map((arg) =>
    arg.replace(/Ref::([A-Za-z0-9_-]+)/g, (whole, name: string) => (Object.hasOwn(parameters, name) ? (parameters[name] as string) : whole)),
  );
}

export function buildJobEnvironment(record: JobRecord, queue: JobQueue, ce: ComputeEnvironment): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { name, value } of record.detail.container?.environment ?? []) env[name] = value;
  env.AWS_BATCH_JOB_ID = record.detail.jobId;
  env.AWS_BATCH_JQ_NAME = queue.jobQueueName;
  env.AWS_BATCH_CE_NAME = ce.computeEnvironmentName;
  env.AWS_BATCH_JOB_ATTEMPT = String(record.internal.attempt);
  if (record.internal.arrayIndex !== undefined) {
    env.AWS_BATCH_JOB_ARRAY_INDEX = String(record.internal.arrayIndex);
    env.AWS_BATCH_JOB_ARRAY_SIZE = String(record.internal.arraySize ?? 0);
  }
  if (record.internal.nodeIndex !== undefined) {
    env.AWS_BATCH_JOB_NODE_INDEX = String(record.internal.nodeIndex);
    env.AWS_BATCH_JOB_NUM_NODES = String(record.internal.numNodes ?? 1);
    env.AWS_BATCH_JOB_MAIN_NODE_INDEX = String(record.internal.mainNode ?? 0);
    // Set on child nodes only (AWS: "This variable isn't present on the main node"). Every node
    // runs on this host: the main node is reached on the loopback address.
    if (record.internal.nodeIndex !== record.internal.mainNode) env.AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS = '127.0.0.1';
  }
  env.AWS_DEFAULT_REGION = record.internal.region;
  env.AWS_REGION = record.internal.region;
  return env;
}
