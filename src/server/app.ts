/**
 * The composition root: builds the store, clock, ids, credentials, services, scheduler and
 * executors, and the gateway listener. Nothing else in batchlink creates singletons.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { IdSource } from '../core/ids.js';
import { randomIds } from '../core/ids.js';
import { SigV4Verifier } from '../auth/sigv4.js';
import { chainCredentials, DEFAULT_ROOT_KEY, StaticCredentials } from '../auth/static-credentials.js';
import type { CredentialLookup } from '../auth/credentials.js';
import { startCheckpointer } from '../store/checkpointer.js';
import { groupCommitted } from './group-committed-events.js';
import { openDatabase, unitOfWork } from '../store/database.js';
import { countWrites } from '../core/repository.js';
import { buildIdentity } from './identity-wiring.js';
import { networkRepositories } from './network-wiring.js';
import type { Db } from '../store/database.js';
import { DocumentTable } from '../store/document-table.js';
import { JobTable } from '../store/job-table.js';
import { LogEventTable } from '../store/log-event-table.js';
import { CloudWatchLogs } from '../logs/logs.js';
import { createLogsService } from '../services/logs.js';
import { BatchDomain } from '../batch/batch-domain.js';
import type { RoleDirectory } from '../batch/deps.js';
import { DEFAULT_ACCOUNT_ROLES } from '../iam/default-roles.js';
import { Scheduler } from '../batch/scheduler.js';
import { ServiceJobRunner } from '../batch/service-job-runner.js';
import { SlurmExecutor } from '../executors/slurm/slurm-executor.js';
import { resolveSlurmConfig } from '../executors/slurm/slurm-config.js';
import { createBatchService } from '../services/batch.js';
import { LocalExecutor } from '../executors/local/local-executor.js';
import type { Authorizer, ServiceDefinition } from '../services/types.js';
// Identity
import { IamCredentials } from '../auth/iam-credentials.js';
import { applyIdentityConfig } from '../iam/bootstrap.js';
import { IdentityAuthorizer } from '../iam/identity-authorizer.js';
import { createIamService } from '../services/iam.js';
import { createStsService } from '../services/sts.js';
// EC2 and network
import { NetworkDomain } from '../network/network-domain.js';
import { createEc2Service } from '../services/ec2.js';
import type { Ec2ServiceOptions } from '../services/ec2.js';
import { networkLookup } from '../network/network-lookup.js';
import { VpcEndpoints } from '../network/vpc-endpoints.js';
import type { EndpointNetworkInterface, VpcEndpoint } from '../network/endpoint-model.js';
import { registerEndpointHooks } from '../network/endpoint-hooks.js';
import { createEndpointGate } from './endpoint-gate.js';
import { defaultDnsPort } from './dns-server.js';
import { PrivateLink, refreshResolversAfterVpcChanges } from './privatelink.js';
// (end EC2 and network)
import { AdminRoutes } from './admin.js';
import { readConfig, rootKeysOf } from './config.js';
import { HttpFront } from './http-front.js';
import { inThreadTransport } from './transport.js';
import type { Transport } from './transport.js';
import type { Logger } from './logger.js';
import { jsonLogger } from './logger.js';
import { Pipeline } from './pipeline.js';
import type { Arrival, EndpointGate } from './pipeline.js';

export interface AppOptions {
  host?: string;
  port?: number;
  dataDir: string;
  configFile?: string;
  clock?: Clock;
  ids?: IdSource;
  logger?: Logger;
  /** When false, the scheduler only moves when a test calls `scheduler.step()`. */
  autoSchedule?: boolean;
  /** Grace period between SIGTERM and SIGKILL when a job is terminated. */
  killGraceMs?: number;
  /** Multiplies job attempt timeouts (tests use a small factor; the service uses 1). */
  timeoutScale?: number;
  /** A Slurm cluster's slurm.conf: compute environments tagged batchlink:executor=slurm run there. */
  slurmConf?: string;
  /** SubmitJob requests per second per account before 429 TooManyRequestsException (off when absent). */
  submitJobRateLimit?: number;
  /**
   * Where listening sockets, HTTP parsing and response writes live: a second thread (true, the
   * default) or the thread that runs the pipeline and the store (false).
   */
  httpThread?: boolean;
  /** Port of the VPC resolvers' DNS server (default: BATCHLINK_DNS_PORT, else any free port when `port` is 0, else 53 as root, else any free port). */
  dnsPort?: number;
}

export interface App {
  host: string;
  port: number;
  url: string;
  db: Db;
  scheduler: Scheduler;
  batch: BatchDomain;
  admin: AdminRoutes;
  pipeline: Pipeline;
  close(): Promise<void>;
}

export async function startApp(options: AppOptions): Promise<App> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const logger = options.logger ?? jsonLogger();
  // Started first: the front thread boots while the store opens.
  const transport: Transport = options.httpThread === false ? inThreadTransport(logger) : new HttpFront(logger);
  const config = readConfig(options.configFile);
  const dbFile = join(options.dataDir, 'batchlink.db');
  const db = openDatabase(dbFile);
  const uow = unitOfWork(db);
  const checkpointer = startCheckpointer(db, dbFile, (error) =>
    logger.warn('the WAL checkpoint worker stopped; SQLite checkpoints in the server thread again', { error: error.message }),
  );
  const admin = new AdminRoutes();
  const closers: Array<() => Promise<void> | void> = [];

  // Identity: root keys first, then IAM users' keys and STS sessions (IAM/STS state, seeded from
  // the config file's users/roles/policies). The identity authorizer evaluates identity policies
  // and, for requests through an endpoint, that endpoint's policy (read from `vpcEndpoints`,
  // built below; called only at request time).
  const identity = buildIdentity(db, clock, ids);
  applyIdentityConfig(identity, DEFAULT_ACCOUNT_ROLES, 'built-in default roles');
  applyIdentityConfig(identity, config.raw, options.configFile);
  const roleDirectory: RoleDirectory = {
    roleExists: (accountId, value) => (value.startsWith('arn:') ? identity.roles.findByArn(value) : identity.roles.find(accountId, value)) !== undefined,
    instanceProfileExists: (accountId, value) => identity.instanceProfiles.findByArnOrName(accountId, value) !== undefined,
  };
  const credentialSources: CredentialLookup[] = [new StaticCredentials([DEFAULT_ROOT_KEY, ...rootKeysOf(config)]), new IamCredentials(identity)];
  const authorizer: Authorizer = new IdentityAuthorizer(identity, {
    // The listener read the endpoint (and its policy) when the request arrived.
    endpointPolicy: (endpoint) => endpoint.policyDocument,
  });
  const identityServices: ServiceDefinition[] = [createIamService(identity), createStsService(identity)];
  // (end Identity)
  let endpointGate: EndpointGate | undefined = undefined;

  // CloudWatch Logs.
  const logs = new CloudWatchLogs({
    groups: new DocumentTable(db, 'log-group'),
    streams: new DocumentTable(db, 'log-stream'),
    events: new LogEventTable(db),
    clock,
    uow,
  });

  // AWS Batch: domain, local executor, scheduler.
  const jobs = new JobTable(db);
  const batch = new BatchDomain({
    computeEnvironments: new DocumentTable(db, 'compute-environment'),
    jobQueues: countWrites(new DocumentTable(db, 'job-queue')),
    jobDefinitions: countWrites(new DocumentTable(db, 'job-definition')),
    revisions: countWrites(new DocumentTable(db, 'job-definition-revision')),
    jobs,
    uow,
    clock,
    ids,
    ...(options.submitJobRateLimit ? { submitJobRateLimit: options.submitJobRateLimit } : {}),
    roles: roleDirectory,
    // Scheduling policies, consumable resources, service environments/jobs, quota shares.
    schedulingPolicies: new DocumentTable(db, 'scheduling-policy'),
    consumableResources: new DocumentTable(db, 'consumable-resource'),
    serviceEnvironments: new DocumentTable(db, 'service-environment'),
    serviceJobs: new DocumentTable(db, 'service-job'),
    quotaShares: new DocumentTable(db, 'quota-share'),
  });
  const executor = new LocalExecutor({ workRoot: join(options.dataDir, 'jobs'), clock, killGraceMs: options.killGraceMs ?? 5000, timeoutScale: options.timeoutScale ?? 1, logger });
  // Slurm (optional): --slurm-conf, BATCHLINK_SLURM_CONF, or the config file's executors.slurm.
  const slurmConfig = resolveSlurmConfig({ ...(options.slurmConf ? { flag: options.slurmConf } : {}), env: process.env, raw: config.raw, ...(options.configFile ? { file: options.configFile } : {}) });
  const slurm = slurmConfig
    ? new SlurmExecutor({ ...slurmConfig, stateDir: join(options.dataDir, 'slurm'), clock, logger, timeoutScale: options.timeoutScale ?? 1 })
    : undefined;
  const scheduler = new Scheduler({
    batch,
    jobs,
    executors: { local: executor, ...(slurm ? { slurm } : {}) },
    defaultExecutor: 'local',
    logSink: logs,
    uow,
    clock,
    logger,
    auto: options.autoSchedule ?? true,
    hostInstanceId: hostInstanceId(options.dataDir),
  });
  // Service jobs (SubmitServiceJob) run on the same executor; the runner passes other jobs' events on.
  const serviceJobRunner = new ServiceJobRunner({ deps: batch.deps, runs: batch.serviceJobs.runs, executor, logSink: logs, next: scheduler });
  executor.attach(groupCommitted(serviceJobRunner, uow));
  serviceJobRunner.recover();
  slurm?.attach(groupCommitted(scheduler, uow));
  scheduler.addPass(() => serviceJobRunner.step());
  batch.onChange = () => scheduler.wake();
  batch.stopRunning = (record, reason) => scheduler.terminate(record, reason);
  scheduler.recover();
  closers.push(() => scheduler.stop(), () => executor.close(), () => slurm?.close());

  // EC2 and network: VPCs, subnets, security groups, gateways, route tables, NAT gateways, tags.
  // `network.hooks` takes dependency checks and extra taggable kinds (VPC endpoints, ENIs);
  // `networkLookup(network, networkRepos)` (network/network-lookup.ts) is the endpoint rules' view.
  const networkRepos = networkRepositories(db);
  const network = new NetworkDomain({ ...networkRepos, uow, clock, ids });
  const ec2Options: Ec2ServiceOptions = {};
  // PrivateLink: VPC endpoints and their network interfaces, the gate every endpoint request passes.
  // Write-counted, so the endpoint listeners can keep each interface's request context until a change.
  const endpointTable = countWrites(new DocumentTable<VpcEndpoint>(db, 'vpc-endpoint'));
  const endpointInterfaceTable = countWrites(new DocumentTable<EndpointNetworkInterface>(db, 'endpoint-network-interface'));
  const vpcEndpoints = new VpcEndpoints({ endpoints: endpointTable, interfaces: endpointInterfaceTable, network: networkLookup(network, networkRepos), uow, clock, ids });
  registerEndpointHooks(network.hooks, endpointTable, endpointInterfaceTable);
  ec2Options.endpoints = vpcEndpoints;
  endpointGate = createEndpointGate();
  const ec2Services: ServiceDefinition[] = [createEc2Service(network, ec2Options)];
  // (end EC2 and network)

  const services: ServiceDefinition[] = [createBatchService(batch), createLogsService(logs), ...identityServices, ...ec2Services];

  const pipeline = new Pipeline({
    services,
    verifier: new SigV4Verifier(chainCredentials(...credentialSources), () => clock.now()),
    authorizer,
    ...(endpointGate ? { endpointGate } : {}),
    clock,
    ids,
    logger,
    durability: uow,
  });

  admin.register('/_batchlink/health', () => ({ status: 'ok' }));
  const gateway = await transport
    .listen({
      host,
      port: options.port ?? 4566,
      handler: async (request, remoteAddress) => {
        const answered = admin.answer(request);
        if (answered) return answered;
        const arrival: Arrival = { kind: 'gateway', sourceIp: remoteAddress };
        return pipeline.handle(request, arrival);
      },
    })
    .catch(async (error: unknown) => {
      await transport.close(); // a front thread left running would keep the process alive
      throw error;
    });
  const port = gateway.port;
  const url = `http://${host}:${port}`;
  // PrivateLink data path: endpoint listeners (same port as the gateway) and the VPC resolvers' DNS.
  const privateLink = await PrivateLink.start({
    endpoints: vpcEndpoints,
    resolverAssignments: new DocumentTable(db, 'vpc-resolver'),
    uow,
    pipeline,
    transport,
    gatewayHost: host,
    port,
    dnsPort: options.dnsPort ?? defaultDnsPort(options.port),
    servedServices: services.map((service) => service.signingName),
    logger,
    endpointsRevision: () => endpointTable.revision() + endpointInterfaceTable.revision(),
  });
  for (const service of ec2Services) refreshResolversAfterVpcChanges(service.operations, () => privateLink.refreshResolvers());
  admin.register('/_batchlink/network', () => privateLink.networkMap());
  closers.unshift(() => privateLink.close());
  // (end PrivateLink data path)
  scheduler.start();

  let closed = false;
  return {
    host,
    port,
    url,
    db,
    scheduler,
    batch,
    admin,
    pipeline,
    async close() {
      if (closed) return;
      closed = true;
      await gateway.close();
      for (const close of closers) await close();
      await transport.close();
      uow.flush();
      await checkpointer.stop();
      db.close();
    },
  };
}

/** A stable EC2-style instance id for this data directory: the "host" local jobs run on. */
function hostInstanceId(dataDir: string): string {
  return `i-${createHash('sha256').update(dataDir).digest('hex').slice(0, 17)}`;
}
