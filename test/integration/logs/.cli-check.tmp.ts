import { execFileSync } from 'node:child_process';
import { startTestServer } from '/work/main/test/helpers/server.js';
const server = await startTestServer();
const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1' };
const aws = (...args: string[]) => {
  try { return execFileSync('aws', ['--endpoint-url', server.app.url, 'logs', ...args], { env, encoding: 'utf8' }); }
  catch (e) { return 'ERR ' + (e as { stderr: string }).stderr; }
};
try {
  console.log(aws('create-log-group', '--log-group-name', 'g'));
  console.log(aws('create-log-stream', '--log-group-name', 'g', '--log-stream-name', 's'));
  const now = Date.now();
  const events = JSON.stringify(Array.from({ length: 5 }, (_, i) => ({ timestamp: now + i, message: `line ${i}` })));
  console.log(aws('put-log-events', '--log-group-name', 'g', '--log-stream-name', 's', '--log-events', events));
  console.log(aws('get-log-events', '--log-group-name', 'g', '--log-stream-name', 's', '--limit', '2'));
  console.log(aws('filter-log-events', '--log-group-name', 'g', '--page-size', '2', '--filter-pattern', 'line'));
  console.log(aws('describe-log-streams', '--log-group-name', 'g', '--order-by', 'LastEventTime', '--descending'));
  console.log(aws('describe-log-groups'));
  console.log(aws('create-log-group', '--log-group-name', 'g'));
  console.log(aws('put-retention-policy', '--log-group-name', 'g', '--retention-in-days', '2'));
  console.log(aws('list-tags-log-group', '--log-group-name', 'g'));
} finally {
  await server.close();
}
