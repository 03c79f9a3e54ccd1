/**
 * A token bucket per account: AWS Batch throttles SubmitJob at 50 requests per second per
 * account. Off by default in batchlink; switched on by configuration for users who test their
 * back-off code. A refusal is 429 TooManyRequestsException.
 */
import type { Clock } from '../core/clock.js';
import { ApiError } from '../core/errors.js';

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
  ) {}

  take(key: string): void {
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perSecond, at: now };
    bucket.tokens = Math.min(this.perSecond, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      throw new ApiError('TooManyRequestsException', 'Too Many Requests', 429);
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
  }
}
