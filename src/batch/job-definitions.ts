/**
 * Job definitions: register (a new revision each time, revisions never reused), describe,
 * deregister (INACTIVE). References resolve as AWS resolves them: `name` (latest ACTIVE
 * revision), `name:revision`, or the full ARN.
 */
import { buildArn, parseArn } from '../core/arn.js';
import type { Scope } from '../core/context.js';
import { FrozenReads } from '../core/frozen-reads.js';
import type { Input } from '../core/validate.js';
import type { BatchDeps } from './deps.js';
import { QUOTAS } from './deps.js';
import { clientError, decodeToken, encodeToken, resourceName, v } from './errors.js';
import type { ContainerProperties, JobDefinition } from './model.js';
import { validateRetryStrategy } from './retry-strategy.js';
import { validateNodeProperties } from './multi-node.js';
import { FARGATE_VCPU_VALUES, fargateMemoryValues, isFargateCombination } from './instance-types.js';

const TYPES = ['container', 'multinode'] as const;
const PLATFORMS = ['EC2', 'FARGATE'] as const;

export class JobDefinitions {
  private readonly frozen: FrozenReads<JobDefinition>;

  constructor(private readonly deps: BatchDeps) {
    this.frozen = new FrozenReads(() => `${deps.jobDefinitions.revision()}:${deps.revisions.revision()}:${deps.uow.rollbacks?.() ?? 0}`);
  }

  /** `resolve` for readers that do not change the definition (SubmitJob): a frozen copy, parsed once per write. */
  resolveReadOnly(scope: Scope, ref: string): Readonly<JobDefinition> | undefined {
    return this.frozen.get(`${scope.accountId}\0${scope.region}\0${ref}`, () => this.resolve(scope, ref));
  }

  /** Hook (consumable-resources.ts, set by BatchDomain): validates consumableResourceProperties. */
  checkConsumables: (scope: Scope, raw: Input | undefined) => unknown = (_scope, raw) => raw;

  /** Resolves `name`, `name:revision` or an ARN; `name` alone means the latest ACTIVE revision. */
  resolve(scope: Scope, ref: string): JobDefinition | undefined {
    let nameRev = ref;
    if (ref.startsWith('arn:')) {
      const arn = parseArn(ref);
      if (!arn || arn.account !== scope.accountId || arn.region !== scope.region) return undefined;
      nameRev = arn.resource.replace(/^job-definition\//, '');
    }
    const [name = '', revision] = nameRev.split(':');
    if (revision !== undefined) return this.deps.jobDefinitions.get(scope, `${name}:${revision}`);
    const latest = this.deps.revisions.get(scope, name)?.latest ?? 0;
    for (let r = latest; r >= 1; r--) {
      const def = this.deps.jobDefinitions.get(scope, `${name}:${r}`);
      if (def?.status === 'ACTIVE') return def;
    }
    return undefined;
  }

  register(scope: Scope, input: Input): { jobDefinitionName: string; jobDefinitionArn: string; revision: number } {
    if (Buffer.byteLength(JSON.stringify(input)) > QUOTAS.jobDefinitionBytes) {
      throw clientError('The job definition exceeds the maximum size of 24 KiB.');
    }
    const name = resourceName(input, 'jobDefinitionName');
    const type = v.requireEnum(input, 'type', TYPES);
    const parameters = v.optionalStringMap(input, 'parameters');
    const platformCapabilities = (v.optionalStringList(input, 'platformCapabilities') ?? ['EC2']) as Array<'EC2' | 'FARGATE'>;
    for (const p of platformCapabilities) if (!(PLATFORMS as readonly string[]).includes(p)) throw clientError(`platformCapabilities must be EC2 or FARGATE, not ${p}.`);
    const schedulingPriority = v.optionalInteger(input, 'schedulingPriority', { min: 0, max: 9999 });
    const propagateTags = v.optionalBoolean(input, 'propagateTags');
    const tags = v.optionalStringMap(input, 'tags');
    const timeout = validateTimeout(v.optionalObject(input, 'timeout'));
    const retryStrategy = validateRetryStrategy(v.optionalObject(input, 'retryStrategy'));
    const containerInput = v.optionalObject(input, 'containerProperties');
    if (type === 'container' && !containerInput && !input.ecsProperties && !input.eksProperties) {
      throw clientError('containerProperties must be specified for a job definition of type container.');
    }
    const nodeInput = v.optionalObject(input, 'nodeProperties');
    if (type === 'multinode' && !nodeInput) throw clientError('nodeProperties must be specified for a job definition of type multinode.');
    if (type === 'multinode' && platformCapabilities.includes('FARGATE')) throw clientError('Multi-node parallel jobs are not supported on Fargate.');
    const nodeProperties = type === 'multinode' && nodeInput ? validateNodeProperties(nodeInput) : undefined;
    const containerProperties = containerInput
      ? validateContainer(containerInput, platformCapabilities.includes('FARGATE') ? 'FARGATE' : 'EC2')
      : undefined;

    return this.deps.uow.transaction(() => {
      const consumableResourceProperties = this.checkConsumables(scope, v.optionalObject(input, 'consumableResourceProperties'));
      const revision = (this.deps.revisions.get(scope, name)?.latest ?? 0) + 1;
      this.deps.revisions.put(scope, name, { latest: revision });
      const arn = buildArn('batch', scope.region, scope.accountId, `job-definition/${name}:${revision}`);
      const def: JobDefinition = {
        ...input,
        jobDefinitionName: name,
        jobDefinitionArn: arn,
        revision,
        status: 'ACTIVE',
        type,
        parameters: parameters ?? {},
        ...(containerProperties ? { containerProperties } : {}),
        ...(nodeProperties ? { nodeProperties } : {}),
        ...(consumableResourceProperties ? { consumableResourceProperties } : {}),
        ...(retryStrategy ? { retryStrategy } : {}),
        ...(timeout ? { timeout } : {}),
        ...(schedulingPriority !== undefined ? { schedulingPriority } : {}),
        ...(propagateTags !== undefined ? { propagateTags } : {}),
        tags: tags ?? {},
        platformCapabilities,
        containerOrchestrationType: input.eksProperties ? 'EKS' : 'ECS',
      };
      this.deps.jobDefinitions.put(scope, `${name}:${revision}`, def);
      return { jobDefinitionName: name, jobDefinitionArn: arn, revision };
    });
  }

  describe(scope: Scope, input: Input): { jobDefinitions: JobDefinition[]; nextToken?: string } {
    const refs = v.optionalStringList(input, 'jobDefinitions', { max: 100 });
    const name = v.optionalString(input, 'jobDefinitionName');
    const status = v.optionalString(input, 'status');
    const maxResults = v.optionalInteger(input, 'maxResults', { min: 1, max: 100 }) ?? 100;
    const offset = decodeToken<number>(v.optionalString(input, 'nextToken')) ?? 0;
    let all = this.deps.jobDefinitions.list(scope);
    if (refs && refs.length > 0) {
      const wanted = new Set(refs.map((r) => this.resolve(scope, r)?.jobDefinitionArn).filter(Boolean));
      // A bare name lists every revision of that name, as AWS does.
      const bareNames = new Set(refs.filter((r) => !r.startsWith('arn:') && !r.includes(':')));
      all = all.filter((d) => wanted.has(d.jobDefinitionArn) || bareNames.has(d.jobDefinitionName));
    }
    if (name) all = all.filter((d) => d.jobDefinitionName === name);
    if (status) all = all.filter((d) => d.status === status);
    const page = all.slice(offset, offset + maxResults);
    const next = offset + maxResults < all.length ? encodeToken(offset + maxResults) : undefined;
    return { jobDefinitions: page, ...(next ? { nextToken: next } : {}) };
  }

  deregister(scope: Scope, input: Input): void {
    const ref = v.requireString(input, 'jobDefinition');
    if (!ref.startsWith('arn:') && !ref.includes(':')) {
      throw clientError('jobDefinition must be a name:revision or an ARN.');
    }
    this.deps.uow.transaction(() => {
      const def = this.resolve(scope, ref);
      if (!def) throw clientError(`Job definition ${ref} does not exist`);
      def.status = 'INACTIVE';
      this.deps.jobDefinitions.put(scope, `${def.jobDefinitionName}:${def.revision}`, def);
    });
  }

  /** Writes back a definition (tags). */
  save(scope: Scope, def: JobDefinition): void {
    this.deps.jobDefinitions.put(scope, `${def.jobDefinitionName}:${def.revision}`, def);
  }
}

function validateTimeout(timeout: Input | undefined): { attemptDurationSeconds: number } | undefined {
  if (!timeout) return undefined;
  const seconds = v.optionalInteger(timeout, 'attemptDurationSeconds');
  if (seconds === undefined) return undefined;
  if (seconds < 60) throw clientError('The minimum value for the timeout is 60 seconds.');
  return { attemptDurationSeconds: seconds };
}

/** Checks a container's image and resources; returns the properties as stored. */
export function validateContainer(input: Input, platform: 'EC2' | 'FARGATE'): ContainerProperties {
  const image = v.optionalString(input, 'image');
  if (!image) throw clientError('containerProperties.image must be specified.');
  const command = v.optionalStringList(input, 'command');
  const environment = v.optionalList(input, 'environment');
  for (const entry of environment ?? []) {
    const e = (entry ?? {}) as Input;
    const key = v.optionalString(e, 'name') ?? '';
    if (key.startsWith('AWS_BATCH')) throw clientError(`Environment variable names starting with AWS_BATCH are reserved: ${key}.`);
  }
  const { vcpus, memory } = resourcesOf(input as ContainerProperties);
  if (platform === 'FARGATE') {
    if (vcpus === undefined || !FARGATE_VCPU_VALUES.includes(String(vcpus))) throw clientError(`Fargate jobs need a VCPU resource requirement of ${FARGATE_VCPU_VALUES.join(', ')}.`);
    if (!memory) throw clientError('Fargate jobs need a MEMORY resource requirement.');
    if (!isFargateCombination(vcpus, memory)) {
      throw clientError(`Fargate does not run ${vcpus} vCPU with ${memory} MiB: with VCPU ${vcpus}, MEMORY must be one of ${fargateMemoryValues(vcpus).join(', ')}.`);
    }
  } else {
    if (vcpus !== undefined && vcpus <= 0) throw clientError('The number of vCPUs must be greater than 0.');
    if (memory !== undefined && memory < 4) throw clientError('The memory hard limit must be at least 4 MiB.');
  }
  return { ...input, image, ...(command ? { command } : {}) };
}

/** vCPUs and MiB from resourceRequirements, falling back to the legacy vcpus/memory fields. */
export function resourcesOf(container: ContainerProperties): { vcpus?: number; memory?: number } {
  const requirement = (type: string) => container.resourceRequirements?.find((r) => r.type === type)?.value;
  const vcpuText = requirement('VCPU');
  const memoryText = requirement('MEMORY');
  const vcpus = vcpuText !== undefined ? Number(vcpuText) : container.vcpus;
  const memory = memoryText !== undefined ? Number(memoryText) : container.memory;
  if (vcpus !== undefined && !Number.isFinite(vcpus)) throw clientError(`Invalid VCPU value: ${vcpuText}.`);
  if (memory !== undefined && !Number.isFinite(memory)) throw clientError(`Invalid MEMORY value: ${memoryText}.`);
  return { ...(vcpus !== undefined ? { vcpus } : {}), ...(memory !== undefined ? { memory } : {}) };
}
