/**
 * ARN building and parsing (`arn:<partition>:<service>:<region>:<account>:<resource>`).
 */
import { partitionOf } from './regions.js';

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function buildArn(service: string, region: string, account: string, resource: string): string {
  const partition = partitionOf(region || 'us-east-1').name;
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

export function parseArn(text: string): Arn | undefined {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', account = ''] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}
