/**
 * The IAM and STS records batchlink keeps: users, access keys, roles, customer managed
 * policies (with versions), instance profiles and STS sessions. Field names follow the IAM
 * API's; times are epoch milliseconds. IAM is global: records live in scope `{accountId, region: ''}`.
 */
export interface Tag {
  Key: string;
  Value: string;
}

export interface InlinePolicy {
  name: string;
  document: string; // the JSON text as submitted
}

export interface UserRecord {
  accountId: string;
  userName: string;
  userId: string; // AIDA…
  path: string;
  arn: string;
  createdAt: number;
  tags: Tag[];
  inlinePolicies: InlinePolicy[];
  attachedPolicies: string[]; // managed policy ARNs
}

export interface AccessKeyRecord {
  accessKeyId: string; // AKIA…
  secretAccessKey: string;
  accountId: string;
  userName: string;
  status: 'Active' | 'Inactive';
  createdAt: number;
}

export interface RoleRecord {
  accountId: string;
  roleName: string;
  roleId: string; // AROA…
  path: string;
  arn: string;
  createdAt: number;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number; // seconds, 3600..43200
  tags: Tag[];
  inlinePolicies: InlinePolicy[];
  attachedPolicies: string[];
}

export interface PolicyVersionRecord {
  versionId: string; // v1, v2, …
  document: string;
  createdAt: number;
}

export interface ManagedPolicyRecord {
  accountId: string; // 'aws' for AWS managed policies
  policyName: string;
  policyId: string; // ANPA…
  path: string;
  arn: string;
  description?: string;
  createdAt: number;
  updatedAt: number;
  defaultVersionId: string;
  versions: PolicyVersionRecord[];
  nextVersion: number;
  tags: Tag[];
}

export interface InstanceProfileRecord {
  accountId: string;
  instanceProfileName: string;
  instanceProfileId: string; // AIPA…
  path: string;
  arn: string;
  createdAt: number;
  roleNames: string[];
  tags: Tag[];
}

/** An STS AssumeRole session: temporary credentials that sign as the assumed-role principal. */
export interface SessionRecord {
  accessKeyId: string; // ASIA…
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
  accountId: string;
  roleArn: string;
  roleName: string;
  roleId: string;
  sessionName: string;
  arn: string; // arn:aws:sts::ACCT:assumed-role/ROLE/SESSION
  chained: boolean; // assumed by an assumed-role session (role chaining)
  createdAt: number;
}
