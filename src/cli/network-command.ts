/**
 * `batchlink network`: prints where each VPC's resolver and each endpoint network interface
 * listen, read from a running gateway's `GET /_batchlink/network`.
 */
import type { NetworkMap } from '../server/privatelink.js';

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function formatNetwork(map: NetworkMap): string {
  const out: string[] = [`Gateway: ${map.gateway}`, ''];
  out.push('VPC resolvers (Amazon-provided DNS):');
  out.push(
    map.vpcs.length === 0
      ? '  (no VPCs)'
      : table(
          ['VPC', 'ACCOUNT', 'REGION', 'RESOLVER', 'LISTENING'],
          map.vpcs.map((vpc) => [vpc.vpcId, vpc.accountId, vpc.region, vpc.resolver, vpc.listening ? 'yes' : 'no']),
        ),
  );
  out.push('', 'Endpoint network interfaces:');
  out.push(
    map.interfaces.length === 0
      ? '  (no interface endpoints)'
      : table(
          ['ENDPOINT', 'SERVICE', 'STATE', 'PRIVATE DNS', 'VPC', 'SUBNET', 'AZ', 'ENI', 'PRIVATE IP', 'LISTEN'],
          map.interfaces.map((eni) => [
            eni.vpcEndpointId,
            eni.serviceName,
            eni.state,
            eni.privateDnsEnabled ? 'on' : 'off',
            eni.vpcId,
            eni.subnetId,
            eni.availabilityZone,
            eni.networkInterfaceId,
            eni.privateIpAddress,
            eni.listening ? eni.listen : `${eni.listen} (closed)`,
          ]),
        ),
  );
  return out.join('\n');
}

export async function printNetwork(gatewayUrl: string, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const url = new URL('/_batchlink/network', gatewayUrl);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`Cannot reach batchlink at ${gatewayUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw new Error(`batchlink at ${gatewayUrl} answered ${response.status} for ${url.pathname}`);
  const map = (await response.json()) as NetworkMap;
  out.write(`${formatNetwork(map)}\n`);
}
