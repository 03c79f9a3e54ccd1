/**
 * A per-partition cache of the cluster's idle CPUs (sinfo), readable synchronously by the
 * scheduler's capacity check and refreshed in the background when older than `maxAgeMs`.
 */
export class IdleCpuCache {
  private readonly values = new Map<string, { idle: number; at: number }>();
  private readonly refreshing = new Set<string>();
  private stopped = false;

  constructor(
    private readonly fetch: (partition: string) => Promise<number>,
    private readonly onError: (error: unknown) => void,
    private readonly maxAgeMs = 1000,
  ) {}

  /** The last known idle CPUs of `partition` ('' = the default), undefined before the first answer. */
  peek(partition: string): number | undefined {
    const cached = this.values.get(partition);
    if (!this.stopped && (!cached || Date.now() - cached.at > this.maxAgeMs) && !this.refreshing.has(partition)) {
      this.refreshing.add(partition);
      this.fetch(partition)
        .then((idle) => this.values.set(partition, { idle, at: Date.now() }))
        .catch(this.onError)
        .finally(() => this.refreshing.delete(partition));
    }
    return cached?.idle;
  }

  stop(): void {
    this.stopped = true;
  }
}
