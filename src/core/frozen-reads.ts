/**
 * Documents read again and again on hot paths (SubmitJob's job queue and job definition) served
 * from memory: each is parsed once, frozen (so a caller cannot change what others will read),
 * and kept until its table is written or any transaction rolls back — the version string the
 * owner passes says when. A frozen document that some code tries to edit throws TypeError.
 */
export class FrozenReads<T extends object> {
  private readonly entries = new Map<string, T | undefined>();
  private validFor = '';

  constructor(
    private readonly version: () => string,
    private readonly maxEntries = 1000,
  ) {}

  get(key: string, load: () => T | undefined): Readonly<T> | undefined {
    const version = this.version();
    if (version !== this.validFor) {
      this.entries.clear();
      this.validFor = version;
    }
    if (this.entries.has(key)) return this.entries.get(key);
    const value = load();
    if (value !== undefined) deepFreeze(value);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}

function deepFreeze(value: object): void {
  Object.freeze(value);
  for (const child of Object.values(value)) {
    if (child !== null && typeof child === 'object' && !Object.isFrozen(child)) deepFreeze(child as object);
  }
}
