/**
 * The servers under test, each in its own process: batchlink (compiled `dist/` or through
 * tsx) and moto 5.2.1 (`python3 -m moto.server`, Batch without Docker). Start, stop, memory
 * (RSS from /proc), and the start-up probe (spawn -> first signed API answer).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { RawConnection } from './raw-http.js';
import { RequestSigner } from './signing.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST_MAIN = `${ROOT}dist/src/cli/main.js`;

export type ServerRuntime = 'dist' | 'tsx';

export interface PeerProcess {
  name: string;
  url: string;
  host: string;
  port: number;
  pid: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function batchlinkCommand(runtime: ServerRuntime, args: string[], nodeFlags: string[] = []): { command: string; args: string[] } {
  const entry = runtime === 'dist' ? [DIST_MAIN] : ['--import', 'tsx', `${ROOT}src/cli/main.ts`];
  return { command: process.execPath, args: [...nodeFlags, ...entry, 'serve', ...args] };
}

/** Compiles the server (`tsc -p tsconfig.json`); tsc emits even when other files have type errors. */
export function buildServer(): { ok: boolean; note: string } {
  const started = Date.now();
  const result = spawnSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, '-p', `${ROOT}tsconfig.json`], { cwd: ROOT, encoding: 'utf8' });
  const ok = existsSync(DIST_MAIN);
  const errors = (result.stdout.match(/error TS/g) ?? []).length;
  return { ok, note: `tsc ${result.status === 0 ? 'clean' : `exit ${result.status} (${errors} type errors elsewhere; output emitted)`} in ${Date.now() - started} ms` };
}

function stopChild(child: ChildProcess, graceMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function waitUntil<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs: number, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface BatchlinkOptions {
  dataDir: string;
  runtime: ServerRuntime;
  /** Node flags for the server process (e.g. --cpu-prof). */
  nodeFlags?: string[];
  port?: number;
}

export async function startBatchlink(options: BatchlinkOptions): Promise<PeerProcess> {
  const { command, args } = batchlinkCommand(
    options.runtime,
    ['--host', '127.0.0.1', '--port', String(options.port ?? 0), '--data-dir', options.dataDir, '--log-level', 'warn'],
    options.nodeFlags,
  );
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const url = await waitUntil(
    () => {
      if (child.exitCode !== null) throw new Error(`batchlink exited early (${child.exitCode}):\n${out.slice(-2000)}`);
      return /listening on (http:\/\/[0-9.]+:\d+)/.exec(out)?.[1];
    },
    'batchlink to print its URL',
    60_000,
  );
  const parsed = new URL(url);
  return {
    name: 'batchlink',
    url,
    host: parsed.hostname,
    port: Number(parsed.port),
    pid: child.pid ?? 0,
    child,
    output: () => out,
    stop: () => stopChild(child),
  };
}

export async function startMoto(): Promise<PeerProcess> {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString().slice(0, 1000)));
  child.stderr?.on('data', (chunk: Buffer) => {
    if (out.length < 20_000) out += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    async () => {
      if (child.exitCode !== null) throw new Error(`moto exited early (${child.exitCode}):\n${out.slice(-2000)}`);
      try {
        const response = await fetch(`${url}/moto-api/config`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ batch: { use_docker: false } }),
        });
        return response.ok ? true : undefined;
      } catch {
        return undefined;
      }
    },
    'moto to answer',
    60_000,
    100,
  );
  return { name: 'moto', url, host: '127.0.0.1', port, pid: child.pid ?? 0, child, output: () => out, stop: () => stopChild(child, 5000) };
}

export function motoAvailable(): boolean {
  const result = spawnSync('python3', ['-c', 'import moto'], { encoding: 'utf8' });
  return result.status === 0;
}

export function motoVersion(): string {
  const result = spawnSync('python3', ['-c', 'import moto; print(moto.__version__)'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : 'unavailable';
}

let clockTicks: number | undefined;

/** CPU time (user + system) a process has used so far, in seconds (Linux /proc). */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    clockTicks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ", fields[0] is state (field 3): utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return undefined;
  }
}

/** Resident set size and its peak, in MiB, of a process (Linux /proc). */
export function memoryOf(pid: number): { rssMiB: number; peakRssMiB: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 'NaN');
    return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/**
 * Start-up time: from spawning `batchlink serve` to the first 200 answer of a signed
 * DescribeJobQueues on its port (probed every ~2 ms). The server is stopped afterwards.
 */
export async function measureStartup(options: BatchlinkOptions): Promise<{ ms: number; bannerMs: number | undefined }> {
  const port = await freePort();
  const { command, args } = batchlinkCommand(options.runtime, ['--host', '127.0.0.1', '--port', String(port), '--data-dir', options.dataDir, '--log-level', 'warn']);
  const signer = new RequestSigner({ host: '127.0.0.1', port });
  const request = await signer.batchCall('DescribeJobQueues', {});
  const t0 = performance.now();
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  try {
    const ms = await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`batchlink exited early (${child.exitCode}):\n${out.slice(-2000)}`);
        const connection = new RawConnection('127.0.0.1', port);
        try {
          const response = await connection.send(request);
          return response.status === 200 ? performance.now() - t0 : undefined;
        } catch {
          return undefined;
        } finally {
          connection.close();
        }
      },
      'batchlink to answer its first API call',
      120_000,
      2,
    );
    const banner = /started in (\d+) ms/.exec(out)?.[1];
    return { ms, bannerMs: banner === undefined ? undefined : Number(banner) };
  } finally {
    await stopChild(child);
  }
}
