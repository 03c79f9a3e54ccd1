/**
 * Shared pieces of the EC2 integration tests (the PrivateLink tests reuse them): a server with an
 * EC2 client, an error assertion that checks AWS's code and message, and a VPC factory.
 */
import assert from 'node:assert/strict';
import { CreateVpcCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { rejectsWith } from '../../helpers/assertions.js';
import { startWithClient } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';

export interface Ec2Kit {
  server: TestServer;
  ec2: EC2Client;
  close(): Promise<void>;
}

export async function startEc2(): Promise<Ec2Kit> {
  const { server, client, close } = await startWithClient(EC2Client);
  return { server, ec2: client, close };
}

/** Awaits a rejection and checks it is an EC2 error with the code (and message, exact or by pattern). */
export function rejects(promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<EC2ServiceException> {
  return rejectsWith(promise, code, message, EC2ServiceException);
}

let nextSecondOctet = 0;
/** Creates a VPC with a fresh 10.x.0.0/16 block (or the given CIDR) and returns its id. */
export async function newVpc(ec2: EC2Client, cidr?: string): Promise<string> {
  const block = cidr ?? `10.${200 + (nextSecondOctet++ % 50)}.0.0/16`;
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: block }));
  assert.ok(Vpc?.VpcId);
  return Vpc.VpcId;
}
