/**
 * End to end in a Linux network namespace, as a workload in a private VPC sees it: batchlink
 * runs inside the namespace (gateway :4566, VPC resolvers on :53), the namespace's resolv.conf
 * names the VPC's resolver, and the unmodified AWS CLI calls
 * `--endpoint-url http://batch.us-east-1.amazonaws.com:4566`. With a private-DNS endpoint the
 * name resolves to the endpoint's interface and the PrivateLink rules apply; after the endpoint
 * is deleted the same call takes the public path (the gateway). Needs root, `ip` and `aws`.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');

function skipReason(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'network namespaces need root (run as root to include this test)';
  if (spawnSync('ip', ['-V']).status !== 0) return 'the `ip` command (iproute2) is missing';
  if (spawnSync('aws', ['--version']).status !== 0) return 'the AWS CLI (`aws`) is not on PATH';
  return undefined;
}

const reason = skipReason();
const ns = `bl-pl-${process.pid}-${randomBytes(3).toString('hex')}`;
const dataDir = mkdtempSync(join(tmpdir(), 'batchlink-netns-'));
let server: ChildProcess | undefined;
let serverLog = '';

const AWS_ENV = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PAGER: '',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};

after(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((done) => {
      const timer = setTimeout(() => (server?.kill('SIGKILL'), done(undefined)), 5000);
      server?.once('exit', () => (clearTimeout(timer), done(undefined)));
    });
  }
  if (!reason) {
    spawnSync('ip', ['netns', 'del', ns]);
    rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs a command inside the namespace; returns stdout, or throws with stderr. */
function inNs(args: string[], options: { allowFailure?: boolean } = {}): { status: number; stdout: string; stderr: string } {
  const result = spawnSync('ip', ['netns', 'exec', ns, ...args], { env: AWS_ENV, encoding: 'utf8', timeout: 60_000 });
  const out = { status: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
  if (out.status !== 0 && !options.allowFailure) throw new Error(`${args.join(' ')} failed (${out.status}): ${out.stderr}`);
  return out;
}

function ec2(...args: string[]): Record<string, unknown> {
  const { stdout } = inNs(['aws', '--endpoint-url', 'http://127.0.0.1:4566', '--region', 'us-east-1', '--output', 'json', 'ec2', ...args]);
  return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
}

/** The unmodified AWS CLI, pointed at the service's public name (resolved by the VPC resolver). */
function batchByName(region: string, ...args: string[]) {
  return inNs(
    ['aws', '--endpoint-url', 'http://batch.us-east-1.amazonaws.com:4566', '--region', region, '--output', 'json', 'batch', ...args],
    { allowFailure: true },
  );
}

function resolveName(name: string): string[] {
  // `ahosts` (getaddrinfo without AI_ADDRCONFIG): the namespace has only loopback addresses.
  const { stdout } = inNs(['getent', 'ahosts', name], { allowFailure: true });
  return [
    ...new Set(
      stdout
        .split('\n')
        .map((line) => line.split(/\s+/)[0] ?? '')
        .filter((address) => /^\d+\.\d+\.\d+\.\d+$/.test(address)),
    ),
  ].sort();
}

interface NetworkMapJson {
  vpcs: Array<{ vpcId: string; resolver: string; listening: boolean }>;
  interfaces: Array<{ vpcEndpointId: string; listen: string; listening: boolean }>;
}

function networkMap(): NetworkMapJson {
  const { stdout } = inNs([
    'node',
    '-e',
    "fetch('http://127.0.0.1:4566/_batchlink/network').then(r => r.text()).then(t => process.stdout.write(t))",
  ]);
  return JSON.parse(stdout) as NetworkMapJson;
}

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nserver log:\n${serverLog.slice(-4000)}`);
    await new Promise((done) => setTimeout(done, delay));
  }
}

test(
  'netns: the AWS CLI reaches Batch through the interface endpoint by its private DNS name, and the public path after deletion',
  { skip: reason, timeout: 240_000 },
  async () => {
    execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);

    server = spawn(
      'ip',
      [
        'netns',
        'exec',
        ns,
        process.execPath,
        '--import',
        'tsx',
        'src/cli/main.ts',
        'serve',
        '--port',
        '4566',
        '--dns-port',
        '53',
        '--data-dir',
        dataDir,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, BATCHLINK_LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    server.stdout?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    await until(() => (serverLog.includes('listening on http://127.0.0.1:4566') ? true : undefined), 'batchlink to start in the namespace');

    // The VPC as a Batch workload's network: DNS attributes on, a subnet, HTTPS allowed from the VPC.
    const vpcId = ((ec2('create-vpc', '--cidr-block', '10.42.0.0/16').Vpc ?? {}) as { VpcId: string }).VpcId;
    ec2('modify-vpc-attribute', '--vpc-id', vpcId, '--enable-dns-hostnames', '{"Value":true}');
    const subnetId = (
      (ec2('create-subnet', '--vpc-id', vpcId, '--cidr-block', '10.42.1.0/24', '--availability-zone', 'us-east-1a').Subnet ?? {}) as {
        SubnetId: string;
      }
    ).SubnetId;
    const groupId = ec2('create-security-group', '--vpc-id', vpcId, '--group-name', 'batch-endpoint', '--description', 'HTTPS from the VPC')
      .GroupId as string;
    ec2('authorize-security-group-ingress', '--group-id', groupId, '--protocol', 'tcp', '--port', '443', '--cidr', '10.42.0.0/16');

    // The namespace resolves names through this VPC's Amazon-provided DNS resolver.
    const resolver = await until(() => networkMap().vpcs.find((vpc) => vpc.vpcId === vpcId && vpc.listening)?.resolver, 'the VPC resolver');
    const [resolverAddress, resolverPort] = resolver.split(':');
    assert.equal(resolverPort, '53');
    mkdirSync(`/etc/netns/${ns}`, { recursive: true });
    writeFileSync(`/etc/netns/${ns}/resolv.conf`, `nameserver ${resolverAddress}\n`);
    assert.deepEqual(resolveName('batch.us-east-1.amazonaws.com'), ['127.0.0.1'], 'without an endpoint: the public path (gateway)');

    const created = ec2(
      'create-vpc-endpoint',
      '--vpc-id',
      vpcId,
      '--vpc-endpoint-type',
      'Interface',
      '--service-name',
      'com.amazonaws.us-east-1.batch',
      '--subnet-ids',
      subnetId,
      '--security-group-ids',
      groupId,
      '--private-dns-enabled',
    );
    const endpointId = (created.VpcEndpoint as { VpcEndpointId: string }).VpcEndpointId;
    const listen = await until(
      () => networkMap().interfaces.find((eni) => eni.vpcEndpointId === endpointId && eni.listening)?.listen,
      'the endpoint to listen',
    );
    const interfaceAddress = listen.split(':')[0] ?? '';
    await until(() => {
      const described = ec2('describe-vpc-endpoints', '--vpc-endpoint-ids', endpointId).VpcEndpoints as Array<{ State: string }>;
      return described[0]?.State === 'available' ? true : undefined;
    }, 'the endpoint to be available');

    // Through the endpoint: the name answers the interface; Batch answers; a cross-Region call is refused.
    assert.deepEqual(resolveName('batch.us-east-1.amazonaws.com'), [interfaceAddress]);
    const viaEndpoint = batchByName('us-east-1', 'describe-job-queues');
    assert.equal(viaEndpoint.status, 0, viaEndpoint.stderr);
    assert.deepEqual(JSON.parse(viaEndpoint.stdout), { jobQueues: [] });
    const crossRegion = batchByName('us-west-2', 'describe-job-queues');
    assert.notEqual(crossRegion.status, 0, 'the endpoint refuses a request signed for another Region');
    assert.match(crossRegion.stderr, /InvalidSignatureException.*Credential should be scoped to a valid region/s);

    // Delete the endpoint: the same calls take the public path.
    ec2('delete-vpc-endpoints', '--vpc-endpoint-ids', endpointId);
    await until(
      () => (networkMap().interfaces.some((eni) => eni.vpcEndpointId === endpointId) ? undefined : true),
      'the endpoint to be gone',
    );
    assert.deepEqual(resolveName('batch.us-east-1.amazonaws.com'), ['127.0.0.1']);
    const viaGateway = batchByName('us-east-1', 'describe-job-queues');
    assert.equal(viaGateway.status, 0, viaGateway.stderr);
    const crossRegionPublic = batchByName('us-west-2', 'describe-job-queues');
    assert.equal(crossRegionPublic.status, 0, `the public path serves any Region: ${crossRegionPublic.stderr}`);
  },
);
