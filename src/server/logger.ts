/**
 * Structured logs: one JSON object per line on stderr, so operators can grep and parse them.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function jsonLogger(level: 'info' | 'warn' | 'error' | 'silent' = 'info', out: NodeJS.WritableStream = process.stderr): Logger {
  const rank = { info: 0, warn: 1, error: 2, silent: 3 }[level];
  const write = (lvl: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => {
    if ({ info: 0, warn: 1, error: 2 }[lvl] < rank) return;
    out.write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, message, ...fields })}\n`);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
