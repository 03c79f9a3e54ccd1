/**
 * The roles AWS Batch's first-run wizard creates, present from the start in the default account
 * (000000000000) so that the quick start's `instanceRole=ecsInstanceRole` and a job definition's
 * `ecsTaskExecutionRole` resolve. Other accounts start empty, as in AWS.
 */
const trust = (service: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});

export const DEFAULT_ACCOUNT_ROLES = {
  accounts: [
    {
      id: '000000000000',
      roles: [
        {
          name: 'ecsInstanceRole',
          assumeRolePolicyDocument: trust('ec2.amazonaws.com'),
          attachedPolicies: ['arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role'],
        },
        {
          name: 'ecsTaskExecutionRole',
          assumeRolePolicyDocument: trust('ecs-tasks.amazonaws.com'),
          attachedPolicies: ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'],
        },
        {
          name: 'AWSBatchServiceRole',
          path: '/service-role/',
          assumeRolePolicyDocument: trust('batch.amazonaws.com'),
          attachedPolicies: ['arn:aws:iam::aws:policy/service-role/AWSBatchServiceRole'],
        },
      ],
      instanceProfiles: [{ name: 'ecsInstanceRole', roles: ['ecsInstanceRole'] }],
    },
  ],
};
