/**
 * The shape of bench/results.json, and the run's metadata (machine, date, command, peers).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { ApiThroughputResult } from '../scenarios/api-throughput.js';
import type { ScaleResult } from '../scenarios/scale.js';
import type { StartupResult } from '../scenarios/startup.js';
import type { TrivialJobsResult } from '../scenarios/trivial-jobs.js';
import type { BenchConfig } from './config.js';
import { motoVersion, ROOT } from './peers.js';
import type { ProfileSummary } from './profile.js';
import type { TargetCheck } from './targets.js';

export interface BenchMeta {
  date: string;
  command: string;
  preset: string;
  runtime: string;
  build: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; kernel: string; node: string; loadAtStart: number[]; loadAtEnd?: number[] };
  batchlinkVersion: string;
  gitRevision: string;
  /** Tracked files differed from that revision when the run started (absent in older results). */
  gitDirty?: boolean;
  motoVersion: string;
  loadGenerator: string;
  durationS?: number;
}

export interface BenchResults {
  meta: BenchMeta;
  config: BenchConfig;
  scenarios: { api?: ApiThroughputResult; jobs?: TrivialJobsResult; scale?: ScaleResult; startup?: StartupResult };
  errors: Record<string, string>;
  targets: TargetCheck[];
  profiles: ProfileSummary[];
  profileErrors: string[];
}

const load = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

export function endLoad(): number[] {
  return load();
}

export function buildMeta(config: BenchConfig, command: string, build: string): BenchMeta {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string };
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    command,
    preset: config.preset,
    runtime: config.runtime,
    build,
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      kernel: os.release(),
      node: process.version,
      loadAtStart: load(),
    },
    batchlinkVersion: pkg.version,
    gitRevision: git.status === 0 ? git.stdout.trim() : 'unknown',
    gitDirty: spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() !== '',
    motoVersion: config.moto ? motoVersion() : 'not used',
    loadGenerator:
      `own child process per run (bench/lib/load-worker.ts), ${config.connections} keep-alive connections on 127.0.0.1, raw HTTP/1.1 over node:net. ` +
      'Every request is SigV4-signed with @smithy/signature-v4 (own body, own signature) in that process before the clock starts ' +
      '(pre-signed pool, so signing is not on the measured path; its cost is reported), bounded by a request count and a time limit.',
  };
}
