/**
 * What DescribeRegions and DescribeAvailabilityZones report. Regions are those of the caller's
 * partition (aws or aws-cn), as AWS answers; opt-in regions report `opted-in` (batchlink enables
 * every region). Zones are the caller's region's, all `available`.
 */
import { ApiError } from '../core/errors.js';
import { availabilityZones, knownRegions, partitionOf, zoneId } from '../core/regions.js';
import type { FilterFields } from './filters.js';
import { applyFilters } from './filters.js';
import type { Filter } from './model.js';

/** Regions launched after March 2019 must be enabled by the account (AWS "opt-in" regions). */
const OPT_IN_REGIONS = new Set([
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
]);

export interface RegionInfo {
  regionName: string;
  endpoint: string;
  optInStatus: 'opt-in-not-required' | 'opted-in';
  tags: [];
}

export interface ZoneInfo {
  zoneName: string;
  zoneId: string;
  regionName: string;
  state: 'available';
  optInStatus: 'opt-in-not-required';
  groupName: string;
  networkBorderGroup: string;
  zoneType: 'availability-zone';
  tags: [];
}

const regionFields: FilterFields<RegionInfo> = {
  endpoint: (r) => r.endpoint,
  'region-name': (r) => r.regionName,
  'opt-in-status': (r) => r.optInStatus,
};

const zoneFields: FilterFields<ZoneInfo> = {
  'zone-name': (z) => z.zoneName,
  'zone-id': (z) => z.zoneId,
  'region-name': (z) => z.regionName,
  state: (z) => z.state,
  'opt-in-status': (z) => z.optInStatus,
  'group-name': (z) => z.groupName,
  'network-border-group': (z) => z.networkBorderGroup,
  'zone-type': (z) => z.zoneType,
};

export function describeRegions(callerRegion: string, regionNames: string[], filters: Filter[]): RegionInfo[] {
  const partition = partitionOf(callerRegion);
  const regions: RegionInfo[] = knownRegions()
    .filter((name) => partitionOf(name).name === partition.name)
    .sort()
    .map((name) => ({
      regionName: name,
      endpoint: `ec2.${name}.${partition.dnsSuffix}`,
      optInStatus: OPT_IN_REGIONS.has(name) ? 'opted-in' : 'opt-in-not-required',
      tags: [],
    }));
  for (const name of regionNames) {
    if (!regions.some((r) => r.regionName === name)) throw new ApiError('InvalidParameterValue', `Invalid region: [${name}]`);
  }
  const named = regionNames.length > 0 ? regions.filter((r) => regionNames.includes(r.regionName)) : regions;
  return applyFilters(named, filters, regionFields);
}

export function describeAvailabilityZones(region: string, zoneNames: string[], zoneIds: string[], filters: Filter[]): ZoneInfo[] {
  const zones: ZoneInfo[] = availabilityZones(region).map((zoneName) => ({
    zoneName,
    zoneId: zoneId(zoneName),
    regionName: region,
    state: 'available',
    optInStatus: 'opt-in-not-required',
    groupName: `${region}-zg-1`,
    networkBorderGroup: region,
    zoneType: 'availability-zone',
    tags: [],
  }));
  const unknown = [
    ...zoneNames.filter((n) => !zones.some((z) => z.zoneName === n)),
    ...zoneIds.filter((id) => !zones.some((z) => z.zoneId === id)),
  ];
  if (unknown.length > 0) throw new ApiError('InvalidParameterValue', `Invalid availability zone: [${unknown.join(', ')}]`);
  const named =
    zoneNames.length + zoneIds.length > 0 ? zones.filter((z) => zoneNames.includes(z.zoneName) || zoneIds.includes(z.zoneId)) : zones;
  return applyFilters(named, filters, zoneFields);
}
