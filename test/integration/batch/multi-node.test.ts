/**
 * Multi-node parallel jobs: one process per node `<id>#<node>` with AWS_BATCH_JOB_NODE_INDEX,
 * AWS_BATCH_JOB_NUM_NODES, AWS_BATCH_JOB_MAIN_NODE_INDEX and the main node's address; the job
 * ends with its main node and the other nodes are stopped.
 */
import assert from 'node:assert/strict';
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

const script = 'echo "node $AWS_BATCH_JOB_NODE_INDEX of $AWS_BATCH_JOB_NUM_NODES main $AWS_BATCH_JOB_MAIN_NODE_INDEX at $AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS"; if [ "$AWS_BATCH_JOB_NODE_INDEX" != 0 ]; then sleep 30; fi';

test('a 3-node job runs one process per node; it SUCCEEDS with its main node and the other nodes are stopped', async () => {
  await batch.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'mnp',
      type: 'multinode',
      nodeProperties: { numNodes: 3, mainNode: 0, nodeRangeProperties: [{ targetNodes: '0:', container: { image: 'busybox', vcpus: 1, memory: 64, command: ['sh', '-c', script] } }] },
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
  assert.equal(line.events?.[0]?.message, 'node 0 of 3 main 0 at 127.0.0.1');
  for (const i of [1, 2]) {
    const node = await waitForStatus(batch, `${jobId}#${i}`, ['FAILED']);
    assert.equal(node.statusReason, 'The main node of this multi-node parallel job ended');
  }
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
