/**
 * Benchmark of the policy engine (not a test): µs per authorizeRequest for a typical request
 * through an interface endpoint (two identity policies, an endpoint policy with a condition,
 * a context of ten keys), with and without re-parsing through the cache on each request.
 * Run: node --import tsx bench/policy-eval.ts
 */
import { authorizeRequest, parsePolicy, type NamedPolicy, type RequestPrincipal } from '../src/policy/index.js';

const ACCT = '111122223333';
const principal: RequestPrincipal = {
  arn: `arn:aws:sts::${ACCT}:assumed-role/Builder/ci`,
  accountId: ACCT,
  type: 'AssumedRole',
  roleArn: `arn:aws:iam::${ACCT}:role/Builder`,
  userId: 'AROABUILDER:ci',
};
const identityTexts = [
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Read', Effect: 'Allow', Action: ['batch:Describe*', 'batch:List*'], Resource: '*' },
      {
        Sid: 'Submit',
        Effect: 'Allow',
        Action: 'batch:SubmitJob',
        Resource: [
          `arn:aws:batch:us-east-1:${ACCT}:job-queue/\${aws:PrincipalTag/team}-*`,
          `arn:aws:batch:us-east-1:${ACCT}:job-definition/*:*`,
        ],
        Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' }, Bool: { 'aws:SecureTransport': 'true' } },
      },
      { Sid: 'Manage', Effect: 'Allow', Action: ['batch:CancelJob', 'batch:TerminateJob'], Resource: `arn:aws:batch:*:${ACCT}:job/*` },
    ],
  }),
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'NoDelete', Effect: 'Deny', Action: ['batch:Delete*', 'batch:Update*'], Resource: '*' },
      {
        Sid: 'OnlyViaEndpoint',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringNotEqualsIfExists: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
      },
    ],
  }),
];
const endpointText = JSON.stringify({
  Statement: [
    {
      Principal: '*',
      Effect: 'Allow',
      Action: ['batch:SubmitJob', 'batch:ListJobs', 'batch:DescribeJobs'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalAccount': ACCT } },
    },
  ],
});
const context = {
  'aws:SourceVpce': 'vpce-0123456789abcdef0',
  'aws:SourceVpc': 'vpc-0123456789abcdef0',
  'aws:RequestedRegion': 'us-east-1',
  'aws:SecureTransport': true,
  'aws:CurrentTime': '2026-06-01T12:00:00Z',
  'aws:EpochTime': 1780315200,
  'aws:PrincipalTag/team': 'research',
  'aws:SourceIp': '10.0.1.23',
  'aws:UserAgent': 'aws-sdk-js/3',
  'batch:ShareIdentifier': 'research',
};
const resource = `arn:aws:batch:us-east-1:${ACCT}:job-queue/research-gpu`;

function run(label: string, reparse: boolean): void {
  const fixed: NamedPolicy[] = identityTexts.map((text, i) => ({ name: `p${i}`, policy: parsePolicy(text, 'identity') }));
  const fixedEndpoint: NamedPolicy = { name: 'vpce', policy: parsePolicy(endpointText, 'endpoint') };
  const once = () => {
    const identityPolicies = reparse ? identityTexts.map((text, i) => ({ name: `p${i}`, policy: parsePolicy(text, 'identity') })) : fixed;
    const endpointPolicy = reparse ? { name: 'vpce', policy: parsePolicy(endpointText, 'endpoint') } : fixedEndpoint;
    return authorizeRequest({
      principal,
      principalIsRoot: false,
      action: 'batch:SubmitJob',
      resource,
      context,
      identityPolicies,
      endpointPolicy,
    });
  };
  if (!once().allowed) throw new Error('benchmark request should be allowed');
  for (let i = 0; i < 20_000; i++) once(); // warm-up
  const n = 200_000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) once();
  const micros = Number(process.hrtime.bigint() - start) / 1000 / n;
  console.log(`${label}: ${micros.toFixed(2)} µs per authorizeRequest`);
}

run('compiled policies held by the caller', false);
run('policies re-fetched through the parse cache', true);
