/**
 * What a compute environment can give a job, as AWS Batch derives it: a managed EC2/SPOT
 * environment launches its allowed instance types up to `maxvCpus`; FARGATE runs Fargate's
 * vCPU/memory combinations up to `maxvCpus`; an UNMANAGED one is this host. Also why a RUNNABLE
 * job can never be placed (AWS's MISCONFIGURATION reasons), and the vCPUs/MiB in use per
 * environment.
 */
import os from 'node:os';
import { isFargate } from './compute-environments.js';
import { isFargateCombination, resolveInstanceTypes, usableMemoryMiB } from './instance-types.js';
import type { ComputeEnvironment, JobRecord } from './model.js';

/** Batch User Guide, "Jobs stuck in RUNNABLE due to misconfiguration": the statusReason while stuck. */
export const COMPUTE_ENVIRONMENT_MAX_RESOURCE = 'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - CE(s) associated with the job queue cannot meet the CPU requirement of the job.';
export const JOB_RESOURCE_REQUIREMENT =
  'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - The job resource requirement (vCPU/memory/GPU) is higher than that can be met by the CE(s) attached to the job queue.';
const BLOCKED_REASONS: ReadonlySet<string> = new Set([COMPUTE_ENVIRONMENT_MAX_RESOURCE, JOB_RESOURCE_REQUIREMENT]);

export function isBlockedReason(statusReason: string | undefined): boolean {
  return statusReason !== undefined && BLOCKED_REASONS.has(statusReason);
}

/** What one job (or one node of a multi-node job) asks for. */
export interface Need {
  vcpus: number;
  memory: number; // MiB
  gpus: number;
}

export function needOf(record: JobRecord): Need {
  const gpu = record.detail.container?.resourceRequirements?.find((r) => r.type === 'GPU')?.value;
  return { vcpus: record.internal.vcpus, memory: record.internal.memory, gpus: gpu === undefined ? 0 : Number(gpu) || 0 };
}

export function total(needs: readonly Need[]): Need {
  return needs.reduce((sum, n) => ({ vcpus: sum.vcpus + n.vcpus, memory: sum.memory + n.memory, gpus: sum.gpus + n.gpus }), { vcpus: 0, memory: 0, gpus: 0 });
}

export interface Capacity {
  /** vCPUs the environment gives out at most (maxvCpus; UNMANAGED: unmanagedvCpus, else the host's cores). */
  vcpus: number;
  /**
   * MiB the environment gives out at most. Managed EC2/SPOT: maxvCpus x the largest usable
   * MiB-per-vCPU among its allowed instance types (the memory of the most memory-rich fleet it
   * could launch within maxvCpus); UNMANAGED: the host's memory; FARGATE: not bounded apart from
   * vCPUs (each job's combination is checked instead).
   */
  memory: number;
  /** Whether one job of this size can be placed on a single instance (or Fargate task, or this host). */
  fitsOne(need: Need): boolean;
  /** Whether multi-node parallel jobs may run here (AWS: managed EC2 only, not Spot, Fargate or UNMANAGED). */
  multiNode: boolean;
}

export function capacityOf(ce: ComputeEnvironment): Capacity {
  const resources = ce.computeResources;
  if (!resources) {
    const hostMemory = Math.floor(os.totalmem() / (1024 * 1024));
    return { vcpus: ce.unmanagedvCpus ?? os.cpus().length, memory: hostMemory, fitsOne: (n) => n.memory <= hostMemory, multiNode: false };
  }
  if (isFargate(ce)) {
    return { vcpus: resources.maxvCpus, memory: Infinity, fitsOne: (n) => n.gpus === 0 && isFargateCombination(n.vcpus, n.memory), multiNode: false };
  }
  const multiNode = resources.type === 'EC2';
  const { types, unknown } = resolveInstanceTypes(resources.instanceTypes ?? ['optimal']);
  // A type batchlink does not know could be any size: the environment is bounded by maxvCpus only.
  if (unknown.length > 0 || types.length === 0) return { vcpus: resources.maxvCpus, memory: Infinity, fitsOne: () => true, multiNode };
  const mibPerVcpu = Math.max(...types.map((t) => usableMemoryMiB(t) / t.vcpus));
  return {
    vcpus: resources.maxvCpus,
    memory: Math.floor(resources.maxvCpus * mibPerVcpu),
    fitsOne: (n) => types.some((t) => t.vcpus >= n.vcpus && usableMemoryMiB(t) >= n.memory && t.gpus >= n.gpus),
    multiNode,
  };
}

/**
 * Why `needs` (one job, or every node of a multi-node job, which must share one environment)
 * can never start on any of these environments, or undefined when one of them could run it
 * once capacity is free. Every environment too small in vCPUs: COMPUTE_ENVIRONMENT_MAX_RESOURCE;
 * otherwise (no allowed instance type is large enough, memory, GPUs, an invalid Fargate
 * combination, a multi-node job on an environment that cannot run one): JOB_RESOURCE_REQUIREMENT.
 */
export function blockedReason(needs: readonly Need[], capacities: readonly Capacity[], multiNode: boolean): string | undefined {
  if (capacities.length === 0) return undefined;
  const sum = total(needs);
  let vcpusOnly = true;
  for (const capacity of capacities) {
    if (multiNode && !capacity.multiNode) {
      vcpusOnly = false;
      continue;
    }
    if (sum.vcpus > capacity.vcpus) continue;
    vcpusOnly = false;
    if (sum.memory <= capacity.memory && needs.every((n) => capacity.fitsOne(n))) return undefined;
  }
  return vcpusOnly ? COMPUTE_ENVIRONMENT_MAX_RESOURCE : JOB_RESOURCE_REQUIREMENT;
}

/** vCPUs and MiB in use (or held for a multi-node job) per compute environment ARN. */
export class CapacityLedger {
  private readonly used = new Map<string, { vcpus: number; memory: number }>();

  of(ceArn: string): { vcpus: number; memory: number } {
    return this.used.get(ceArn) ?? { vcpus: 0, memory: 0 };
  }

  add(ceArn: string, need: { vcpus: number; memory: number }): void {
    const now = this.of(ceArn);
    this.used.set(ceArn, { vcpus: now.vcpus + need.vcpus, memory: now.memory + need.memory });
  }

  remove(ceArn: string, need: { vcpus: number; memory: number }): void {
    this.add(ceArn, { vcpus: -need.vcpus, memory: -need.memory });
  }
}
