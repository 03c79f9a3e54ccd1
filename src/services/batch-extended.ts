/**
 * AWS Batch handlers and authorization targets for scheduling policies, consumable resources,
 * service environments, service jobs, quota shares, the bulk CancelJobs/TerminateJobs and
 * GetJobQueueSnapshot. Resources per the Service Authorization Reference for AWS Batch.
 */
import { buildArn } from '../core/arn.js';
import type { RequestContext } from '../core/context.js';
import { scopeOf } from '../core/context.js';
import type { BatchDomain } from '../batch/batch-domain.js';
import { clientError, v } from '../batch/errors.js';
import { eachJob } from '../batch/service-jobs.js';
import type { AuthorizationTarget, Handler, Input } from './types.js';

const BULK_MAX = 50;

export type ExtendedOperation =
  | 'CreateSchedulingPolicy' | 'DescribeSchedulingPolicies' | 'ListSchedulingPolicies' | 'UpdateSchedulingPolicy' | 'DeleteSchedulingPolicy'
  | 'CreateConsumableResource' | 'DescribeConsumableResource' | 'ListConsumableResources' | 'UpdateConsumableResource'
  | 'DeleteConsumableResource' | 'ListJobsByConsumableResource'
  | 'CreateServiceEnvironment' | 'DescribeServiceEnvironments' | 'UpdateServiceEnvironment' | 'DeleteServiceEnvironment'
  | 'SubmitServiceJob' | 'DescribeServiceJob' | 'ListServiceJobs' | 'TerminateServiceJob' | 'TerminateServiceJobs' | 'UpdateServiceJob'
  | 'CreateQuotaShare' | 'DescribeQuotaShare' | 'ListQuotaShares' | 'UpdateQuotaShare' | 'DeleteQuotaShare'
  | 'CancelJobs' | 'TerminateJobs' | 'GetJobQueueSnapshot';

export function extendedBatchOperations(batch: BatchDomain): Record<ExtendedOperation, Handler> {
  const changed = <T>(output: T): T => {
    batch.settleNeeded = true; // service environments and shares settle with queues
    batch.onChange();
    return output;
  };
  const done = (act: () => void) => {
    act();
    return changed({});
  };
  return {
    CreateSchedulingPolicy: (input, ctx) => batch.policies.create(scopeOf(ctx), input),
    DescribeSchedulingPolicies: (input, ctx) => batch.policies.describe(scopeOf(ctx), input),
    ListSchedulingPolicies: (input, ctx) => batch.policies.list(scopeOf(ctx), input),
    UpdateSchedulingPolicy: (input, ctx) => changed(batch.policies.update(scopeOf(ctx), input)),
    DeleteSchedulingPolicy: (input, ctx) => done(() => batch.policies.delete(scopeOf(ctx), input)),

    CreateConsumableResource: (input, ctx) => batch.consumables.create(scopeOf(ctx), input),
    DescribeConsumableResource: (input, ctx) => batch.consumables.describe(scopeOf(ctx), input),
    ListConsumableResources: (input, ctx) => batch.consumables.list(scopeOf(ctx), input),
    UpdateConsumableResource: (input, ctx) => changed(batch.consumables.update(scopeOf(ctx), input)),
    DeleteConsumableResource: (input, ctx) => done(() => batch.consumables.delete(scopeOf(ctx), input)),
    ListJobsByConsumableResource: (input, ctx) => batch.consumables.listJobs(scopeOf(ctx), input),

    CreateServiceEnvironment: (input, ctx) => changed(batch.serviceEnvironments.create(scopeOf(ctx), input)),
    DescribeServiceEnvironments: (input, ctx) => batch.serviceEnvironments.describe(scopeOf(ctx), input),
    UpdateServiceEnvironment: (input, ctx) => changed(batch.serviceEnvironments.update(scopeOf(ctx), input)),
    DeleteServiceEnvironment: (input, ctx) => done(() => batch.serviceEnvironments.delete(scopeOf(ctx), input)),

    SubmitServiceJob: (input, ctx) => changed(batch.serviceJobs.submit(scopeOf(ctx), input)),
    DescribeServiceJob: (input, ctx) => batch.serviceJobs.describe(scopeOf(ctx), input),
    ListServiceJobs: (input, ctx) => batch.serviceJobs.list(scopeOf(ctx), input),
    TerminateServiceJob: (input, ctx) => done(() => batch.serviceJobs.terminate(scopeOf(ctx), input)),
    TerminateServiceJobs: (input, ctx) => changed(batch.serviceJobs.terminateMany(scopeOf(ctx), input)),
    UpdateServiceJob: (input, ctx) => changed(batch.serviceJobs.update(scopeOf(ctx), input)),

    CreateQuotaShare: (input, ctx) => batch.quotaShares.create(scopeOf(ctx), input),
    DescribeQuotaShare: (input, ctx) => batch.quotaShares.describe(scopeOf(ctx), input),
    ListQuotaShares: (input, ctx) => batch.quotaShares.list(scopeOf(ctx), input),
    UpdateQuotaShare: (input, ctx) => changed(batch.quotaShares.update(scopeOf(ctx), input)),
    DeleteQuotaShare: (input, ctx) => done(() => batch.quotaShares.delete(scopeOf(ctx), input)),

    CancelJobs: (input, ctx) => {
      const { jobs, reason } = bulkInput(input);
      return changed(eachJob(jobs, (jobId) => batch.jobs.cancel(scopeOf(ctx), { jobId, reason })));
    },
    TerminateJobs: (input, ctx) => {
      const { jobs, reason } = bulkInput(input);
      return changed(eachJob(jobs, (jobId) => batch.jobs.terminate(scopeOf(ctx), { jobId, reason })));
    },
    GetJobQueueSnapshot: (input, ctx) => batch.snapshots.snapshot(scopeOf(ctx), input),
  };
}

/** CancelJobs/TerminateJobs: 1..50 job IDs and a reason of at most 1,024 characters. */
function bulkInput(input: Input): { jobs: string[]; reason: string } {
  const jobs = v.optionalStringList(input, 'jobs', { max: BULK_MAX });
  if (!jobs || jobs.length === 0) throw clientError('jobs must contain at least one job ID.');
  const reason = v.requireString(input, 'reason', { max: 1024 });
  return { jobs, reason };
}

/** Authorization targets for the operations above; undefined for any other operation. */
export function extendedBatchAuthorization(operation: string, input: Input, ctx: RequestContext, tagContext: Record<string, string | string[]>): AuthorizationTarget[] | undefined {
  const arn = (resource: string) => buildArn('batch', ctx.region, ctx.principal.accountId, resource);
  const str = (field: string) => (typeof input[field] === 'string' ? (input[field] as string) : '');
  const named = (kind: string, ref: string) => (ref.startsWith('arn:') ? ref : arn(`${kind}/${ref}`));
  const action = `batch:${operation}`;
  const one = (resource: string, context: AuthorizationTarget['context'] = {}) => [{ action, resource, context }];
  switch (operation) {
    case 'CreateSchedulingPolicy':
      return one(arn(`scheduling-policy/${str('name')}`), tagContext);
    case 'UpdateSchedulingPolicy':
    case 'DeleteSchedulingPolicy':
      return one(str('arn') || '*');
    case 'CreateConsumableResource':
      return one(arn(`consumable-resource/${str('consumableResourceName')}`), tagContext);
    case 'DescribeConsumableResource':
    case 'UpdateConsumableResource':
    case 'DeleteConsumableResource':
    case 'ListJobsByConsumableResource':
      return one(named('consumable-resource', str('consumableResource')));
    case 'CreateServiceEnvironment':
      return one(arn(`service-environment/${str('serviceEnvironmentName')}`), tagContext);
    case 'UpdateServiceEnvironment':
    case 'DeleteServiceEnvironment':
      return one(named('service-environment', str('serviceEnvironment')));
    case 'SubmitServiceJob': {
      const context: Record<string, string | string[] | number> = { ...tagContext };
      if (typeof input.schedulingPriority === 'number') context['batch:SchedulingPriority'] = input.schedulingPriority;
      if (str('shareIdentifier')) context['batch:ShareIdentifier'] = str('shareIdentifier');
      return one(named('job-queue', str('jobQueue')), context);
    }
    case 'TerminateServiceJob':
    case 'UpdateServiceJob':
      return one(arn(`service-job/${str('jobId')}`));
    case 'TerminateServiceJobs':
      return perJob(input, 'batch:TerminateServiceJob', (id) => arn(`service-job/${id}`));
    case 'CreateQuotaShare': {
      const queue = named('job-queue', str('jobQueue'));
      return [
        { action, resource: queue, context: tagContext },
        { action, resource: `${queue}/quota-share/${str('quotaShareName')}`, context: tagContext },
      ];
    }
    case 'DescribeQuotaShare':
    case 'UpdateQuotaShare':
    case 'DeleteQuotaShare':
      return one(str('quotaShareArn') || '*');
    case 'ListQuotaShares':
    case 'GetJobQueueSnapshot':
      return one(named('job-queue', str('jobQueue')));
    // The bulk operations are authorized as CancelJob/TerminateJob on every job they name.
    case 'CancelJobs':
      return perJob(input, 'batch:CancelJob', (id) => arn(`job/${id}`));
    case 'TerminateJobs':
      return perJob(input, 'batch:TerminateJob', (id) => arn(`job/${id}`));
    case 'DescribeSchedulingPolicies':
    case 'ListSchedulingPolicies':
    case 'ListConsumableResources':
    case 'DescribeServiceEnvironments':
    case 'DescribeServiceJob':
    case 'ListServiceJobs':
      return one('*');
    default:
      return undefined;
  }
}

/** One target per named job (at most 50; validation refuses more). */
function perJob(input: Input, action: string, resourceOf: (id: string) => string): AuthorizationTarget[] {
  const ids = Array.isArray(input.jobs) ? input.jobs.filter((j): j is string => typeof j === 'string').slice(0, BULK_MAX) : [];
  return ids.length > 0 ? ids.map((id) => ({ action, resource: resourceOf(id) })) : [{ action, resource: '*' }];
}
