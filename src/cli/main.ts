#!/usr/bin/env node
/**
 * The `batchlink` command line: `serve` runs the service (gateway, scheduler, executors);
 * further noun-verb commands talk to a running server.
 */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { startApp } from '../server/app.js';
import { jsonLogger } from '../server/logger.js';
import { OperatorError } from '../core/errors.js';
import { simulate } from './policy-command.js';
import { printNetwork } from './network-command.js';
import type { SimulateOptions } from './policy-command.js';

const program = new Command();
program.name('batchlink').description('Self-hosted AWS Batch reached through an AWS PrivateLink interface endpoint.');

program
  .command('serve')
  .description('run the batchlink service')
  .option('--host <host>', 'address of the gateway listener', process.env.BATCHLINK_HOST ?? '127.0.0.1')
  .option('--port <port>', 'port of the gateway listener (0 picks a free one)', process.env.BATCHLINK_PORT ?? '4566')
  .option('--data-dir <dir>', 'where state (SQLite) and job working directories live', process.env.BATCHLINK_DATA_DIR ?? '.batchlink')
  .option('--config <file>', 'bootstrap config file (accounts, access keys, users)', process.env.BATCHLINK_CONFIG)
  .option('--log-level <level>', 'info | warn | error | silent', process.env.BATCHLINK_LOG_LEVEL ?? 'info')
  .option('--slurm-conf <path>', 'run compute environments tagged batchlink:executor=slurm on this Slurm cluster', process.env.BATCHLINK_SLURM_CONF)
  .option('--submit-job-tps <n>', "throttle SubmitJob per account like AWS (50); off by default", process.env.BATCHLINK_SUBMIT_JOB_TPS)
  // PrivateLink: the port of the VPC resolvers (default BATCHLINK_DNS_PORT, else 53 as root, else a free port).
  .option('--dns-port <port>', 'port of the VPC resolvers (Amazon-provided DNS) on their 127.53.x.y addresses', process.env.BATCHLINK_DNS_PORT)
  .option('--http-thread <on|off>', 'parse HTTP and write answers on a second thread (on) or on the pipeline thread (off)', process.env.BATCHLINK_HTTP_THREAD ?? 'on')
  .action(async (opts: { host: string; port: string; dataDir: string; config?: string; logLevel: string; submitJobTps?: string; dnsPort?: string; slurmConf?: string; httpThread: string }) => {
    if (opts.httpThread !== 'on' && opts.httpThread !== 'off') program.error(`--http-thread must be on or off, not '${opts.httpThread}'`);
    const logger = jsonLogger(opts.logLevel as 'info');
    const started = Date.now();
    const app = await startApp({
      host: opts.host,
      port: Number(opts.port),
      dataDir: resolve(opts.dataDir),
      ...(opts.config ? { configFile: resolve(opts.config) } : {}),
      logger,
      ...(opts.submitJobTps ? { submitJobRateLimit: Number(opts.submitJobTps) } : {}),
      ...(opts.slurmConf ? { slurmConf: resolve(opts.slurmConf) } : {}),
      ...(opts.dnsPort !== undefined ? { dnsPort: Number(opts.dnsPort) } : {}),
      httpThread: opts.httpThread === 'on',
    });
    printBanner(app.url, resolve(opts.dataDir), Date.now() - started);
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info('shutting down', { signal });
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error('shutdown failed', { error: String(error) });
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
  });

program
  .command('network')
  .description("print each VPC's resolver address and each endpoint network interface's listening address")
  .option('--endpoint-url <url>', 'the running gateway', process.env.BATCHLINK_ENDPOINT_URL ?? `http://127.0.0.1:${process.env.BATCHLINK_PORT ?? '4566'}`)
  .action(async (opts: { endpointUrl: string }) => {
    await printNetwork(opts.endpointUrl);
  });

const policy = program.command('policy').description('work with IAM and VPC endpoint policies');
policy
  .command('simulate')
  .description('decide one request as batchlink would, and say which statements decided it (exit 0 = allowed, 1 = denied)')
  .requiredOption('--action <action>', 'e.g. batch:SubmitJob')
  .requiredOption('--resource <arn>', "the resource ARN, or '*'")
  .option('--principal <arn>', 'the caller: root, user, role or assumed-role ARN (default: root of 000000000000)')
  .option('--identity-policy <file...>', "the caller's identity policies (default: read from --data-dir)")
  .option('--endpoint-policy <file>', 'a VPC endpoint policy: simulate a request through that endpoint')
  .option('--vpce <id>', 'simulate a request through this endpoint (its policy is read from --data-dir)')
  .option('--context <key=value...>', 'extra condition keys, e.g. aws:SourceVpc=vpc-1')
  .option('--data-dir <dir>', 'read users, roles, policies and endpoints from this state', process.env.BATCHLINK_DATA_DIR)
  .action((opts: SimulateOptions) => {
    const { allowed, lines } = simulate(opts);
    process.stdout.write(`${lines.join('\n')}\n`);
    process.exitCode = allowed ? 0 : 1;
  });

function printBanner(url: string, dataDir: string, startupMs: number): void {
  const e = `--endpoint-url ${url} --region us-east-1`;
  process.stdout.write(
    [
      `batchlink is listening on ${url} (started in ${startupMs} ms; state in ${dataDir})`,
      '',
      'Credentials: access key "test", secret "test" (root of account 000000000000):',
      '  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1',
      '',
      'Try:',
      `  aws batch ${e} describe-compute-environments`,
      `  aws batch ${e} describe-job-queues`,
      `  aws logs ${e} describe-log-groups`,
      `  curl ${url}/_batchlink/health`,
      '',
    ].join('\n'),
  );
}

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof OperatorError) {
    process.stderr.write(`batchlink: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`batchlink: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
