/**
 * Compute environments: create, describe, update, delete, with AWS's validation. A new or
 * updated environment is CREATING/UPDATING until the scheduler's next pass settles it VALID
 * (or INVALID with a reason); deletion needs DISABLED and no job queue relationship.
 */
import { buildArn, parseArn } from '../core/arn.js';
import type { Scope } from '../core/context.js';
import type { Input } from '../core/validate.js';
import type { BatchDeps } from './deps.js';
import { QUOTAS } from './deps.js';
import { clientError, pageList, resourceName, v } from './errors.js';
import type { ComputeEnvironment, ComputeResources } from './model.js';

const CE_TYPES = ['MANAGED', 'UNMANAGED'] as const;
const STATES = ['ENABLED', 'DISABLED'] as const;
const RESOURCE_TYPES = ['EC2', 'SPOT', 'FARGATE', 'FARGATE_SPOT'] as const;

export function isFargate(ce: ComputeEnvironment): boolean {
  const type = ce.computeResources?.type;
  return type === 'FARGATE' || type === 'FARGATE_SPOT';
}

export class ComputeEnvironments {
  constructor(private readonly deps: BatchDeps) {}

  /** Finds by name or ARN within the scope. */
  find(scope: Scope, nameOrArn: string): ComputeEnvironment | undefined {
    const name = nameOrArn.startsWith('arn:') ? (parseArn(nameOrArn)?.resource.split('/')[1] ?? '') : nameOrArn;
    const ce = this.deps.computeEnvironments.get(scope, name);
    if (ce && nameOrArn.startsWith('arn:') && ce.computeEnvironmentArn !== nameOrArn) return undefined;
    return ce;
  }

  create(scope: Scope, input: Input): { computeEnvironmentName: string; computeEnvironmentArn: string } {
    const name = resourceName(input, 'computeEnvironmentName');
    const type = v.requireEnum(input, 'type', CE_TYPES);
    const state = v.optionalEnum(input, 'state', STATES) ?? 'ENABLED';
    const unmanagedvCpus = v.optionalInteger(input, 'unmanagedvCpus', { min: 0 });
    const serviceRole = v.optionalString(input, 'serviceRole');
    const tags = v.optionalStringMap(input, 'tags');
    const resourcesInput = v.optionalObject(input, 'computeResources');
    if (type === 'MANAGED' && !resourcesInput) throw clientError('computeResources must be provided for a MANAGED compute environment.');
    if (type === 'UNMANAGED' && resourcesInput) throw clientError('computeResources must not be provided for an UNMANAGED compute environment.');
    if (type === 'MANAGED' && unmanagedvCpus !== undefined) throw clientError('unmanagedvCpus is only valid for UNMANAGED compute environments.');
    const computeResources = resourcesInput ? validateResources(resourcesInput) : undefined;

    const arn = buildArn('batch', scope.region, scope.accountId, `compute-environment/${name}`);
    const uuid = this.deps.ids.uuid();
    const ce: ComputeEnvironment = {
      computeEnvironmentName: name,
      computeEnvironmentArn: arn,
      ecsClusterArn: buildArn('ecs', scope.region, scope.accountId, `cluster/AWSBatch-${name}-${uuid}`),
      type,
      state,
      status: 'CREATING',
      statusReason: 'Creating compute environment',
      ...(computeResources ? { computeResources } : {}),
      ...(unmanagedvCpus !== undefined ? { unmanagedvCpus } : {}),
      serviceRole: serviceRole ?? buildArn('iam', '', scope.accountId, 'role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch'),
      tags: tags ?? {},
      uuid,
      containerOrchestrationType: 'ECS',
      updatePolicy: { terminateJobsOnUpdate: false, jobExecutionTimeoutMinutes: 30 },
      ...(typeof input.context === 'string' ? { context: input.context } : {}),
      ...(input.eksConfiguration ? { eksConfiguration: input.eksConfiguration } : {}),
    };
    this.deps.uow.transaction(() => {
      if (this.deps.computeEnvironments.count(scope) >= QUOTAS.computeEnvironments) {
        throw clientError(`Maximum number of compute environments (${QUOTAS.computeEnvironments}) reached for this account in this Region.`);
      }
      if (!this.deps.computeEnvironments.insert(scope, name, ce)) throw clientError('Object already exists');
    });
    return { computeEnvironmentName: name, computeEnvironmentArn: arn };
  }

  describe(scope: Scope, input: Input): { computeEnvironments: ComputeEnvironment[]; nextToken?: string } {
    const wanted = v.optionalStringList(input, 'computeEnvironments', { max: 100 });
    let all = this.deps.computeEnvironments.list(scope);
    if (wanted && wanted.length > 0) {
      all = all.filter((ce) => wanted.includes(ce.computeEnvironmentName) || wanted.includes(ce.computeEnvironmentArn));
    }
    const { page, nextToken } = pageList(all, input);
    return { computeEnvironments: page, ...(nextToken ? { nextToken } : {}) };
  }

  update(scope: Scope, input: Input): { computeEnvironmentName: string; computeEnvironmentArn: string } {
    const ref = v.requireString(input, 'computeEnvironment');
    const state = v.optionalEnum(input, 'state', STATES);
    const unmanagedvCpus = v.optionalInteger(input, 'unmanagedvCpus', { min: 0 });
    const serviceRole = v.optionalString(input, 'serviceRole');
    const update = v.optionalObject(input, 'computeResources');
    return this.deps.uow.transaction(() => {
      const ce = this.find(scope, ref);
      if (!ce || ce.status === 'DELETING' || ce.status === 'DELETED') throw clientError(`${ref} does not exist`);
      if (state) ce.state = state;
      if (unmanagedvCpus !== undefined) {
        if (ce.type !== 'UNMANAGED') throw clientError('unmanagedvCpus is only valid for UNMANAGED compute environments.');
        ce.unmanagedvCpus = unmanagedvCpus;
      }
      if (serviceRole) ce.serviceRole = serviceRole;
      if (update) {
        if (!ce.computeResources) throw clientError('computeResources cannot be updated for an UNMANAGED compute environment.');
        ce.computeResources = validateResources({ ...ce.computeResources, ...update });
      }
      if (input.updatePolicy && typeof input.updatePolicy === 'object') ce.updatePolicy = { ...ce.updatePolicy, ...(input.updatePolicy as object) };
      ce.status = 'UPDATING';
      ce.statusReason = 'Updating compute environment';
      this.deps.computeEnvironments.put(scope, ce.computeEnvironmentName, ce);
      return { computeEnvironmentName: ce.computeEnvironmentName, computeEnvironmentArn: ce.computeEnvironmentArn };
    });
  }

  delete(scope: Scope, input: Input, queuesUsing: (ceArn: string) => string[]): void {
    const ref = v.requireString(input, 'computeEnvironment');
    this.deps.uow.transaction(() => {
      const ce = this.find(scope, ref);
      if (!ce) throw clientError(`${ref} does not exist`);
      if (ce.status === 'DELETING' || ce.status === 'DELETED') return;
      if (queuesUsing(ce.computeEnvironmentArn).length > 0) throw clientError('Cannot delete, found existing JobQueue relationship');
      if (ce.state !== 'DISABLED') throw clientError('Cannot delete, compute environment must be DISABLED first');
      ce.status = 'DELETING';
      ce.statusReason = 'Deleting compute environment';
      this.deps.computeEnvironments.put(scope, ce.computeEnvironmentName, ce);
    });
  }

  /** Why an environment cannot work: a service role or instance profile that does not exist. */
  private invalidReason(accountId: string, ce: ComputeEnvironment): string | undefined {
    const roles = this.deps.roles;
    if (!roles) return undefined;
    const serviceRole = ce.serviceRole;
    if (serviceRole && !serviceRole.includes('/aws-service-role/') && !roles.roleExists(accountId, serviceRole)) {
      return `CLIENT_ERROR - The service role ${serviceRole} does not exist.`;
    }
    const instanceRole = ce.computeResources?.instanceRole;
    if (instanceRole && !roles.instanceProfileExists(accountId, instanceRole)) {
      return `CLIENT_ERROR - The instance profile ${instanceRole} does not exist.`;
    }
    return undefined;
  }

  /** Scheduler pass: settles CREATING/UPDATING environments and removes deleted ones. */
  settle(): number {
    let changed = 0;
    for (const { scope, id, doc } of this.deps.computeEnvironments.listAll()) {
      if (doc.status === 'CREATING' || doc.status === 'UPDATING') {
        const problem = this.invalidReason(scope.accountId, doc);
        doc.status = problem ? 'INVALID' : 'VALID';
        doc.statusReason = problem ?? 'ComputeEnvironment Healthy';
        this.deps.computeEnvironments.put(scope, id, doc);
        changed++;
      } else if (doc.status === 'DELETING') {
        this.deps.computeEnvironments.delete(scope, id);
        changed++;
      }
    }
    return changed;
  }
}

function validateResources(input: Input): ComputeResources {
  const type = v.requireEnum(input, 'type', RESOURCE_TYPES);
  const maxvCpus = v.requireInteger(input, 'maxvCpus', { min: 0 });
  const minvCpus = v.optionalInteger(input, 'minvCpus', { min: 0 });
  const desiredvCpus = v.optionalInteger(input, 'desiredvCpus', { min: 0 });
  const subnets = v.optionalStringList(input, 'subnets', { max: 16 });
  const securityGroupIds = v.optionalStringList(input, 'securityGroupIds', { max: 5 });
  const instanceTypes = v.optionalStringList(input, 'instanceTypes');
  if (!subnets || subnets.length === 0) throw clientError('computeResources.subnets must contain at least one subnet.');
  const fargate = type === 'FARGATE' || type === 'FARGATE_SPOT';
  if (fargate) {
    for (const field of ['minvCpus', 'desiredvCpus', 'instanceTypes', 'instanceRole', 'imageId', 'ec2KeyPair', 'launchTemplate', 'bidPercentage', 'spotIamFleetRole', 'placementGroup', 'allocationStrategy']) {
      if (input[field] !== undefined) throw clientError(`computeResources.${field} is not applicable to ${type} compute resources.`);
    }
  } else {
    if (minvCpus !== undefined && minvCpus > maxvCpus) throw clientError('computeResources.minvCpus must be less than or equal to maxvCpus.');
    if (desiredvCpus !== undefined && (desiredvCpus > maxvCpus || desiredvCpus < (minvCpus ?? 0))) {
      throw clientError('computeResources.desiredvCpus must be between minvCpus and maxvCpus.');
    }
  }
  return {
    ...input,
    type,
    maxvCpus,
    ...(fargate ? {} : { minvCpus: minvCpus ?? 0, desiredvCpus: desiredvCpus ?? minvCpus ?? 0 }),
    subnets,
    securityGroupIds: securityGroupIds ?? [],
    ...(instanceTypes ? { instanceTypes } : {}),
  };
}
