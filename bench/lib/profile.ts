/**
 * Where the server's time goes: runs batchlink under `node --cpu-prof`, drives a workload,
 * stops it gracefully (the profile is written at exit) and summarises the V8 CPU profile into
 * top self-time functions and top files/packages.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ROOT, startBatchlink } from './peers.js';
import type { PeerProcess, ServerRuntime } from './peers.js';
import { round } from './stats.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileEntry {
  name: string;
  where: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  label: string;
  workload: string;
  totalMs: number;
  idlePercent: number;
  topFunctions: ProfileEntry[];
  topFiles: ProfileEntry[];
  /** batchlink's own functions by inclusive time (self + callees), recursion counted once. */
  topInclusive: ProfileEntry[];
}

function shortUrl(url: string): string {
  if (!url) return '(native)';
  const path = url.startsWith('file://') ? url.slice('file://'.length) : url;
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length);
  return path.startsWith(ROOT) ? relative(ROOT, path) : path;
}

/** Package or project file a frame belongs to (node_modules/<pkg>, src/<file>, node:<module>). */
function fileKey(url: string): string {
  const short = shortUrl(url);
  if (url.includes('node_modules/')) {
    const parts = short.split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? short);
  }
  return short;
}

export function summarizeProfile(profile: CpuProfile, label: string, workload: string, top = 15): ProfileSummary {
  const selfUs = new Map<number, number>();
  if (profile.samples && profile.timeDeltas) {
    for (let i = 0; i < profile.samples.length; i++) {
      const id = profile.samples[i] as number;
      selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0));
    }
  } else {
    const total = profile.endTime - profile.startTime;
    const hits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0) || 1;
    for (const node of profile.nodes) selfUs.set(node.id, ((node.hitCount ?? 0) * total) / hits);
  }
  const byFunction = new Map<string, ProfileEntry>();
  const byFile = new Map<string, ProfileEntry>();
  let totalUs = 0;
  let idleUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    totalUs += us;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') {
      idleUs += us;
      continue;
    }
    const where = `${shortUrl(node.callFrame.url)}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ''}`;
    const key = `${name}@${where}`;
    const f = byFunction.get(key) ?? { name, where, selfMs: 0, percent: 0 };
    f.selfMs += us / 1000;
    byFunction.set(key, f);
    const file = node.callFrame.url ? fileKey(node.callFrame.url) : name.startsWith('(') ? name : '(native)';
    const g = byFile.get(file) ?? { name: file, where: '', selfMs: 0, percent: 0 };
    g.selfMs += us / 1000;
    byFile.set(file, g);
  }
  const busyMs = Math.max(0.001, (totalUs - idleUs) / 1000);
  const inclusive = inclusiveOwnFunctions(profile, selfUs);
  const finish = (entries: Iterable<ProfileEntry>) =>
    [...entries]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((e) => ({ ...e, selfMs: round(e.selfMs, 1), percent: round((100 * e.selfMs) / busyMs, 1) }));
  return {
    label,
    workload,
    totalMs: round(totalUs / 1000, 1),
    idlePercent: round((100 * idleUs) / Math.max(1, totalUs), 1),
    topFunctions: finish(byFunction.values()),
    topFiles: finish(byFile.values()),
    topInclusive: finish(inclusive.values()),
  };
}

const isOwn = (url: string) => /\/(dist\/)?src\//.test(url) && !url.includes('node_modules');

function inclusiveOwnFunctions(profile: CpuProfile, selfUs: Map<number, number>): Map<string, ProfileEntry> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const childIds = new Set(profile.nodes.flatMap((node) => node.children ?? []));
  const totals = new Map<number, number>();
  const total = (id: number): number => {
    const known = totals.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    let sum = selfUs.get(id) ?? 0;
    for (const child of node?.children ?? []) sum += total(child);
    totals.set(id, sum);
    return sum;
  };
  const out = new Map<string, ProfileEntry>();
  const walk = (id: number, open: Set<string>): void => {
    const node = byId.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    let key: string | undefined;
    if (url && isOwn(url)) {
      key = `${functionName || '(anonymous)'}@${shortUrl(url)}:${lineNumber + 1}`;
      if (!open.has(key)) {
        const entry = out.get(key) ?? { name: functionName || '(anonymous)', where: `${shortUrl(url)}:${lineNumber + 1}`, selfMs: 0, percent: 0 };
        entry.selfMs += total(id) / 1000;
        out.set(key, entry);
      } else key = undefined;
    }
    if (key) open.add(key);
    for (const child of node.children ?? []) walk(child, open);
    if (key) open.delete(key);
  };
  for (const node of profile.nodes) if (!childIds.has(node.id)) walk(node.id, new Set());
  return out;
}

/** Runs batchlink under --cpu-prof on `dataDir` (a fresh one when omitted) while `workload` runs. */
export async function profileServer(
  runtime: ServerRuntime,
  label: string,
  workload: string,
  drive: (server: PeerProcess) => Promise<void>,
  dataDir?: string,
  saveTo?: string,
): Promise<ProfileSummary> {
  const profileDir = mkdtempSync(join(tmpdir(), 'batchlink-bench-prof-'));
  const ownDir = dataDir ?? mkdtempSync(join(tmpdir(), 'batchlink-bench-profdata-'));
  let server: PeerProcess | undefined;
  try {
    server = await startBatchlink({ dataDir: ownDir, runtime, nodeFlags: ['--cpu-prof', '--cpu-prof-dir', profileDir] });
    await drive(server);
    await server.stop();
    server = undefined;
    // One profile per thread (CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile): the summary is the
    // pipeline's thread (0); the HTTP front thread's and the checkpointer's are saved beside it.
    const files = readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'));
    const file = files.find((name) => name.split('.')[4] === '0') ?? files[0];
    if (!file) throw new Error('the server wrote no .cpuprofile (did it exit gracefully?)');
    if (saveTo) {
      mkdirSync(dirname(saveTo), { recursive: true });
      copyFileSync(join(profileDir, file), saveTo);
      for (const other of files.filter((name) => name !== file)) {
        copyFileSync(join(profileDir, other), saveTo.replace(/\.cpuprofile$/, `.thread-${other.split('.')[4]}.cpuprofile`));
      }
    }
    return summarizeProfile(JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile, label, workload);
  } finally {
    await server?.stop();
    rmSync(profileDir, { recursive: true, force: true });
    if (!dataDir) rmSync(ownDir, { recursive: true, force: true });
  }
}
