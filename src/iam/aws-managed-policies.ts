/**
 * A handful of AWS managed policies that AWS Batch setups attach, with their real ARNs, paths
 * and (default version) documents as AWS publishes them. They exist in every account, cannot be
 * changed or deleted, and ListPolicies `Scope=AWS` lists them.
 */
import type { ManagedPolicyRecord } from './model.js';

interface Entry {
  name: string;
  path: string;
  id: string;
  version: string;
  description: string;
  document: unknown;
}

const CREATED = Date.UTC(2015, 1, 6, 18, 40, 0);
const UPDATED = Date.UTC(2024, 0, 1, 0, 0, 0);

const ENTRIES: Entry[] = [
  {
    name: 'AdministratorAccess',
    path: '/',
    id: 'ANPAIWMBCKSKIEE64ZLYK',
    version: 'v1',
    description: 'Provides full access to AWS services and resources.',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
  {
    name: 'ReadOnlyAccess',
    path: '/',
    id: 'ANPAILL3HVNFSB6DCOWYQ',
    version: 'v1',
    description: 'Provides read-only access to AWS services and resources (batchlink keeps the Batch, EC2, IAM and Logs part).',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'batch:Describe*',
            'batch:List*',
            'ec2:Describe*',
            'iam:Get*',
            'iam:List*',
            'logs:Describe*',
            'logs:Get*',
            'logs:FilterLogEvents',
            'sts:GetCallerIdentity',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AWSBatchFullAccess',
    path: '/',
    id: 'ANPAJOLLFXFXWI6ZKZN4Y',
    version: 'v1',
    description: 'Provides full access for AWS Batch resources.',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'batch:*',
            'cloudwatch:GetMetricStatistics',
            'ec2:DescribeSubnets',
            'ec2:DescribeSecurityGroups',
            'ec2:DescribeKeyPairs',
            'ec2:DescribeVpcs',
            'ec2:DescribeImages',
            'ec2:DescribeLaunchTemplates',
            'ec2:DescribeLaunchTemplateVersions',
            'ecs:DescribeClusters',
            'ecs:Describe*',
            'ecs:List*',
            'eks:DescribeCluster',
            'eks:ListClusters',
            'logs:Describe*',
            'logs:Get*',
            'logs:TestMetricFilter',
            'logs:FilterLogEvents',
            'iam:ListInstanceProfiles',
            'iam:ListRoles',
          ],
          Resource: '*',
        },
        {
          Effect: 'Allow',
          Action: ['iam:PassRole'],
          Resource: [
            'arn:aws:iam::*:role/AWSBatchServiceRole',
            'arn:aws:iam::*:role/service-role/AWSBatchServiceRole',
            'arn:aws:iam::*:role/ecsInstanceRole',
            'arn:aws:iam::*:instance-profile/ecsInstanceRole',
            'arn:aws:iam::*:role/iaws-ec2-spot-fleet-role',
            'arn:aws:iam::*:role/aws-ec2-spot-fleet-role',
            'arn:aws:iam::*:role/AWSBatchJobRole*',
          ],
        },
        {
          Effect: 'Allow',
          Action: ['iam:CreateServiceLinkedRole'],
          Resource: 'arn:aws:iam::*:role/*Batch*',
          Condition: { StringEquals: { 'iam:AWSServiceName': 'batch.amazonaws.com' } },
        },
      ],
    },
  },
  {
    name: 'AWSBatchServiceRole',
    path: '/service-role/',
    id: 'ANPAIUETIXPCKASQJURFE',
    version: 'v1',
    description: 'Policy to enable AWS Batch to make calls to other AWS services on your behalf.',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ec2:DescribeAccountAttributes',
            'ec2:DescribeInstances',
            'ec2:DescribeInstanceStatus',
            'ec2:DescribeInstanceAttribute',
            'ec2:DescribeSubnets',
            'ec2:DescribeSecurityGroups',
            'ec2:DescribeKeyPairs',
            'ec2:DescribeImages',
            'ec2:DescribeImageAttribute',
            'ec2:DescribeSpotInstanceRequests',
            'ec2:DescribeSpotFleetInstances',
            'ec2:DescribeSpotFleetRequests',
            'ec2:DescribeSpotPriceHistory',
            'ec2:DescribeVpcClassicLink',
            'ec2:DescribeLaunchTemplateVersions',
            'ec2:CreateLaunchTemplate',
            'ec2:DeleteLaunchTemplate',
            'ec2:RequestSpotFleet',
            'ec2:CancelSpotFleetRequests',
            'ec2:ModifySpotFleetRequest',
            'ec2:TerminateInstances',
            'ec2:RunInstances',
            'autoscaling:DescribeAccountLimits',
            'autoscaling:DescribeAutoScalingGroups',
            'autoscaling:DescribeLaunchConfigurations',
            'autoscaling:DescribeAutoScalingInstances',
            'autoscaling:CreateLaunchConfiguration',
            'autoscaling:CreateAutoScalingGroup',
            'autoscaling:UpdateAutoScalingGroup',
            'autoscaling:SetDesiredCapacity',
            'autoscaling:DeleteLaunchConfiguration',
            'autoscaling:DeleteAutoScalingGroup',
            'autoscaling:CreateOrUpdateTags',
            'autoscaling:SuspendProcesses',
            'autoscaling:PutNotificationConfiguration',
            'autoscaling:TerminateInstanceInAutoScalingGroup',
            'ecs:DescribeClusters',
            'ecs:DescribeContainerInstances',
            'ecs:DescribeTaskDefinition',
            'ecs:DescribeTasks',
            'ecs:ListAccountSettings',
            'ecs:ListClusters',
            'ecs:ListContainerInstances',
            'ecs:ListTaskDefinitionFamilies',
            'ecs:ListTaskDefinitions',
            'ecs:ListTasks',
            'ecs:CreateCluster',
            'ecs:DeleteCluster',
            'ecs:RegisterTaskDefinition',
            'ecs:DeregisterTaskDefinition',
            'ecs:RunTask',
            'ecs:StartTask',
            'ecs:StopTask',
            'ecs:UpdateContainerAgent',
            'ecs:DeregisterContainerInstance',
            'logs:CreateLogGroup',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
            'logs:DescribeLogGroups',
            'iam:GetInstanceProfile',
            'iam:GetRole',
          ],
          Resource: '*',
        },
        { Effect: 'Allow', Action: 'ecs:TagResource', Resource: ['arn:aws:ecs:*:*:task/*_Batch_*'] },
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: ['*'],
          Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn', 'ecs-tasks.amazonaws.com'] } },
        },
        {
          Effect: 'Allow',
          Action: 'iam:CreateServiceLinkedRole',
          Resource: '*',
          Condition: {
            StringEquals: {
              'iam:AWSServiceName': ['spot.amazonaws.com', 'spotfleet.amazonaws.com', 'autoscaling.amazonaws.com', 'ecs.amazonaws.com'],
            },
          },
        },
        {
          Effect: 'Allow',
          Action: ['ec2:CreateTags'],
          Resource: ['*'],
          Condition: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } },
        },
      ],
    },
  },
  {
    name: 'AmazonEC2ContainerServiceforEC2Role',
    path: '/service-role/',
    id: 'ANPAJLYJCVHC7TQHCSQDS',
    version: 'v1',
    description: 'Default policy for the Amazon EC2 Role for Amazon EC2 Container Service.',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ec2:DescribeTags',
            'ecs:CreateCluster',
            'ecs:DeregisterContainerInstance',
            'ecs:DiscoverPollEndpoint',
            'ecs:Poll',
            'ecs:RegisterContainerInstance',
            'ecs:StartTelemetrySession',
            'ecs:UpdateContainerInstancesState',
            'ecs:Submit*',
            'ecr:GetAuthorizationToken',
            'ecr:BatchCheckLayerAvailability',
            'ecr:GetDownloadUrlForLayer',
            'ecr:BatchGetImage',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
          ],
          Resource: '*',
        },
        {
          Effect: 'Allow',
          Action: 'ecs:TagResource',
          Resource: '*',
          Condition: { StringEquals: { 'ecs:CreateAction': ['CreateCluster', 'RegisterContainerInstance'] } },
        },
      ],
    },
  },
  {
    name: 'AmazonECSTaskExecutionRolePolicy',
    path: '/service-role/',
    id: 'ANPAJG4T4G4PV56DE72PY',
    version: 'v1',
    description: 'Provides access to other AWS service resources that are required to run Amazon ECS tasks',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ecr:GetAuthorizationToken',
            'ecr:BatchCheckLayerAvailability',
            'ecr:GetDownloadUrlForLayer',
            'ecr:BatchGetImage',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AmazonEC2SpotFleetTaggingRole',
    path: '/service-role/',
    id: 'ANPAJ5U6UMLCEYLX5OLC4',
    version: 'v1',
    description: 'Allows EC2 Spot Fleet to request, terminate and tag Spot Instances on your behalf.',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ec2:DescribeImages',
            'ec2:DescribeSubnets',
            'ec2:RequestSpotInstances',
            'ec2:DescribeInstanceStatus',
            'ec2:RunInstances',
          ],
          Resource: ['*'],
        },
        {
          Effect: 'Allow',
          Action: ['ec2:TerminateInstances'],
          Resource: ['*'],
          Condition: { StringLike: { 'ec2:ResourceTag/aws:ec2spot:fleet-request-id': '*' } },
        },
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: ['*'],
          Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
        },
        {
          Effect: 'Allow',
          Action: ['ec2:CreateTags'],
          Resource: ['arn:aws:ec2:*:*:instance/*', 'arn:aws:ec2:*:*:spot-instances-request/*'],
          Condition: { StringEquals: { 'ec2:CreateAction': ['RunInstances', 'RequestSpotInstances'] } },
        },
      ],
    },
  },
  {
    name: 'CloudWatchLogsFullAccess',
    path: '/',
    id: 'ANPAJ3ZGNWK2R5HW5BQFO',
    version: 'v1',
    description: 'Provides full access to CloudWatch Logs',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:*'], Resource: '*' }] },
  },
];

const byArn = new Map<string, ManagedPolicyRecord>();
for (const entry of ENTRIES) {
  const arn = `arn:aws:iam::aws:policy${entry.path}${entry.name}`;
  byArn.set(arn, {
    accountId: 'aws',
    policyName: entry.name,
    policyId: entry.id,
    path: entry.path,
    arn,
    description: entry.description,
    createdAt: CREATED,
    updatedAt: UPDATED,
    defaultVersionId: entry.version,
    versions: [{ versionId: entry.version, document: JSON.stringify(entry.document), createdAt: UPDATED }],
    nextVersion: 2,
    tags: [],
  });
}

export function awsManagedPolicy(arn: string): ManagedPolicyRecord | undefined {
  return byArn.get(arn.replace(/^arn:aws-cn:/, 'arn:aws:'));
}

export function awsManagedPolicies(): ManagedPolicyRecord[] {
  return [...byArn.values()];
}
