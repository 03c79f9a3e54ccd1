/**
 * Remembered Allow decisions. Policies without Condition blocks and without policy variables
 * decide the same way for the same principal, action and resource whatever else a request
 * carries (time, addresses, tags), so the identity authorizer reuses an Allow they gave instead
 * of evaluating them again. Policies are told apart by object: a changed policy document
 * compiles to a new object (parsePolicy caches by text), which gives new keys. Denials are never
 * remembered (they carry the message and trace of their own request).
 */
import type { Principal } from '../core/context.js';
import type { CompiledPolicy } from '../policy/types.js';

export class AllowCache {
  private readonly ids = new WeakMap<CompiledPolicy, number>();
  private readonly contextFree = new WeakMap<CompiledPolicy, boolean>();
  private readonly allowed = new Set<string>();
  private nextId = 1;

  constructor(private readonly limit = 50_000) {}

  /** The key prefix for a principal under these policies; undefined when a policy reads the request's context. */
  prefix(principal: Principal, policies: readonly CompiledPolicy[]): string | undefined {
    let ids = '';
    for (const policy of policies) {
      if (!this.isContextFree(policy)) return undefined;
      ids += `${this.idOf(policy)},`;
    }
    return `${principal.type}\n${principal.accountId}\n${principal.arn}\n${principal.userId}\n${principal.roleArn ?? ''}\n${ids}\n`;
  }

  has(prefix: string, action: string, resource: string): boolean {
    return this.allowed.has(`${prefix}${action}\n${resource}`);
  }

  add(prefix: string, action: string, resource: string): void {
    if (this.allowed.size >= this.limit) this.allowed.clear();
    this.allowed.add(`${prefix}${action}\n${resource}`);
  }

  private isContextFree(policy: CompiledPolicy): boolean {
    let free = this.contextFree.get(policy);
    if (free === undefined) {
      free = policy.statements.every((s) => s.conditions.length === 0 && s.variables.length === 0);
      this.contextFree.set(policy, free);
    }
    return free;
  }

  private idOf(policy: CompiledPolicy): number {
    let id = this.ids.get(policy);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(policy, id);
    }
    return id;
  }
}
