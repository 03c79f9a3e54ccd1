/**
 * EC2 tags: CreateTags / DeleteTags / DescribeTags across every taggable kind (found by id
 * prefix), and the TagSpecifications of Create* calls. AWS limits: 50 tags per resource, keys
 * 1..128 characters, values 0..256, the `aws:` prefix reserved.
 */
import type { Scope } from '../core/context.js';
import { ApiError } from '../core/errors.js';
import type { Filter, Tag, Tagged } from './model.js';
import { applyFilters } from './filters.js';
import type { NetworkHooks, TaggableKind } from './network-deps.js';
import { networkErrors } from './errors.js';
import type { UnitOfWork } from '../core/repository.js';

export const MAX_TAGS_PER_RESOURCE = 50;

export interface TagSpecification {
  resourceType?: string;
  tags: Tag[];
}

export interface TagDescription {
  resourceId: string;
  resourceType: string;
  key: string;
  value: string;
}

export function validateTags(tags: Tag[]): void {
  for (const tag of tags) {
    if (tag.Key.length === 0 || tag.Key.length > 128) {
      throw new ApiError('InvalidParameterValue', `Tag key must be between 1 and 128 characters: '${tag.Key}'`);
    }
    if (tag.Value.length > 256)
      throw new ApiError('InvalidParameterValue', `Tag value exceeds the maximum length of 256 characters for key '${tag.Key}'`);
    if (tag.Key.toLowerCase().startsWith('aws:')) {
      throw new ApiError('InvalidParameterValue', "Tag keys starting with 'aws:' are reserved for internal use");
    }
  }
}

/** The tags a Create* call applies to its new resource of `resourceType` (other types are refused). */
export function tagsFromSpecifications(specifications: TagSpecification[], resourceType: string): Tag[] {
  const tags: Tag[] = [];
  for (const spec of specifications) {
    if (spec.resourceType === undefined) throw new ApiError('InvalidParameterValue', 'Tag specification resource type must have a value');
    if (spec.resourceType !== resourceType) {
      throw new ApiError('InvalidParameterValue', `'${spec.resourceType}' is not a valid taggable resource type for this operation.`);
    }
    tags.push(...spec.tags);
  }
  validateTags(tags);
  return mergeTags([], tags);
}

/** Adds or overwrites tags by key, keeping the existing order. */
export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const merged = existing.map((tag) => ({ ...tag }));
  for (const tag of added) {
    const found = merged.find((t) => t.Key === tag.Key);
    if (found) found.Value = tag.Value;
    else merged.push({ Key: tag.Key, Value: tag.Value });
  }
  if (merged.length > MAX_TAGS_PER_RESOURCE)
    throw new ApiError('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
  return merged;
}

export class TagOperations {
  constructor(
    private readonly hooks: NetworkHooks,
    private readonly uow: UnitOfWork,
  ) {}

  private resolve(scope: Scope, id: string): { kind: TaggableKind; resource: Tagged } {
    const kind = this.hooks.taggableFor(id);
    if (!kind) throw networkErrors.invalidResourceId(id);
    const resource = kind.repository.get(scope, id);
    if (!resource) throw kind.notFound(id);
    return { kind, resource };
  }

  createTags(scope: Scope, resourceIds: string[], tags: Tag[]): void {
    validateTags(tags);
    this.uow.transaction(() => {
      const targets = resourceIds.map((id) => ({ id, ...this.resolve(scope, id) }));
      for (const { id, kind, resource } of targets) kind.repository.put(scope, id, { ...resource, tags: mergeTags(resource.tags, tags) });
    });
  }

  /** A key alone deletes the tag; a key with a value (even '') deletes it only when the value matches; no tags deletes all. */
  deleteTags(scope: Scope, resourceIds: string[], tags: Array<{ Key: string; Value?: string }> | undefined): void {
    this.uow.transaction(() => {
      const targets = resourceIds.map((id) => ({ id, ...this.resolve(scope, id) }));
      for (const { id, kind, resource } of targets) {
        const kept = resource.tags.filter((tag) => {
          if (tag.Key.startsWith('aws:')) return true;
          if (!tags || tags.length === 0) return false;
          return !tags.some((t) => t.Key === tag.Key && (t.Value === undefined || t.Value === tag.Value));
        });
        kind.repository.put(scope, id, { ...resource, tags: kept });
      }
    });
  }

  describeTags(scope: Scope, filters: Filter[]): TagDescription[] {
    const all: Array<TagDescription & { tags: Tag[] }> = [];
    for (const kind of this.hooks.taggables) {
      for (const resource of kind.repository.list(scope)) {
        const resourceId = kind.idOf(resource);
        for (const tag of resource.tags) {
          all.push({ resourceId, resourceType: kind.resourceType, key: tag.Key, value: tag.Value, tags: [tag] });
        }
      }
    }
    all.sort((a, b) => (a.resourceId === b.resourceId ? 0 : a.resourceId < b.resourceId ? -1 : 1));
    const fields = {
      key: (t: TagDescription) => t.key,
      value: (t: TagDescription) => t.value,
      'resource-id': (t: TagDescription) => t.resourceId,
      'resource-type': (t: TagDescription) => t.resourceType,
    };
    return applyFilters(all, filters, fields).map(({ resourceId, resourceType, key, value }) => ({ resourceId, resourceType, key, value }));
  }
}
