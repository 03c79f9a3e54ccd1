/**
 * The README's walk-through, typed as a user types it: the stock AWS CLI (v1 on PATH, and AWS
 * CLI v2 from Debian at /usr/bin/aws when installed) creates a compute environment, a queue and
 * a job definition, submits a job, watches it succeed and reads its log line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, waitFor } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { awsCli, installedClis } from '../helpers/aws-cli.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

for (const [label, cli] of installedClis()) {
  describe(label, () => {
    test('the README walk-through: create, submit, watch it succeed, read its log', { skip: cli ? false : `${label} is not installed` }, async () => {
      const suffix = label.includes('v2') ? 'v2' : 'v1';
      const aws = awsCli(cli as string, server.app.url);
      await aws('batch', 'create-compute-environment', '--compute-environment-name', `ce-${suffix}`, '--type', 'MANAGED', '--compute-resources', 'type=FARGATE,maxvCpus=4,subnets=subnet-0123456789abcdef0,securityGroupIds=sg-0123456789abcdef0');
      await waitFor(async () => {
        const out = (await aws('batch', 'describe-compute-environments', '--compute-environments', `ce-${suffix}`)) as { computeEnvironments: Array<{ status: string }> };
        return out.computeEnvironments[0]?.status === 'VALID';
      }, 'VALID', 30_000);
      await aws('batch', 'create-job-queue', '--job-queue-name', `q-${suffix}`, '--priority', '1', '--compute-environment-order', `order=1,computeEnvironment=ce-${suffix}`);
      await aws(
        'batch', 'register-job-definition', '--job-definition-name', `hello-${suffix}`, '--type', 'container', '--platform-capabilities', 'FARGATE',
        '--container-properties', JSON.stringify({
          image: 'public.ecr.aws/docker/library/busybox:latest',
          command: ['sh', '-c', 'echo hello from $AWS_BATCH_JOB_ID'],
          resourceRequirements: [{ type: 'VCPU', value: '0.25' }, { type: 'MEMORY', value: '512' }],
          executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
        }),
      );
      const submitted = (await aws('batch', 'submit-job', '--job-name', 'hello', '--job-queue', `q-${suffix}`, '--job-definition', `hello-${suffix}`)) as { jobId: string };
      const job = await waitFor(async () => {
        const out = (await aws('batch', 'describe-jobs', '--jobs', submitted.jobId)) as { jobs: Array<{ status: string; container: { logStreamName: string } }> };
        const j = out.jobs[0];
        return j && (j.status === 'SUCCEEDED' || j.status === 'FAILED') ? j : undefined;
      }, 'the job to finish', 30_000);
      assert.equal(job.status, 'SUCCEEDED');
      const events = (await aws('logs', 'get-log-events', '--log-group-name', '/aws/batch/job', '--log-stream-name', job.container.logStreamName)) as { events: Array<{ message: string }> };
      assert.deepEqual(events.events.map((e) => e.message), [`hello from ${submitted.jobId}`]);
      const listed = (await aws('batch', 'list-jobs', '--job-queue', `q-${suffix}`, '--job-status', 'SUCCEEDED')) as { jobSummaryList: Array<{ jobId: string }> };
      assert.deepEqual(listed.jobSummaryList.map((j) => j.jobId), [submitted.jobId]);
    });
  });
}
