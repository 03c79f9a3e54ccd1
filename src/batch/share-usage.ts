/**
 * Fair share's memory of recent usage per share identifier (AWS Batch's shareDecaySeconds): the
 * scheduler scores shares by what they run now plus what they used recently.
 */
/** AWS: a shareDecaySeconds of 0 means the default minimum window, 600 seconds. */
export const DEFAULT_SHARE_DECAY_SECONDS = 600;

/**
 * Recent usage per fair-share identifier of a queue: the vCPU-seconds of ended attempts, decaying
 * exponentially with the policy's window, plus what running attempts have used so far. Kept in
 * memory (after a restart, history starts again from what runs).
 */
export class ShareUsage {
  private readonly ended = new Map<string, { seconds: number; at: number }>(); // queue\0share -> decayed vCPU-s

  /** An attempt of this share ended after using `vcpus` from `startedAt` to `now`. */
  add(queueArn: string, share: string, vcpus: number, startedAt: number, now: number, windowSeconds: number): void {
    const key = `${queueArn}\0${share}`;
    const previous = this.ended.get(key);
    const carried = previous ? previous.seconds * Math.exp(-Math.max(0, now - previous.at) / 1000 / windowSeconds) : 0;
    this.ended.set(key, { seconds: carried + (vcpus * Math.max(0, now - startedAt)) / 1000, at: now });
  }

  /** Recent usage in vCPUs (vCPU-seconds over the window) of one share. */
  recent(queueArn: string, share: string, running: Array<{ vcpus: number; startedAt: number }>, windowSeconds: number, now: number): number {
    const previous = this.ended.get(`${queueArn}\0${share}`);
    let seconds = previous ? previous.seconds * Math.exp(-Math.max(0, now - previous.at) / 1000 / windowSeconds) : 0;
    for (const attempt of running) seconds += (attempt.vcpus * Math.max(0, now - attempt.startedAt)) / 1000;
    return seconds / windowSeconds;
  }
}

