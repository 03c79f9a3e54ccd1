/**
 * Every `*Command` the installed @aws-sdk/client-batch exports is served: sent with an empty
 * input (plus a real resourceArn for the tag routes), each answers a modeled response or a
 * modeled validation error — a 400 ClientException whose message names one of the request's
 * fields — and never "not supported" or an unknown-operation error.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import * as sdk from '@aws-sdk/client-batch';
import { BatchClient, CreateSchedulingPolicyCommand } from '@aws-sdk/client-batch';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';

type CommandClass = new (input: Record<string, unknown>) => Parameters<BatchClient['send']>[0];

const commands = Object.entries(sdk)
  .filter(([name, value]) => /^[A-Z]\w+Command$/.test(name) && typeof value === 'function')
  .map(([name, value]) => ({ operation: name.slice(0, -'Command'.length), Command: value as unknown as CommandClass }));

/** Request member names per operation, read from the SDK's own model types. */
function requestMembers(): Map<string, string[]> {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@aws-sdk/client-batch/package.json'));
  const text = readFileSync(join(root, 'dist-types/models/models_0.d.ts'), 'utf8').replace(/\/\*\*[\s\S]*?\*\//g, '');
  const members = new Map<string, string[]>();
  for (const match of text.matchAll(/export interface (\w+)Request \{([^}]*)\}/g)) {
    members.set(match[1]!, [...match[2]!.matchAll(/^\s*(\w+)\??:/gm)].map((m) => m[1]!));
  }
  return members;
}

let server: TestServer;
let batch: BatchClient;
let resourceArn: string;

before(async () => {
  server = await startTestServer();
  batch = new BatchClient(server.clientConfig);
  resourceArn = (await batch.send(new CreateSchedulingPolicyCommand({ name: 'operations-probe' }))).arn!;
});
after(async () => {
  batch.destroy();
  await server.close();
});

test('the installed SDK exports the whole Batch API (at least the 48 operations batchlink knows)', () => {
  assert.ok(commands.length >= 48, `only ${commands.length} commands found`);
});

test('every SDK command is served with a modeled response or a ClientException naming a field', async () => {
  const members = requestMembers();
  const failures: string[] = [];
  for (const { operation, Command } of commands) {
    const fields = members.get(operation) ?? [];
    try {
      await batch.send(new Command({ resourceArn }));
    } catch (error) {
      const e = error as Error & { $metadata?: { httpStatusCode?: number } };
      const named = fields.some((field) => new RegExp(`\\b${field}\\b`).test(e.message));
      if (e.name !== 'ClientException' || e.$metadata?.httpStatusCode !== 400 || /not supported|no operation/i.test(e.message) || !named) {
        failures.push(`${operation}: ${e.name} (${e.$metadata?.httpStatusCode}) ${e.message} [fields: ${fields.join(', ')}]`);
      }
    }
  }
  assert.deepEqual(failures, []);
});
