/**
 * Wire shapes (batch-2016-08-10) of the Batch resources beside compute environments, queues,
 * definitions and jobs: scheduling policies, consumable resources, service environments,
 * service jobs and quota shares. Fields not sent on the wire live under `internal`.
 */
import type { Tags } from './model.js';

export interface ShareAttributes {
  shareIdentifier: string;
  weightFactor?: number;
}

export interface FairsharePolicy {
  shareDecaySeconds?: number;
  computeReservation?: number;
  shareDistribution?: ShareAttributes[];
}

export interface SchedulingPolicy {
  name: string;
  arn: string;
  fairsharePolicy?: FairsharePolicy;
  quotaSharePolicy?: { idleResourceAssignmentStrategy: 'FIFO' };
  tags: Tags;
}

export type ConsumableResourceType = 'REPLENISHABLE' | 'NON_REPLENISHABLE';

export interface ConsumableResource {
  consumableResourceName: string;
  consumableResourceArn: string;
  totalQuantity: number;
  inUseQuantity: number;
  resourceType: ConsumableResourceType;
  createdAt: number;
  tags: Tags;
  /** UpdateConsumableResource idempotency: clientToken -> request fingerprint and time. */
  clientTokens?: Record<string, { fingerprint: string; at: number }>;
}

export interface ConsumableResourceRequirement {
  consumableResource: string;
  quantity: number;
}

export interface CapacityLimit {
  maxCapacity?: number;
  capacityUnit?: string;
}

export interface ServiceEnvironment {
  serviceEnvironmentName: string;
  serviceEnvironmentArn: string;
  serviceEnvironmentType: 'SAGEMAKER_TRAINING';
  state: 'ENABLED' | 'DISABLED';
  status: 'CREATING' | 'UPDATING' | 'DELETING' | 'DELETED' | 'VALID' | 'INVALID';
  capacityLimits: CapacityLimit[];
  tags: Tags;
}

export interface ServiceEnvironmentOrder {
  order: number;
  serviceEnvironment: string; // ARN
}

export const SERVICE_JOB_STATUSES = ['SUBMITTED', 'PENDING', 'RUNNABLE', 'SCHEDULED', 'STARTING', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export type ServiceJobStatus = (typeof SERVICE_JOB_STATUSES)[number];

export interface ServiceJobAttempt {
  serviceResourceId?: { name: 'TrainingJobArn'; value: string };
  startedAt?: number;
  stoppedAt?: number;
  statusReason?: string;
}

/** DescribeServiceJob's shape. */
export interface ServiceJobDetail {
  jobArn: string;
  jobId: string;
  jobName: string;
  jobQueue: string; // ARN
  serviceJobType: 'SAGEMAKER_TRAINING';
  serviceRequestPayload: string;
  status: ServiceJobStatus;
  statusReason?: string;
  createdAt: number;
  scheduledAt?: number;
  startedAt?: number;
  stoppedAt?: number;
  attempts: ServiceJobAttempt[];
  latestAttempt?: { serviceResourceId?: ServiceJobAttempt['serviceResourceId'] };
  capacityUsage: Array<{ capacityUnit: string; quantity: number }>;
  retryStrategy?: { attempts: number; evaluateOnExit?: Array<{ action?: 'RETRY' | 'EXIT'; onStatusReason?: string }> };
  schedulingPriority?: number;
  shareIdentifier?: string;
  quotaShareName?: string;
  preemptionConfiguration?: { preemptionRetriesBeforeTermination?: number };
  /** Present once the job has been preempted (ServiceJobPreemptionSummary). */
  preemptionSummary?: { preemptedAttemptCount: number; recentPreemptedAttempts: ServiceJobAttempt[] };
  timeoutConfig?: { attemptDurationSeconds?: number };
  isTerminated: boolean;
  tags: Tags;
}

export interface ServiceJob {
  detail: ServiceJobDetail;
  internal: {
    clientToken?: string;
    fingerprint: string;
    terminationRequested?: string;
    /** Set while a preemption stops the job: the statusReason its preempted attempt will carry. */
    preemption?: { attemptReason: string };
  };
}

export interface QuotaShare {
  quotaShareName: string;
  quotaShareArn: string;
  jobQueueArn: string;
  capacityLimits: Array<{ maxCapacity: number; capacityUnit: string }>;
  resourceSharingConfiguration: { strategy: 'RESERVE' | 'LEND' | 'LEND_AND_BORROW'; borrowLimit?: number };
  preemptionConfiguration: { inSharePreemption: 'ENABLED' | 'DISABLED' };
  state: 'ENABLED' | 'DISABLED';
  status: 'CREATING' | 'VALID' | 'INVALID' | 'UPDATING' | 'DELETING';
  tags: Tags;
}
