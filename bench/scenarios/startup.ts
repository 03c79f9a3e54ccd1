/**
 * Scenario 5 (empty case): process start to the first successful signed API answer, on a
 * fresh data directory (migrations run) and on a restart of that now-existing empty store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchConfig } from '../lib/config.js';
import { measureStartup } from '../lib/peers.js';
import { round } from '../lib/stats.js';

export interface StartupResult {
  freshMs: number[];
  restartMs: number[];
  /** What batchlink itself prints ("started in N ms"), first fresh start. */
  bannerMs?: number;
}

export async function runStartup(config: BenchConfig): Promise<StartupResult> {
  const freshMs: number[] = [];
  const restartMs: number[] = [];
  let bannerMs: number | undefined;
  for (let i = 0; i < config.startupRepeats; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'batchlink-bench-startup-'));
    try {
      const fresh = await measureStartup({ dataDir, runtime: config.runtime });
      freshMs.push(round(fresh.ms, 1));
      bannerMs ??= fresh.bannerMs;
      restartMs.push(round((await measureStartup({ dataDir, runtime: config.runtime })).ms, 1));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return { freshMs, restartMs, ...(bannerMs !== undefined ? { bannerMs } : {}) };
}
