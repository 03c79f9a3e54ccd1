/**
 * The two spawner processes the local executor can use, behind one handle. `posix` is
 * posix-spawner.py (python3; glibc's posix_spawn, about ten times less CPU per job than Node's
 * fork, bench/ANALYSIS.md); `node` is spawner-child.ts (Node's child_process over IPC), used when
 * python3 is missing. The server sees the same messages from both: the posix spawner's output
 * bytes are cut into lines here, with the same LineSplitter the Node spawner uses.
 */
import { fork, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineSplitter } from './line-splitter.js';
import type { FromSpawner, ToSpawner } from './spawner-protocol.js';

export type SpawnerKind = 'posix' | 'node';

export interface SpawnerHandle {
  send(message: ToSpawner): void;
  readonly alive: boolean;
  /** Whether the spawner keeps the server's event loop alive (only while attempts run). */
  hold(active: boolean): void;
  /** It kills the process groups it started and exits; resolves when it has. */
  stop(): Promise<void>;
}

/** The spawners' own PATH, and the base of every job's (the job's environment may replace it). */
export const BASE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const HERE = fileURLToPath(import.meta.url);
/** The Node spawner's entry point beside this module (.ts under tsx, .js when compiled). */
const NODE_SPAWNER = join(dirname(HERE), `spawner-child${extname(basename(HERE))}`);
/** The Python script stays in src/ (tsc does not copy it): dist/src/… maps back to src/…. */
const POSIX_SPAWNER = join(dirname(HERE).replace(/([/\\])dist([/\\])src([/\\])/, '$1src$3'), 'posix-spawner.py');

let detected: SpawnerKind | undefined;

/** posix when python3 with os.posix_spawn runs here (checked once), else node. */
export function defaultSpawnerKind(): SpawnerKind {
  detected ??= spawnSync('python3', ['-c', 'import os; os.posix_spawn; os.POSIX_SPAWN_DUP2'], { stdio: 'ignore', timeout: 10_000, env: { PATH: BASE_PATH } }).status === 0 ? 'posix' : 'node';
  return detected;
}

export function startSpawner(kind: SpawnerKind, onMessage: (message: FromSpawner) => void, onExit: () => void): SpawnerHandle {
  return kind === 'posix' ? startPosixSpawner(onMessage, onExit) : startNodeSpawner(onMessage, onExit);
}

/** Settles when `child` emits `event` (created at the start, so it cannot be missed). */
function eventPromise(child: ChildProcess, event: 'exit' | 'close'): Promise<void> {
  return new Promise((resolve) => child.once(event, () => resolve()));
}

function startNodeSpawner(onMessage: (message: FromSpawner) => void, onExit: () => void): SpawnerHandle {
  const child = fork(NODE_SPAWNER, [], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { PATH: BASE_PATH } });
  child.on('message', onMessage);
  child.once('exit', onExit);
  // 'exit': a forked child's 'close' also waits for its IPC channel, which may be unreferenced.
  const exited = eventPromise(child, 'exit');
  const hold = (active: boolean) => {
    const channel = child.channel as { ref?: () => void; unref?: () => void } | undefined;
    if (active) {
      child.ref();
      channel?.ref?.();
    } else {
      child.unref();
      channel?.unref?.();
    }
  };
  return {
    send: (message) => child.send(message),
    get alive() {
      return child.connected;
    },
    hold,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (!child.connected) return exited;
      child.ref(); // wait for it even though nothing else keeps the event loop alive
      child.disconnect(); // the spawner kills its process groups and exits
      return exited;
    },
  };
}

function startPosixSpawner(onMessage: (message: FromSpawner) => void, onExit: () => void): SpawnerHandle {
  const child = spawn('python3', [POSIX_SPAWNER], { stdio: ['pipe', 'pipe', 'inherit'], env: { PATH: BASE_PATH } });
  const splitters = new Map<string, [LineSplitter, LineSplitter]>();
  const flushLines = (key: string) => {
    const pair = splitters.get(key);
    splitters.delete(key);
    const lines = pair ? [...pair[0].flush(), ...pair[1].flush()] : [];
    if (lines.length > 0) onMessage({ t: 'out', key, lines });
  };
  const receive = (line: string) => {
    const message = JSON.parse(line) as FromSpawner | { t: 'data'; key: string; fd: 1 | 2; b64: string };
    if (message.t === 'data') {
      let pair = splitters.get(message.key);
      if (!pair) splitters.set(message.key, (pair = [new LineSplitter(), new LineSplitter()]));
      const lines = pair[message.fd - 1]?.push(Buffer.from(message.b64, 'base64')) ?? [];
      if (lines.length > 0) onMessage({ t: 'out', key: message.key, lines });
      return;
    }
    if (message.t === 'exit' || message.t === 'failed') flushLines(message.key);
    onMessage(message);
  };
  const stdout = new LineSplitter();
  child.stdout?.on('data', (chunk: Buffer) => {
    for (const line of stdout.push(chunk)) if (line) receive(line);
  });
  let alive = true;
  const closed = eventPromise(child, 'close');
  // 'close', not 'exit': when python3 cannot be started there is an 'error' and a 'close' but no
  // 'exit', and the executor must still learn that its attempts are lost.
  child.once('error', () => {
    alive = false;
  });
  // Writing to a spawner that is gone fails with EPIPE; 'close' reports that it is gone.
  child.stdin?.on('error', () => {});
  void closed.then(() => {
    alive = false;
    onExit();
  });
  const handles = () => [child, child.stdin, child.stdout] as Array<{ ref?: () => void; unref?: () => void } | null>;
  return {
    send: (message) => {
      if (alive) child.stdin?.write(`${JSON.stringify(message)}\n`);
    },
    get alive() {
      return alive;
    },
    hold(active) {
      for (const handle of handles()) (active ? handle?.ref : handle?.unref)?.call(handle);
    },
    async stop() {
      if (!alive) return closed;
      for (const handle of handles()) handle?.ref?.call(handle);
      child.stdin?.end(); // end of input: it kills its process groups and exits
      return closed;
    },
  };
}
