/**
 * Consumable resources (resource-aware scheduling): create, describe, list, update (SET / ADD /
 * REMOVE, idempotent by clientToken for 8 hours), delete, and the jobs that need one. The
 * scheduler takes quantities with `reserve` at dispatch and gives them back with `release`
 * (a NON_REPLENISHABLE quantity is used up); both run inside the caller's transaction.
 */
import { createHash } from 'node:crypto';
import { buildArn } from '../core/arn.js';
import type { Scope } from '../core/context.js';
import type { Input } from '../core/validate.js';
import type { BatchDeps } from './deps.js';
import { clientError, decodeToken, encodeToken, pageList, resourceName, v } from './errors.js';
import type { JobCursor, ListJobsQuery } from './job-repository.js';
import type { JobDefinition, JobRecord } from './model.js';
import { JOB_STATUSES } from './model.js';
import { nameFromRef, nameMatches, readFilters, structList, tagsOnCreate } from './resource-helpers.js';
import type { ConsumableResource, ConsumableResourceRequirement, ConsumableResourceType } from './scheduling-model.js';

const TYPES = ['REPLENISHABLE', 'NON_REPLENISHABLE'] as const;
const OPERATIONS = ['SET', 'ADD', 'REMOVE'] as const;
const MAX_PER_ACCOUNT = 50_000;
const TOKEN_LIFETIME_MS = 8 * 60 * 60 * 1000;

export interface ConsumableResourceProperties {
  consumableResourceList: ConsumableResourceRequirement[];
}

export class ConsumableResources {
  constructor(private readonly deps: BatchDeps) {}

  find(scope: Scope, ref: string): ConsumableResource | undefined {
    const name = nameFromRef(scope, ref, 'consumable-resource');
    if (name === undefined) return undefined;
    const resource = this.deps.consumableResources.get(scope, name);
    if (resource && ref.startsWith('arn:') && resource.consumableResourceArn !== ref) return undefined;
    return resource;
  }

  create(scope: Scope, input: Input): { consumableResourceName: string; consumableResourceArn: string } {
    const name = resourceName(input, 'consumableResourceName');
    const totalQuantity = v.optionalInteger(input, 'totalQuantity', { min: 0 }) ?? 0;
    const resourceType = (v.optionalEnum(input, 'resourceType', TYPES) ?? 'REPLENISHABLE') as ConsumableResourceType;
    const tags = tagsOnCreate(input);
    const arn = buildArn('batch', scope.region, scope.accountId, `consumable-resource/${name}`);
    const resource: ConsumableResource = {
      consumableResourceName: name,
      consumableResourceArn: arn,
      totalQuantity,
      inUseQuantity: 0,
      resourceType,
      createdAt: this.deps.clock.now(),
      tags,
    };
    this.deps.uow.transaction(() => {
      if (this.deps.consumableResources.count(scope) >= MAX_PER_ACCOUNT) {
        throw clientError(`Maximum number of consumable resources (${MAX_PER_ACCOUNT}) reached for this account.`);
      }
      if (!this.deps.consumableResources.insert(scope, name, resource)) throw clientError('Object already exists');
    });
    return { consumableResourceName: name, consumableResourceArn: arn };
  }

  describe(scope: Scope, input: Input): Record<string, unknown> {
    const ref = v.requireString(input, 'consumableResource');
    const r = this.require(scope, ref);
    return {
      consumableResourceName: r.consumableResourceName,
      consumableResourceArn: r.consumableResourceArn,
      totalQuantity: r.totalQuantity,
      inUseQuantity: r.inUseQuantity,
      availableQuantity: Math.max(0, r.totalQuantity - r.inUseQuantity),
      resourceType: r.resourceType,
      createdAt: r.createdAt,
      tags: r.tags,
    };
  }

  list(scope: Scope, input: Input): { consumableResources: Array<Record<string, unknown>>; nextToken?: string } {
    const filters = readFilters(input, ['CONSUMABLE_RESOURCE_NAME']);
    let all = this.deps.consumableResources.list(scope);
    for (const f of filters) all = all.filter((r) => nameMatches(r.consumableResourceName, f.values));
    const { page, nextToken } = pageList(all, input);
    return {
      consumableResources: page.map((r) => ({
        consumableResourceArn: r.consumableResourceArn,
        consumableResourceName: r.consumableResourceName,
        totalQuantity: r.totalQuantity,
        inUseQuantity: r.inUseQuantity,
        resourceType: r.resourceType,
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  update(scope: Scope, input: Input): { consumableResourceName: string; consumableResourceArn: string; totalQuantity: number } {
    const ref = v.requireString(input, 'consumableResource');
    const operation = v.optionalEnum(input, 'operation', OPERATIONS) ?? 'SET';
    const quantity = v.optionalInteger(input, 'quantity', { min: 0 });
    const clientToken = v.optionalString(input, 'clientToken', { min: 1, max: 64 });
    if (quantity === undefined) throw clientError('quantity is required.');
    const fingerprint = createHash('sha256').update(JSON.stringify([ref, operation, quantity])).digest('hex');
    return this.deps.uow.transaction(() => {
      const r = this.require(scope, ref);
      const now = this.deps.clock.now();
      const tokens = Object.fromEntries(Object.entries(r.clientTokens ?? {}).filter(([, t]) => now - t.at < TOKEN_LIFETIME_MS));
      const seen = clientToken !== undefined ? tokens[clientToken] : undefined;
      if (seen && seen.fingerprint !== fingerprint) {
        throw clientError(`clientToken ${clientToken} was already used with a different request.`);
      }
      if (!seen) {
        const next = operation === 'SET' ? quantity : operation === 'ADD' ? r.totalQuantity + quantity : r.totalQuantity - quantity;
        if (next < 0) throw clientError(`Cannot remove ${quantity} from consumable resource ${r.consumableResourceName}: its total quantity is ${r.totalQuantity}.`);
        r.totalQuantity = next;
        if (clientToken !== undefined) tokens[clientToken] = { fingerprint, at: now };
      }
      r.clientTokens = tokens;
      this.deps.consumableResources.put(scope, r.consumableResourceName, r);
      return { consumableResourceName: r.consumableResourceName, consumableResourceArn: r.consumableResourceArn, totalQuantity: r.totalQuantity };
    });
  }

  delete(scope: Scope, input: Input): void {
    const ref = v.requireString(input, 'consumableResource');
    this.deps.uow.transaction(() => {
      const r = this.require(scope, ref);
      if (r.inUseQuantity > 0) throw clientError(`Cannot delete, consumable resource ${r.consumableResourceName} is in use by running jobs`);
      this.deps.consumableResources.delete(scope, r.consumableResourceName);
    });
  }

  /** ListJobsByConsumableResource: jobs whose job definition requires the resource, newest first. */
  listJobs(scope: Scope, input: Input): { jobs: Array<Record<string, unknown>>; nextToken?: string } {
    const ref = v.requireString(input, 'consumableResource');
    const filters = readFilters(input, ['JOB_STATUS', 'JOB_NAME'], 2);
    const maxResults = v.optionalInteger(input, 'maxResults', { min: 1, max: 100 }) ?? 100;
    const cursor = decodeToken<JobCursor>(v.optionalString(input, 'nextToken'));
    const resource = this.require(scope, ref);
    const needs = new Map<string, JobDefinition>();
    for (const def of this.deps.jobDefinitions.list(scope)) {
      if (this.quantityIn(scope, def.consumableResourceProperties, resource) !== undefined) needs.set(def.jobDefinitionArn, def);
    }
    if (needs.size === 0) return { jobs: [] };
    const query: ListJobsQuery = { scope, definitionArns: [...needs.keys()], limit: maxResults, ...(cursor ? { cursor } : {}) };
    for (const f of filters) {
      if (f.name === 'JOB_STATUS') {
        const bad = f.values.find((s) => !(JOB_STATUSES as readonly string[]).includes(s));
        if (bad) throw clientError(`JOB_STATUS filter values must be one of: ${JOB_STATUSES.join(', ')}.`);
        query.statuses = f.values as typeof JOB_STATUSES[number][];
      } else {
        const value = f.values[0]!;
        query.nameLike = value.endsWith('*') ? `${escapeLike(value.slice(0, -1))}%` : escapeLike(value);
      }
    }
    const { records, next } = this.deps.jobs.list(query);
    return {
      jobs: records.map((record) => this.jobSummary(scope, record, resource, needs.get(record.detail.jobDefinition))),
      ...(next ? { nextToken: encodeToken(next) } : {}),
    };
  }

  /** Job definitions' `consumableResourceProperties`: every named resource must exist. */
  validateProperties(scope: Scope, raw: Input | undefined): ConsumableResourceProperties | undefined {
    if (!raw) return undefined;
    const list = structList(raw, 'consumableResourceList') ?? [];
    const seen = new Set<string>();
    const consumableResourceList = list.map((entry, i) => {
      const ref = v.requireString(entry, 'consumableResource');
      const quantity = v.optionalInteger(entry, 'quantity', { min: 1 });
      if (quantity === undefined) throw clientError(`consumableResourceProperties.consumableResourceList[${i}].quantity is required.`);
      const resource = this.find(scope, ref);
      if (!resource) throw clientError(`Consumable resource ${ref} does not exist`);
      if (seen.has(resource.consumableResourceArn)) throw clientError(`Consumable resource ${ref} is listed more than once.`);
      seen.add(resource.consumableResourceArn);
      return { consumableResource: ref, quantity };
    });
    return { consumableResourceList };
  }

  /**
   * Takes every requirement's quantity, or nothing when any resource lacks the quantity (or
   * no longer exists). Call inside the dispatch transaction.
   */
  reserve(scope: Scope, requirements: readonly ConsumableResourceRequirement[]): boolean {
    const wanted = this.aggregate(scope, requirements);
    if (!wanted) return false;
    for (const { resource, quantity } of wanted.values()) {
      if (resource.totalQuantity - resource.inUseQuantity < quantity) return false;
    }
    for (const { resource, quantity } of wanted.values()) {
      resource.inUseQuantity += quantity;
      this.deps.consumableResources.put(scope, resource.consumableResourceName, resource);
    }
    return true;
  }

  /** Gives back what `reserve` took; a NON_REPLENISHABLE quantity leaves the total for good. */
  release(scope: Scope, requirements: readonly ConsumableResourceRequirement[]): void {
    for (const { resource, quantity } of (this.aggregate(scope, requirements, true) ?? new Map()).values()) {
      const given = Math.min(quantity, resource.inUseQuantity);
      resource.inUseQuantity -= given;
      if (resource.resourceType === 'NON_REPLENISHABLE') resource.totalQuantity = Math.max(0, resource.totalQuantity - given);
      this.deps.consumableResources.put(scope, resource.consumableResourceName, resource);
    }
  }

  private aggregate(scope: Scope, requirements: readonly ConsumableResourceRequirement[], skipMissing = false) {
    const byArn = new Map<string, { resource: ConsumableResource; quantity: number }>();
    for (const req of requirements) {
      const resource = this.find(scope, req.consumableResource);
      if (!resource) {
        if (skipMissing) continue;
        return undefined;
      }
      const entry = byArn.get(resource.consumableResourceArn) ?? { resource, quantity: 0 };
      entry.quantity += req.quantity;
      byArn.set(resource.consumableResourceArn, entry);
    }
    return byArn;
  }

  private require(scope: Scope, ref: string): ConsumableResource {
    const r = this.find(scope, ref);
    if (!r) throw clientError(`Consumable resource ${ref} does not exist`);
    return r;
  }

  private quantityIn(scope: Scope, props: unknown, resource: ConsumableResource): number | undefined {
    const list = (props as Partial<ConsumableResourceProperties> | undefined)?.consumableResourceList ?? [];
    const entry = list.find((e) => this.find(scope, e.consumableResource)?.consumableResourceArn === resource.consumableResourceArn);
    return entry?.quantity;
  }

  private jobSummary(scope: Scope, record: JobRecord, resource: ConsumableResource, def: JobDefinition | undefined): Record<string, unknown> {
    const d = record.detail;
    const props = (d.consumableResourceProperties ?? def?.consumableResourceProperties) as ConsumableResourceProperties | undefined;
    return {
      jobArn: d.jobArn,
      jobQueueArn: d.jobQueue,
      jobName: d.jobName,
      jobDefinitionArn: d.jobDefinition,
      ...(d.shareIdentifier ? { shareIdentifier: d.shareIdentifier } : {}),
      jobStatus: d.status,
      quantity: this.quantityIn(scope, props, resource) ?? 0,
      ...(d.statusReason !== undefined ? { statusReason: d.statusReason } : {}),
      ...(d.startedAt !== undefined ? { startedAt: d.startedAt } : {}),
      createdAt: d.createdAt,
      consumableResourceProperties: props ?? { consumableResourceList: [] },
    };
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
