/**
 * Test harness: starts a real batchlink app on 127.0.0.1 port 0 with a fresh data directory,
 * and gives AWS SDK clients the config to reach it. `waitFor` polls a condition with a
 * deadline (tests never sleep a fixed time).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp } from '../../src/server/app.js';
import type { App, AppOptions } from '../../src/server/app.js';
import { jsonLogger } from '../../src/server/logger.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface TestServer {
  app: App;
  dataDir: string;
  /** Config for any @aws-sdk/client-*: endpoint, region, default root credentials. */
  clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    maxAttempts: number;
  };
  close(): Promise<void>;
}

export async function startTestServer(options: Partial<AppOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'batchlink-test-'));
  const app = await startApp({ port: 0, logger: jsonLogger(process.env.BATCHLINK_TEST_LOG === '1' ? 'info' : 'silent'), killGraceMs: 500, ...options, dataDir });
  return {
    app,
    dataDir,
    clientConfig: {
      endpoint: app.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    },
    async close() {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns a truthy value or the deadline passes. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 100);
  }
}

/** A test server with one @aws-sdk client on it; `close()` destroys the client, then stops the server. */
export interface ServerWithClient<C> {
  server: TestServer;
  client: C;
  close(): Promise<void>;
}

export async function startWithClient<C extends { destroy(): void }>(
  Client: new (config: TestServer['clientConfig']) => C,
  options: Partial<AppOptions> = {},
): Promise<ServerWithClient<C>> {
  const server = await startTestServer(options);
  const client = new Client(server.clientConfig);
  return {
    server,
    client,
    async close() {
      client.destroy();
      await server.close();
    },
  };
}
