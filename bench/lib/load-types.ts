/**
 * The workload a load-generator child process receives over IPC, and what it reports back.
 */
import type { Target } from './signing.js';

export type LoadSpec =
  | { kind: 'submit'; jobQueue: string; jobDefinition: string; namePrefix: string; extra?: Record<string, unknown> }
  | { kind: 'describe'; ids: string[]; perCall: number };

export interface LoadRequest {
  target: Target;
  spec: LoadSpec;
  /** Measured requests (each pre-signed). */
  count: number;
  /** Unmeasured requests sent first (JIT warm-up), also pre-signed. */
  warmup: number;
  connections: number;
  /** No new request is started after this much time (in-flight ones finish). */
  maxDurationMs: number;
  /** Parse `jobId` from 200 responses (SubmitJob). */
  collectJobIds?: boolean;
}

export interface LoadResult {
  requested: number;
  completed: number;
  ok: number;
  errors: number;
  statuses: Record<string, number>;
  errorSamples: string[];
  durationMs: number;
  requestsPerSecond: number;
  latenciesMs: number[];
  connections: number;
  /** TCP connections opened in the measured phase (== connections when keep-alive held). */
  connects: number;
  timedOut: boolean;
  jobIds: string[];
  /** CPU the load generator itself used during the measured phase. */
  generatorCpuMs: number;
  signMs: number;
  signUsPerRequest: number;
  warmup: number;
}
