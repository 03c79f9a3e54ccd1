/**
 * The catalog of AWS endpoint services a VPC endpoint can connect to (what
 * DescribeVpcEndpointServices lists): AWS Batch first, plus the services a Batch workload in a
 * private subnet needs (ECS, ECR, S3, Logs, STS, Secrets Manager, DynamoDB, EC2). Names follow
 * AWS: `com.amazonaws.<region>.<service>`, in aws-cn `cn.com.amazonaws.<region>.<service>`.
 */
import { availabilityZones, isKnownRegion, partitionOf, zoneId } from '../core/regions.js';

export type EndpointServiceType = 'Interface' | 'Gateway';

export interface EndpointService {
  serviceName: string;
  /** The short name after the region, e.g. `batch`, `ecr.api`. */
  shortName: string;
  serviceType: EndpointServiceType;
  region: string;
  /** The SigV4 signing name of requests the service accepts (batch, logs, ecr, …). */
  signingName: string;
  /** The primary private DNS name (Interface endpoints only). */
  privateDnsName?: string;
  /** Every private DNS name (the primary first). */
  privateDnsNames: string[];
  /** `<short>.<region>.vpce.amazonaws.com`: the base of the endpoint-specific DNS names. */
  baseEndpointDnsName: string;
  availabilityZones: string[];
  policySupported: boolean;
}

interface CatalogEntry {
  short: string;
  signingName: string;
  types: EndpointServiceType[];
  /** Private DNS names relative to the region: `{r}` is the region, `{s}` the DNS suffix, `{d}` the dual-stack suffix. */
  dns?: string[];
  /** Regions where AWS offers the service (default: every region batchlink knows). */
  onlyIn?: string[];
  /** Regions where AWS does not offer an endpoint for the service. */
  notIn?: string[];
  /** Zone ids without the service (a constrained zone). */
  excludedZoneIds?: string[];
  policySupported?: boolean;
}

/** The services, in the order DescribeVpcEndpointServices lists them (sorted by name below). */
const CATALOG: CatalogEntry[] = [
  {
    short: 'batch',
    signingName: 'batch',
    types: ['Interface'],
    dns: ['batch.{r}.{s}', 'batch.{r}.{d}'],
    notIn: ['ap-northeast-3', 'ap-southeast-3'],
  },
  {
    short: 'batch-fips',
    signingName: 'batch',
    types: ['Interface'],
    dns: ['fips.batch.{r}.{s}'],
    onlyIn: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'],
    // FIPS endpoints are offered in fewer zones; in batchlink us-east-1c (use1-az3) lacks it.
    excludedZoneIds: ['use1-az3'],
  },
  { short: 'dynamodb', signingName: 'dynamodb', types: ['Gateway', 'Interface'], dns: [] },
  { short: 'ec2', signingName: 'ec2', types: ['Interface'], dns: ['ec2.{r}.{s}'] },
  { short: 'ecr.api', signingName: 'ecr', types: ['Interface'], dns: ['api.ecr.{r}.{s}'] },
  { short: 'ecr.dkr', signingName: 'ecr', types: ['Interface'], dns: ['*.dkr.ecr.{r}.{s}'] },
  { short: 'ecs', signingName: 'ecs', types: ['Interface'], dns: ['ecs.{r}.{s}'] },
  { short: 'ecs-agent', signingName: 'ecs', types: ['Interface'], dns: ['ecs-a.{r}.{s}'] },
  { short: 'ecs-telemetry', signingName: 'ecs', types: ['Interface'], dns: ['ecs-t.{r}.{s}'] },
  { short: 'logs', signingName: 'logs', types: ['Interface'], dns: ['logs.{r}.{s}'] },
  { short: 's3', signingName: 's3', types: ['Gateway', 'Interface'], dns: ['*.s3.{r}.{s}'] },
  { short: 'secretsmanager', signingName: 'secretsmanager', types: ['Interface'], dns: ['secretsmanager.{r}.{s}'] },
  { short: 'sts', signingName: 'sts', types: ['Interface'], dns: ['sts.{r}.{s}'] },
];

/** The service-name prefix of a region's partition, e.g. `com.amazonaws` / `cn.com.amazonaws`. */
function prefixFor(region: string, type: EndpointServiceType): string {
  const partition = partitionOf(region);
  // In the China regions the S3 and DynamoDB gateway endpoints keep the `com.amazonaws` prefix.
  if (partition.name === 'aws-cn' && type === 'Gateway') return 'com.amazonaws';
  return partition.serviceNamePrefix;
}

function offeredIn(entry: CatalogEntry, region: string): boolean {
  if (!isKnownRegion(region)) return false;
  if (entry.onlyIn && !entry.onlyIn.includes(region)) return false;
  return !(entry.notIn ?? []).includes(region);
}

function build(entry: CatalogEntry, region: string, type: EndpointServiceType): EndpointService {
  const partition = partitionOf(region);
  const names =
    type === 'Interface'
      ? (entry.dns ?? []).map((pattern) =>
          pattern.replace('{r}', region).replace('{s}', partition.dnsSuffix).replace('{d}', partition.dualStackSuffix),
        )
      : [];
  const zones = availabilityZones(region).filter((zone) => !(entry.excludedZoneIds ?? []).includes(zoneId(zone)));
  const service: EndpointService = {
    serviceName: `${prefixFor(region, type)}.${region}.${entry.short}`,
    shortName: entry.short,
    serviceType: type,
    region,
    signingName: entry.signingName,
    privateDnsNames: names,
    baseEndpointDnsName: `${entry.short}.${region}.vpce.${partition.dnsSuffix}`,
    availabilityZones: zones,
    policySupported: entry.policySupported ?? true,
  };
  if (names[0] !== undefined) service.privateDnsName = names[0];
  return service;
}

/** Every endpoint service offered in `region`, sorted by service name then type (Gateway first). */
export function endpointServicesIn(region: string): EndpointService[] {
  const out: EndpointService[] = [];
  for (const entry of CATALOG) {
    if (!offeredIn(entry, region)) continue;
    for (const type of entry.types) out.push(build(entry, region, type));
  }
  return out.sort((a, b) =>
    a.serviceName === b.serviceName ? a.serviceType.localeCompare(b.serviceType) : a.serviceName < b.serviceName ? -1 : 1,
  );
}

/**
 * The service named `serviceName` in `region` (of `type` when given: S3 and DynamoDB have both a
 * Gateway and an Interface service under one name). A name for another region is not found: AWS
 * offers no cross-Region endpoint services for AWS services.
 */
const found = new Map<string, EndpointService>();

/**
 * The catalog never changes: services found are remembered (every endpoint request looks one
 * up). Misses are not, so names sent by callers cannot grow the memory.
 */
export function findEndpointService(region: string, serviceName: string, type?: EndpointServiceType): EndpointService | undefined {
  const key = `${region} ${serviceName} ${type ?? ''}`;
  const known = found.get(key);
  if (known) return known;
  const service = lookUpEndpointService(region, serviceName, type);
  if (service) found.set(key, service);
  return service;
}

function lookUpEndpointService(region: string, serviceName: string, type?: EndpointServiceType): EndpointService | undefined {
  const matches = endpointServicesIn(region).filter((service) => service.serviceName === serviceName);
  if (type) return matches.find((service) => service.serviceType === type);
  // Without a type AWS creates a Gateway endpoint for services offering both.
  return matches.find((service) => service.serviceType === 'Gateway') ?? matches[0];
}

/** The zone id and name pairs the service supports (for DescribeVpcEndpointServices). */
export function zonesOf(service: EndpointService): Array<{ name: string; id: string }> {
  return service.availabilityZones.map((name) => ({ name, id: zoneId(name) }));
}
