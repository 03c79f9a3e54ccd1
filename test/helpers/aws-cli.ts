/**
 * Runs the stock AWS CLI against a batchlink URL with an isolated config (no user profile),
 * the default credentials, and JSON output parsed for the test.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The AWS CLIs on this machine: v1 from PATH (not /usr/bin) and v2 from Debian at /usr/bin/aws. */
export function installedClis(): Array<[label: string, path: string | undefined]> {
  const onPath = (process.env.PATH ?? '')
    .split(':')
    .filter((d) => d && !d.startsWith('/usr/bin'))
    .map((d) => join(d, 'aws'))
    .find((p) => existsSync(p));
  return [
    ['AWS CLI v1 (on PATH)', onPath],
    ['AWS CLI v2 (Debian, /usr/bin/aws)', existsSync('/usr/bin/aws') ? '/usr/bin/aws' : undefined],
  ];
}

export type AwsCli = (...args: string[]) => Promise<Record<string, unknown>>;

export function awsCli(cli: string, endpointUrl: string, extraEnv: Record<string, string> = {}): AwsCli {
  const home = mkdtempSync(join(tmpdir(), 'awscli-'));
  writeFileSync(join(home, 'config'), '[default]\nregion = us-east-1\noutput = json\n');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    ...extraEnv,
  };
  return async (...args: string[]) => {
    const { stdout } = await run(cli, ['--endpoint-url', endpointUrl, '--region', 'us-east-1', '--output', 'json', ...args], { env, timeout: 60_000 });
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  };
}
