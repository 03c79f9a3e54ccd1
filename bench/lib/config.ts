/**
 * Benchmark sizes. `full` is the workload (run it only when the shared machine is
 * quiet); `tiny` is what bench/bench.test.ts runs to check that every scenario still works.
 */
import type { ServerRuntime } from './peers.js';

export interface BenchConfig {
  preset: 'full' | 'tiny' | 'custom';
  runtime: ServerRuntime;
  connections: number;
  warmup: number;
  /** batchlink's SubmitJob/DescribeJobs runs are repeated this often per path; the median is reported. */
  apiRepeats: number;
  submitCount: number;
  describeCount: number;
  describeIdsPerCall: number;
  maxDurationMs: number;
  moto: boolean;
  motoSubmitCount: number;
  motoDescribeCount: number;
  motoMaxDurationMs: number;
  trivialJobs: number;
  trivialVcpus: number;
  idleJobs: number;
  scaleJobs: number;
  seedBatch: number;
  listPages: number;
  pagingRuns: number;
  latencyProbes: number;
  arraySize: number;
  arrayRepeats: number;
  startupRepeats: number;
  /** Re-run a scenario under `node --cpu-prof` when it misses its target. */
  profile: boolean;
  scenarios: Array<'api' | 'jobs' | 'scale' | 'startup'>;
}

export const FULL: BenchConfig = {
  preset: 'full',
  runtime: 'dist',
  connections: 64,
  warmup: 5000,
  apiRepeats: 3,
  submitCount: 20_000,
  describeCount: 10_000,
  describeIdsPerCall: 100,
  maxDurationMs: 60_000,
  moto: true,
  motoSubmitCount: 20_000,
  motoDescribeCount: 10_000,
  motoMaxDurationMs: 30_000,
  trivialJobs: 2000,
  trivialVcpus: 128,
  idleJobs: 20,
  scaleJobs: 1_000_000,
  seedBatch: 10_000,
  listPages: 50,
  pagingRuns: 10,
  latencyProbes: 300,
  arraySize: 10_000,
  arrayRepeats: 3,
  startupRepeats: 5,
  profile: true,
  scenarios: ['api', 'jobs', 'scale', 'startup'],
};

export const TINY: BenchConfig = {
  ...FULL,
  preset: 'tiny',
  runtime: 'tsx',
  connections: 8,
  warmup: 0,
  apiRepeats: 1,
  submitCount: 200,
  describeCount: 50,
  maxDurationMs: 30_000,
  motoSubmitCount: 50,
  motoDescribeCount: 10,
  motoMaxDurationMs: 15_000,
  trivialJobs: 20,
  trivialVcpus: 8,
  idleJobs: 3,
  scaleJobs: 2000,
  seedBatch: 1000,
  listPages: 5,
  pagingRuns: 2,
  latencyProbes: 10,
  arraySize: 10,
  arrayRepeats: 1,
  startupRepeats: 1,
  profile: false,
};
