/**
 * Messages between the local executor (in the server) and its spawner process, which starts
 * job processes on the other core so that fork/exec never blocks the server's event loop.
 */
export type ToSpawner =
  | { t: 'start'; key: string; program: string; args: string[]; cwd: string; env: Record<string, string> }
  | { t: 'signal'; key: string; signal: NodeJS.Signals };

export type FromSpawner =
  | { t: 'spawned'; key: string; pid: number }
  | { t: 'failed'; key: string; code?: string; message: string }
  | { t: 'out'; key: string; lines: string[] }
  | { t: 'exit'; key: string; code: number | null; signal: NodeJS.Signals | null };
