/**
 * Multi-node parallel jobs: one process per node `<id>#<node>` with AWS_BATCH_JOB_NODE_INDEX,
 * AWS_BATCH_JOB_NUM_NODES, AWS_BATCH_JOB_MAIN_NODE_INDEX and the main node's address; the job
 * ends with its main node and the other nodes are stopped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BatchClient, DescribeJobsCommand, ListJobsCommand, RegisterJobDefinitionCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { createQueue, waitForStatus } from '../../helpers/batch-setup.js';

let server: TestServer;
let batch: BatchClient;
let logs: CloudWatchLogsClient;

before(async () => {
  server = await startTestServer();
  batch = new BatchClient(server.clientConfig);
  logs = new CloudWatchLogsClient(server.clientConfig);
  await createQueue(batch, 'mnp', 8);
});
after(async () => {
  batch.destroy();
  logs.destroy();
  await server.close();
});

// Child nodes mark a file once they have printed; the main node waits for both marks (up to 30 s),
// so every node's line is logged before the main node ends the job.
const script = [
  'echo "node $AWS_BATCH_JOB_NODE_INDEX of $AWS_BATCH_JOB_NUM_NODES main $AWS_BATCH_JOB_MAIN_NODE_INDEX at ${AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS-unset}"',
  'if [ "$AWS_BATCH_JOB_NODE_INDEX" != 0 ]; then touch "$SYNC_DIR/$AWS_BATCH_JOB_NODE_INDEX"; sleep 30; fi',
  'n=0; while [ ! -f "$SYNC_DIR/1" ] || [ ! -f "$SYNC_DIR/2" ]; do n=$((n+1)); [ $n -gt 600 ] && exit 1; sleep 0.05; done',
].join('; ');

test('a 3-node job runs one process per node; it SUCCEEDS with its main node and the other nodes are stopped', async () => {
  const syncDir = mkdtempSync(join(tmpdir(), 'batchlink-mnp-'));
  const environment = [{ name: 'SYNC_DIR', value: syncDir }];
  await batch.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'mnp',
      type: 'multinode',
      nodeProperties: { numNodes: 3, mainNode: 0, nodeRangeProperties: [{ targetNodes: '0:', container: { image: 'busybox', vcpus: 1, memory: 64, command: ['sh', '-c', script], environment } }] },
    }),
  );
  const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'mnp', jobQueue: 'mnp', jobDefinition: 'mnp' }));
  const parent = await waitForStatus(batch, jobId, ['SUCCEEDED', 'FAILED'], 30_000);
  assert.equal(parent.status, 'SUCCEEDED');
  assert.equal(parent.nodeProperties?.numNodes, 3);
  const nodes = await batch.send(new ListJobsCommand({ multiNodeJobId: jobId, filters: [{ name: 'JOB_NAME', values: ['mnp'] }] }));
  assert.deepEqual(nodes.jobSummaryList?.map((j) => j.jobId).sort(), [0, 1, 2].map((i) => `${jobId}#${i}`));
  const main = (await batch.send(new DescribeJobsCommand({ jobs: [`${jobId}#0`] }))).jobs?.[0];
  assert.equal(main?.status, 'SUCCEEDED');
  assert.deepEqual(main?.nodeDetails, { nodeIndex: 0, isMainNode: true });
  const line = await logs.send(new GetLogEventsCommand({ logGroupName: '/aws/batch/job', logStreamName: main?.container?.logStreamName, startFromHead: true }));
  // AWS sets the main node's address on child nodes only.
  assert.equal(line.events?.[0]?.message, 'node 0 of 3 main 0 at unset');
  for (const i of [1, 2]) {
    const node = await waitForStatus(batch, `${jobId}#${i}`, ['FAILED']);
    assert.equal(node.statusReason, 'The main node of this multi-node parallel job ended');
    const childLine = await logs.send(new GetLogEventsCommand({ logGroupName: '/aws/batch/job', logStreamName: node.container?.logStreamName, startFromHead: true }));
    assert.equal(childLine.events?.[0]?.message, `node ${i} of 3 main 0 at 127.0.0.1`);
  }
  rmSync(syncDir, { recursive: true, force: true });
});

test('nodeProperties: refuses a main node outside the node count and ranges that do not cover every node', async () => {
  const container = { image: 'b', vcpus: 1, memory: 8, command: ['true'] };
  await assert.rejects(
    batch.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'bad', type: 'multinode', nodeProperties: { numNodes: 2, mainNode: 2, nodeRangeProperties: [{ targetNodes: '0:', container }] } })),
    /mainNode/,
  );
  await assert.rejects(
    batch.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'bad', type: 'multinode', nodeProperties: { numNodes: 3, mainNode: 0, nodeRangeProperties: [{ targetNodes: '0:1', container }] } })),
    /cover every node/,
  );
});

test('a multi-node job that depends on another job runs its nodes once that job succeeds, and SUCCEEDS with its main node', async () => {
  await batch.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'mnp-quick',
      type: 'multinode',
      nodeProperties: { numNodes: 2, mainNode: 0, nodeRangeProperties: [{ targetNodes: '0:', container: { image: 'busybox', vcpus: 1, memory: 64, command: ['true'] } }] },
    }),
  );
  await batch.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'first', type: 'container', containerProperties: { image: 'busybox', vcpus: 1, memory: 64, command: ['true'] } }));
  const { jobId: first = '' } = await batch.send(new SubmitJobCommand({ jobName: 'first', jobQueue: 'mnp', jobDefinition: 'first' }));
  const { jobId = '' } = await batch.send(new SubmitJobCommand({ jobName: 'after', jobQueue: 'mnp', jobDefinition: 'mnp-quick', dependsOn: [{ jobId: first }] }));
  const job = await waitForStatus(batch, jobId, ['SUCCEEDED', 'FAILED'], 30_000);
  assert.equal(job.status, 'SUCCEEDED');
  assert.equal(job.attempts?.length ?? 0, 0, 'the parent itself never runs: its nodes do');
});
