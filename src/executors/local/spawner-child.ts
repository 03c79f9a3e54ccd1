/**
 * The spawner process: receives start/signal messages over IPC, starts each job process from
 * its argv (no shell) in its own process group and working directory, sends back its pid, its
 * output lines and its exit, and removes the working directory afterwards. If the server goes
 * away (IPC disconnect), it kills the process groups it started and exits.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir, rm, rmdir } from 'node:fs/promises';
import { LineSplitter } from './line-splitter.js';
import type { FromSpawner, ToSpawner } from './spawner-protocol.js';

const children = new Map<string, ChildProcess>();

function send(message: FromSpawner): void {
  process.send?.(message);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Creates the attempt's directory: one mkdir, and the parent only the first time. */
async function makeWorkDir(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dir, { recursive: true });
  }
}

/** Removes the attempt's directory: one rmdir when the job left it empty, else the whole tree. */
function removeWorkDir(dir: string): void {
  rmdir(dir).catch(() => rm(dir, { recursive: true, force: true })).catch(() => {});
}

async function start(m: Extract<ToSpawner, { t: 'start' }>): Promise<void> {
  try {
    await makeWorkDir(m.cwd);
  } catch (error) {
    send({ t: 'failed', key: m.key, message: (error as Error).message });
    return;
  }
  const child = spawn(m.program, m.args, { cwd: m.cwd, env: m.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.set(m.key, child);
  const stdout = new LineSplitter();
  const stderr = new LineSplitter();
  const emit = (lines: string[]) => {
    if (lines.length > 0) send({ t: 'out', key: m.key, lines });
  };
  child.stdout?.on('data', (chunk: Buffer) => emit(stdout.push(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => emit(stderr.push(chunk)));
  child.once('spawn', () => send({ t: 'spawned', key: m.key, pid: child.pid ?? 0 }));
  child.once('error', (error: NodeJS.ErrnoException) => {
    if (child.pid !== undefined) return; // after a successful spawn, 'close' reports the end
    children.delete(m.key);
    send({ t: 'failed', key: m.key, ...(error.code ? { code: error.code } : {}), message: error.message });
    removeWorkDir(m.cwd);
  });
  child.once('close', (code, signal) => {
    emit(stdout.flush());
    emit(stderr.flush());
    children.delete(m.key);
    send({ t: 'exit', key: m.key, code, signal });
    removeWorkDir(m.cwd);
  });
}

process.on('message', (m: ToSpawner) => {
  if (m.t === 'start') void start(m);
  else if (m.t === 'signal') {
    const child = children.get(m.key);
    if (child) killGroup(child, m.signal);
  }
});

process.on('disconnect', () => {
  for (const child of children.values()) killGroup(child, 'SIGKILL');
  process.exit(0);
});
