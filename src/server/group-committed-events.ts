/**
 * Executor events (a job process started, wrote output, exited) join the event-loop tick's
 * group transaction, like API writes: a burst of job starts and exits then costs one COMMIT per
 * tick instead of one per event. A crash inside that tick loses at most the tick's events; the
 * jobs they concerned are then found lost on restart, as after a host loss.
 */
import type { ExecutorEvents } from '../batch/executor.js';

export function groupCommitted(events: ExecutorEvents, group: { enlist(): void }): ExecutorEvents {
  return {
    started(jobId, attempt, info) {
      group.enlist();
      events.started(jobId, attempt, info);
    },
    output(jobId, attempt, lines) {
      group.enlist();
      events.output(jobId, attempt, lines);
    },
    exited(jobId, attempt, result) {
      group.enlist();
      events.exited(jobId, attempt, result);
    },
  };
}
