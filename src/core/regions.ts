/**
 * Partitions and regions that batchlink knows: every commercial region plus the two China
 * regions. Availability zones follow AWS's naming (`<region>a`, `b`, …) with zone ids
 * `<short>-az<N>`.
 */
export interface Partition {
  name: 'aws' | 'aws-cn';
  dnsSuffix: string; // amazonaws.com / amazonaws.com.cn
  dualStackSuffix: string; // api.aws / api.amazonwebservices.com.cn
  serviceNamePrefix: string; // 'com.amazonaws' / 'cn.com.amazonaws'
}

export const PARTITIONS: Record<Partition['name'], Partition> = {
  aws: { name: 'aws', dnsSuffix: 'amazonaws.com', dualStackSuffix: 'api.aws', serviceNamePrefix: 'com.amazonaws' },
  'aws-cn': {
    name: 'aws-cn',
    dnsSuffix: 'amazonaws.com.cn',
    dualStackSuffix: 'api.amazonwebservices.com.cn',
    serviceNamePrefix: 'cn.com.amazonaws',
  },
};

/** region -> number of availability zones (as AWS offers them to a new account). */
const REGION_ZONES: Record<string, number> = {
  'us-east-1': 6,
  'us-east-2': 3,
  'us-west-1': 2,
  'us-west-2': 4,
  'af-south-1': 3,
  'ap-east-1': 3,
  'ap-east-2': 3,
  'ap-south-1': 3,
  'ap-south-2': 3,
  'ap-southeast-1': 3,
  'ap-southeast-2': 3,
  'ap-southeast-3': 3,
  'ap-southeast-4': 3,
  'ap-southeast-5': 3,
  'ap-southeast-7': 3,
  'ap-northeast-1': 3,
  'ap-northeast-2': 4,
  'ap-northeast-3': 3,
  'ca-central-1': 3,
  'ca-west-1': 3,
  'eu-central-1': 3,
  'eu-central-2': 3,
  'eu-west-1': 3,
  'eu-west-2': 3,
  'eu-west-3': 3,
  'eu-south-1': 3,
  'eu-south-2': 3,
  'eu-north-1': 3,
  'il-central-1': 3,
  'me-south-1': 3,
  'me-central-1': 3,
  'mx-central-1': 3,
  'sa-east-1': 3,
  'cn-north-1': 3,
  'cn-northwest-1': 3,
};

export function isKnownRegion(region: string): boolean {
  return region in REGION_ZONES;
}

export function knownRegions(): string[] {
  return Object.keys(REGION_ZONES);
}

export function partitionOf(region: string): Partition {
  return region.startsWith('cn-') ? PARTITIONS['aws-cn'] : PARTITIONS.aws;
}

export function availabilityZones(region: string): string[] {
  const count = REGION_ZONES[region] ?? 0;
  return Array.from({ length: count }, (_, i) => `${region}${String.fromCharCode(97 + i)}`);
}

/** AWS zone ids look like `use1-az1`: a short region code plus a number. */
export function zoneId(zoneName: string): string {
  const region = zoneName.slice(0, -1);
  const index = zoneName.charCodeAt(zoneName.length - 1) - 96;
  const [area = '', direction = '', number = ''] = region.split('-');
  const short = `${area}${direction.replace('northeast', 'ne').replace('southeast', 'se').replace('central', 'c').replace('north', 'n').replace('south', 's').replace('east', 'e').replace('west', 'w')}${number}`;
  return `${short}-az${index}`;
}
