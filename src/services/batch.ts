/**
 * The AWS Batch operation table (restJson1), keyed by the exact AWS operation name so the
 * compiler catches a missing one. Each handler is a few lines: validated input -> domain call
 * -> output shape. Scheduling policies, consumable resources, service environments and jobs,
 * quota shares, the bulk job operations and GetJobQueueSnapshot live in batch-extended.ts.
 */
import { buildArn } from '../core/arn.js';
import type { RequestContext } from '../core/context.js';
import { scopeOf } from '../core/context.js';
import type { BatchDomain } from '../batch/batch-domain.js';
import type { JobDefinition } from '../batch/model.js';
import { jsonProtocolErrors } from '../protocol/auth-errors.js';
import { RestJsonCodec } from '../protocol/rest-json.js';
import { RawJson } from '../protocol/raw-json.js';
import { extendedBatchAuthorization, extendedBatchOperations } from './batch-extended.js';
import type { AuthorizationTarget, Handler, Input, ServiceDefinition } from './types.js';

export const BATCH_OPERATIONS = [
  'CancelJob', 'CancelJobs', 'CreateComputeEnvironment', 'CreateConsumableResource', 'CreateJobQueue', 'CreateQuotaShare',
  'CreateSchedulingPolicy', 'CreateServiceEnvironment', 'DeleteComputeEnvironment', 'DeleteConsumableResource', 'DeleteJobQueue',
  'DeleteQuotaShare', 'DeleteSchedulingPolicy', 'DeleteServiceEnvironment', 'DeregisterJobDefinition', 'DescribeComputeEnvironments',
  'DescribeConsumableResource', 'DescribeJobDefinitions', 'DescribeJobQueues', 'DescribeJobs', 'DescribeQuotaShare',
  'DescribeSchedulingPolicies', 'DescribeServiceEnvironments', 'DescribeServiceJob', 'GetJobQueueSnapshot', 'ListConsumableResources',
  'ListJobsByConsumableResource', 'ListJobs', 'ListQuotaShares', 'ListSchedulingPolicies', 'ListServiceJobs', 'ListTagsForResource',
  'RegisterJobDefinition', 'SubmitJob', 'SubmitServiceJob', 'TagResource', 'TerminateJob', 'TerminateJobs', 'TerminateServiceJob',
  'TerminateServiceJobs', 'UntagResource', 'UpdateComputeEnvironment', 'UpdateConsumableResource', 'UpdateJobQueue', 'UpdateQuotaShare',
  'UpdateSchedulingPolicy', 'UpdateServiceEnvironment', 'UpdateServiceJob',
] as const;

export type BatchOperation = (typeof BATCH_OPERATIONS)[number];

/**
 * SubmitJob's job definition, resolved once per request: authorization needs its ARN and the
 * operation needs the definition. Keyed by the request's decoded input object.
 */
type ResolvedDefinitions = WeakMap<Input, JobDefinition>;

export function batchOperations(batch: BatchDomain, resolvedDefinitions: ResolvedDefinitions = new WeakMap()): Record<BatchOperation, Handler> {
  return {
    ...extendedBatchOperations(batch),
    CreateComputeEnvironment: (input, ctx) => resourceChanged(batch, batch.environments.create(scopeOf(ctx), input)),
    DescribeComputeEnvironments: (input, ctx) => batch.environments.describe(scopeOf(ctx), input),
    UpdateComputeEnvironment: (input, ctx) => resourceChanged(batch, batch.environments.update(scopeOf(ctx), input)),
    DeleteComputeEnvironment: (input, ctx) => {
      const scope = scopeOf(ctx);
      batch.environments.delete(scope, input, (arn) => batch.queues.queuesUsing(scope, arn));
      return resourceChanged(batch, {});
    },
    CreateJobQueue: (input, ctx) => resourceChanged(batch, batch.queues.create(scopeOf(ctx), input)),
    DescribeJobQueues: (input, ctx) => batch.queues.describe(scopeOf(ctx), input),
    UpdateJobQueue: (input, ctx) => resourceChanged(batch, batch.queues.update(scopeOf(ctx), input)),
    DeleteJobQueue: (input, ctx) => {
      batch.queues.delete(scopeOf(ctx), input);
      return resourceChanged(batch, {});
    },
    RegisterJobDefinition: (input, ctx) => batch.definitions.register(scopeOf(ctx), input),
    DescribeJobDefinitions: (input, ctx) => batch.definitions.describe(scopeOf(ctx), input),
    DeregisterJobDefinition: (input, ctx) => {
      batch.definitions.deregister(scopeOf(ctx), input);
      return {};
    },
    SubmitJob: (input, ctx) => changed(batch, batch.jobs.submit(scopeOf(ctx), input, resolvedDefinitions.get(input))),
    DescribeJobs: (input, ctx) => RawJson.arrayOf('jobs', batch.jobs.describe(scopeOf(ctx), input)),
    ListJobs: (input, ctx) => batch.jobs.list(scopeOf(ctx), input),
    CancelJob: (input, ctx) => {
      batch.jobs.cancel(scopeOf(ctx), input);
      return changed(batch, {});
    },
    TerminateJob: (input, ctx) => {
      batch.jobs.terminate(scopeOf(ctx), input);
      return changed(batch, {});
    },
    TagResource: (input, ctx) => {
      batch.tags.tag(scopeOf(ctx), input);
      return {};
    },
    UntagResource: (input, ctx) => {
      batch.tags.untag(scopeOf(ctx), input);
      return {};
    },
    ListTagsForResource: (input, ctx) => batch.tags.list(scopeOf(ctx), input),
  };
}

function changed<T>(batch: BatchDomain, output: T): T {
  batch.onChange();
  return output;
}

/** A compute environment or job queue changed: it settles (CREATING -> VALID …) on the next pass. */
function resourceChanged<T>(batch: BatchDomain, output: T): T {
  batch.settleNeeded = true;
  return changed(batch, output);
}

/** IAM actions and resources per the Service Authorization Reference for AWS Batch. */
export function batchAuthorization(batch: BatchDomain, resolvedDefinitions: ResolvedDefinitions = new WeakMap()) {
  return (operation: string, input: Input, ctx: RequestContext): AuthorizationTarget[] => {
    const scope = scopeOf(ctx);
    const arn = (resource: string) => buildArn('batch', ctx.region, ctx.principal.accountId, resource);
    const str = (field: string) => (typeof input[field] === 'string' ? (input[field] as string) : '');
    const named = (kind: string, ref: string) => (ref.startsWith('arn:') ? ref : arn(`${kind}/${ref}`));
    const action = `batch:${operation}`;
    const requestTags = (input.tags && typeof input.tags === 'object' ? input.tags : {}) as Record<string, string>;
    const tagContext = {
      ...Object.fromEntries(Object.entries(requestTags).map(([k, val]) => [`aws:RequestTag/${k}`, val])),
      ...(Object.keys(requestTags).length > 0 ? { 'aws:TagKeys': Object.keys(requestTags) } : {}),
    };
    switch (operation) {
      case 'SubmitJob': {
        const definition = batch.definitions.resolveReadOnly(scope, str('jobDefinition'));
        if (definition) resolvedDefinitions.set(input, definition);
        const context = { ...tagContext, ...(str('shareIdentifier') ? { 'batch:ShareIdentifier': str('shareIdentifier') } : {}) };
        return [
          { action, resource: named('job-queue', str('jobQueue')), context },
          { action, resource: definition?.jobDefinitionArn ?? named('job-definition', str('jobDefinition')), context },
        ];
      }
      case 'CancelJob':
      case 'TerminateJob':
        return [{ action, resource: arn(`job/${str('jobId')}`) }];
      case 'CreateComputeEnvironment':
        return [{ action, resource: arn(`compute-environment/${str('computeEnvironmentName')}`), context: tagContext }];
      case 'UpdateComputeEnvironment':
      case 'DeleteComputeEnvironment':
        return [{ action, resource: named('compute-environment', str('computeEnvironment')) }];
      case 'CreateJobQueue':
        return [{ action, resource: arn(`job-queue/${str('jobQueueName')}`), context: tagContext }];
      case 'UpdateJobQueue':
      case 'DeleteJobQueue':
        return [{ action, resource: named('job-queue', str('jobQueue')) }];
      case 'RegisterJobDefinition':
        return [{ action, resource: arn(`job-definition/${str('jobDefinitionName')}`), context: { ...tagContext, ...jobDefinitionKeys(input) } }];
      case 'DeregisterJobDefinition':
        return [{ action, resource: named('job-definition', str('jobDefinition')) }];
      case 'TagResource':
        return [{ action, resource: str('resourceArn') || '*', context: tagContext }];
      case 'UntagResource': {
        const keys = Array.isArray(input.tagKeys) ? (input.tagKeys as string[]) : [];
        return [{ action, resource: str('resourceArn') || '*', context: keys.length > 0 ? { 'aws:TagKeys': keys } : {} }];
      }
      case 'ListTagsForResource':
        return [{ action, resource: str('resourceArn') || '*' }];
      default:
        return extendedBatchAuthorization(operation, input, ctx, tagContext) ?? [{ action, resource: '*' }];
    }
  };
}

/**
 * RegisterJobDefinition's condition keys (Service Authorization Reference, AWS Batch):
 * batch:Image, batch:Privileged, batch:User, batch:LogDriver and the awslogs options.
 */
function jobDefinitionKeys(input: Input): Record<string, string | boolean> {
  const container = (input.containerProperties && typeof input.containerProperties === 'object' ? input.containerProperties : {}) as Record<string, unknown>;
  const keys: Record<string, string | boolean> = {};
  if (typeof container.image === 'string') keys['batch:Image'] = container.image;
  if (typeof container.privileged === 'boolean') keys['batch:Privileged'] = container.privileged;
  if (typeof container.user === 'string') keys['batch:User'] = container.user;
  const log = (container.logConfiguration ?? {}) as { logDriver?: unknown; options?: Record<string, unknown> };
  if (typeof log.logDriver === 'string') keys['batch:LogDriver'] = log.logDriver;
  const option = (name: string, key: string) => {
    const value = log.options?.[name];
    if (typeof value === 'string') keys[key] = value;
  };
  option('awslogs-group', 'batch:AWSLogsGroup');
  option('awslogs-region', 'batch:AWSLogsRegion');
  option('awslogs-stream-prefix', 'batch:AWSLogsStreamPrefix');
  option('awslogs-create-group', 'batch:AWSLogsCreateGroup');
  return keys;
}

export function createBatchService(batch: BatchDomain): ServiceDefinition {
  const resolvedDefinitions: ResolvedDefinitions = new WeakMap();
  return {
    signingName: 'batch',
    actionPrefix: 'batch',
    codec: new RestJsonCodec(BATCH_OPERATIONS),
    errors: jsonProtocolErrors('ServerException'),
    operations: batchOperations(batch, resolvedDefinitions),
    authorization: batchAuthorization(batch, resolvedDefinitions),
    // SubmitJob checks everything before it writes, and writes one row or one transaction (jobs.ts).
    selfAtomic: new Set(['SubmitJob']),
  };
}
