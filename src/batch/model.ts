/**
 * AWS Batch resource shapes as the wire spells them (batch-2016-08-10). Only the fields
 * batchlink reads are typed; the rest of a user's input is kept and returned as given.
 */
export type Tags = Record<string, string>;

export type CeState = 'ENABLED' | 'DISABLED';
export type CeStatus = 'CREATING' | 'UPDATING' | 'DELETING' | 'DELETED' | 'VALID' | 'INVALID';

export interface ComputeResources {
  type: 'EC2' | 'SPOT' | 'FARGATE' | 'FARGATE_SPOT';
  maxvCpus: number;
  minvCpus?: number;
  desiredvCpus?: number;
  subnets?: string[];
  securityGroupIds?: string[];
  instanceTypes?: string[];
  instanceRole?: string;
  [key: string]: unknown;
}

export interface ComputeEnvironment {
  computeEnvironmentName: string;
  computeEnvironmentArn: string;
  ecsClusterArn: string;
  type: 'MANAGED' | 'UNMANAGED';
  state: CeState;
  status: CeStatus;
  statusReason: string;
  computeResources?: ComputeResources;
  unmanagedvCpus?: number;
  serviceRole?: string;
  tags?: Tags;
  uuid: string;
  containerOrchestrationType: 'ECS' | 'EKS';
  updatePolicy?: Record<string, unknown>;
  context?: string;
  [key: string]: unknown;
}

export interface ComputeEnvironmentOrder {
  order: number;
  computeEnvironment: string; // ARN
}

export interface JobQueue {
  jobQueueName: string;
  jobQueueArn: string;
  state: CeState;
  status: CeStatus;
  statusReason: string;
  priority: number;
  computeEnvironmentOrder: ComputeEnvironmentOrder[];
  schedulingPolicyArn?: string;
  jobStateTimeLimitActions?: Array<{ reason: string; state: 'RUNNABLE'; maxTimeSeconds: number; action: 'CANCEL' }>;
  tags?: Tags;
  jobQueueType?: string;
  [key: string]: unknown;
}

export interface KeyValuePair {
  name: string;
  value: string;
}

export interface ResourceRequirement {
  type: 'GPU' | 'VCPU' | 'MEMORY';
  value: string;
}

export interface ContainerProperties {
  image?: string;
  vcpus?: number;
  memory?: number;
  command?: string[];
  environment?: KeyValuePair[];
  resourceRequirements?: ResourceRequirement[];
  jobRoleArn?: string;
  executionRoleArn?: string;
  [key: string]: unknown;
}

export interface JobDefinition {
  jobDefinitionName: string;
  jobDefinitionArn: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE';
  type: 'container' | 'multinode';
  parameters?: Record<string, string>;
  retryStrategy?: { attempts?: number; evaluateOnExit?: unknown[] };
  containerProperties?: ContainerProperties;
  timeout?: { attemptDurationSeconds?: number };
  tags?: Tags;
  propagateTags?: boolean;
  platformCapabilities?: Array<'EC2' | 'FARGATE'>;
  schedulingPriority?: number;
  containerOrchestrationType: 'ECS' | 'EKS';
  [key: string]: unknown;
}

export const JOB_STATUSES = ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface AttemptDetail {
  container?: { exitCode?: number; reason?: string; logStreamName?: string; taskArn?: string; containerInstanceArn?: string };
  startedAt?: number;
  stoppedAt?: number;
  statusReason?: string;
}

/** JobDetail as DescribeJobs returns it. */
export interface JobDetail {
  jobArn: string;
  jobName: string;
  jobId: string;
  jobQueue: string;
  status: JobStatus;
  attempts: AttemptDetail[];
  statusReason?: string;
  createdAt: number;
  startedAt?: number;
  stoppedAt?: number;
  dependsOn: Array<{ jobId?: string; type?: 'N_TO_N' | 'SEQUENTIAL' }>;
  jobDefinition: string; // ARN
  parameters: Record<string, string>;
  container?: ContainerProperties & { exitCode?: number; reason?: string; logStreamName?: string; taskArn?: string };
  tags?: Tags;
  propagateTags?: boolean;
  platformCapabilities?: Array<'EC2' | 'FARGATE'>;
  retryStrategy?: { attempts?: number; evaluateOnExit?: unknown[] };
  timeout?: { attemptDurationSeconds?: number };
  shareIdentifier?: string;
  schedulingPriority?: number;
  arrayProperties?: { size?: number; index?: number; statusSummary?: Record<string, number> };
  isCancelled?: boolean;
  isTerminated?: boolean;
  [key: string]: unknown;
}

/** What batchlink keeps beside the AWS shape: never sent on the wire. */
export interface JobInternal {
  accountId: string;
  region: string;
  vcpus: number;
  memory: number;
  computeEnvironmentArn?: string;
  attempt: number; // 1-based attempt number of the current or last attempt
  terminationRequested?: string; // reason, when TerminateJob/CancelJob asked a running job to stop
  /**
   * CancelJob's reason for a job that was waiting when cancelled (a PENDING job, an array or
   * multi-node parent): it ends FAILED with it once its dependencies or children have completed.
   */
  cancelRequested?: string;
  jobDefinitionName: string;
  executor?: string;
  runnableSince?: number;
  /** When the scheduler set a blocked-queue statusReason on this RUNNABLE job (capacity.ts). */
  blockedSince?: number;
  attemptStartedAt?: number;
  /** Array and multi-node parents never run themselves: their children do. */
  role?: 'arrayParent' | 'arrayChild' | 'mnpParent' | 'mnpNode';
  parentId?: string;
  nodeIndex?: number;
  numNodes?: number;
  mainNode?: number;
  arrayIndex?: number;
  arraySize?: number;
  /** Array parents: how many children exist so far, and how to make the rest (array-children.ts). */
  childrenCreated?: number;
  arraySpec?: { dependsOn: Array<{ jobId: string; type?: string }>; sequential: boolean };
  /** What the executor calls the running attempt (local: the pid; Slurm: the Slurm job id). */
  taskId?: string;
}

export interface JobRecord {
  detail: JobDetail;
  internal: JobInternal;
}
