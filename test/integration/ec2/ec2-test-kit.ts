/**
 * Shared pieces of the EC2 integration tests: a server with an EC2 client, an error assertion
 * that checks AWS's code and message, and a VPC factory.
 */
import assert from 'node:assert/strict';
import { CreateVpcCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';

export interface Ec2Kit {
  server: TestServer;
  ec2: EC2Client;
  close(): Promise<void>;
}

export async function startEc2(): Promise<Ec2Kit> {
  const server = await startTestServer();
  const ec2 = new EC2Client(server.clientConfig);
  return {
    server,
    ec2,
    async close() {
      ec2.destroy();
      await server.close();
    },
  };
}

/** Awaits a rejection and checks the EC2 error code (and message, exact or by pattern). */
export async function rejects(promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<EC2ServiceException> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EC2ServiceException, `expected an EC2 error, got ${String(error)}`);
    assert.equal(error.name, code, error.message);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return error;
  }
  assert.fail(`expected ${code}`);
}

let nextSecondOctet = 0;
/** Creates a VPC with a fresh 10.x.0.0/16 block (or the given CIDR) and returns its id. */
export async function newVpc(ec2: EC2Client, cidr?: string): Promise<string> {
  const block = cidr ?? `10.${200 + (nextSecondOctet++ % 50)}.0.0/16`;
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: block }));
  assert.ok(Vpc?.VpcId);
  return Vpc.VpcId;
}
