/**
 * The targets (2-core machine) checked against the measured figures. A target whose
 * scenario did not run is reported as "not run", never as passed.
 */
import type { ApiThroughputResult, ThroughputRun } from '../scenarios/api-throughput.js';
import type { ScaleResult } from '../scenarios/scale.js';
import type { StartupResult } from '../scenarios/startup.js';
import type { TrivialJobsResult } from '../scenarios/trivial-jobs.js';
import { percentile } from './stats.js';

export type Verdict = 'met' | 'missed' | 'not run';

export interface TargetCheck {
  id: string;
  target: string;
  measured: string;
  verdict: Verdict;
  /** Which profile explains a miss (ProfileSummary.label). */
  profile?: string;
}

export interface Measured {
  api?: ApiThroughputResult;
  jobs?: TrivialJobsResult;
  scale?: ScaleResult;
  startup?: StartupResult;
}

function run(runs: ThroughputRun[] | undefined, peer: string): ThroughputRun | undefined {
  const found = runs?.find((r) => r.peer === peer);
  return found?.ran ? found : undefined;
}

function check(id: string, target: string, value: number | undefined, ok: (v: number) => boolean, format: (v: number) => string, profile?: string): TargetCheck {
  if (value === undefined || Number.isNaN(value)) return { id, target, measured: '-', verdict: 'not run' };
  const verdict: Verdict = ok(value) ? 'met' : 'missed';
  return { id, target, measured: format(value), verdict, ...(verdict === 'missed' && profile ? { profile } : {}) };
}

const median = (values: number[]) => (values.length ? percentile([...values].sort((a, b) => a - b), 50) : undefined);

export function evaluateTargets(m: Measured): TargetCheck[] {
  const endpointSubmit = run(m.api?.submitJob, 'batchlink-endpoint');
  const motoSubmit = run(m.api?.submitJob, 'moto');
  const endpointDescribe = run(m.api?.describeJobs, 'batchlink-endpoint');
  const gatewayDescribe = run(m.api?.describeJobs, 'batchlink-gateway');
  const cleanRate = (r: ThroughputRun | undefined) => (r && (r.errors ?? 0) === 0 ? r.requestsPerSecond : r ? 0 : undefined);
  const checks: TargetCheck[] = [
    check('submit-endpoint-rate', 'SubmitJob through an endpoint with policy ≥ 5,000 req/s (no errors)', cleanRate(endpointSubmit), (v) => v >= 5000, (v) => `${v} req/s`, 'submit'),
    check('submit-endpoint-p99', 'SubmitJob through an endpoint with policy p99 ≤ 20 ms', endpointSubmit?.latencyMs?.p99, (v) => v <= 20, (v) => `${v} ms`, 'submit'),
    check(
      'submit-vs-moto',
      'SubmitJob through the endpoint ≥ 20× moto',
      endpointSubmit?.requestsPerSecond && motoSubmit?.requestsPerSecond ? endpointSubmit.requestsPerSecond / motoSubmit.requestsPerSecond : undefined,
      (v) => v >= 20,
      (v) => `${v.toFixed(1)}×`,
      'submit',
    ),
    check('describe-endpoint-rate', 'DescribeJobs(100 ids) through the endpoint ≥ 1,500 req/s', cleanRate(endpointDescribe), (v) => v >= 1500, (v) => `${v} req/s`, 'describe'),
    check('describe-gateway-rate', 'DescribeJobs(100 ids) through the gateway ≥ 1,500 req/s', cleanRate(gatewayDescribe), (v) => v >= 1500, (v) => `${v} req/s`, 'describe'),
    check('trivial-jobs-rate', '≥ 500 trivial jobs/s completed', m.jobs?.jobsPerSecond, (v) => v >= 500, (v) => `${v} jobs/s`, 'jobs'),
    check('idle-submitted-to-running', 'SUBMITTED→RUNNING p50 ≤ 20 ms on an idle server', m.jobs?.idle.submittedToRunningMs.p50, (v) => v <= 20, (v) => `${v} ms`, 'jobs'),
    check(
      'list-first-page-p99',
      '1M jobs: ListJobs first page p99 ≤ 10 ms',
      m.scale?.listJobsFirstPageMs.p99,
      (v) => v <= 10,
      (v) => `${v} ms`,
      'scale',
    ),
    check('list-deep-page-p99', '1M jobs: ListJobs deep pages (2..50) p99 ≤ 10 ms', m.scale?.listJobsDeepPageMs.p99, (v) => v <= 10, (v) => `${v} ms`, 'scale'),
    check('scale-rss', '1M jobs: server RSS ≤ 300 MB (peak after the queries)', m.scale?.serverRssMiB.peakBeforeArray, (v) => v <= 300, (v) => `${v} MiB`, 'scale'),
    check('array-accepted', 'Array job of 10,000 accepted ≤ 300 ms', m.scale?.arrayJob.ran ? m.scale.arrayJob.maxAcceptedMs : undefined, (v) => v <= 300, (v) => `${v} ms (max)`, 'array'),
    check('startup-empty', 'Start-up ≤ 500 ms, empty store (median of fresh starts)', median(m.startup?.freshMs ?? []), (v) => v <= 500, (v) => `${v} ms`, 'startup'),
    check('startup-1m', 'Start-up ≤ 500 ms with the 1M-job store (median)', median(m.scale?.startupMs ?? []), (v) => v <= 500, (v) => `${v} ms`, 'scale'),
  ];
  if (m.scale?.arrayJob && !m.scale.arrayJob.ran) {
    const array = checks.find((c) => c.id === 'array-accepted');
    if (array) array.measured = m.scale.arrayJob.why ?? 'not run';
  }
  return checks;
}
