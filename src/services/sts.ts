/**
 * The STS service (awsQuery, version 2011-06-15): GetCallerIdentity (needs no permission, as in
 * AWS) and AssumeRole (trust policy and the caller's identity policies evaluated together by
 * the domain). Output element names as botocore's sts model spells them.
 */
import type { RequestContext } from '../core/context.js';
import * as c from '../iam/errors.js';
import type { IdentityDomain } from '../iam/identity.js';
import { queryProtocolErrors } from '../protocol/auth-errors.js';
import { AwsQueryCodec } from '../protocol/aws-query.js';
import type { AuthorizationTarget, Handler, Input, ServiceDefinition } from './types.js';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function createStsOperations(iam: IdentityDomain): Record<string, Handler> {
  return {
    GetCallerIdentity: (_input: Input, ctx: RequestContext) => ({
      UserId: ctx.principal.userId,
      Account: ctx.principal.accountId,
      Arn: ctx.principal.arn,
    }),
    AssumeRole: (input: Input, ctx: RequestContext) => {
      const roleArn = c.requiredText(input, 'RoleArn', c.ARN);
      const roleSessionName = c.requiredText(input, 'RoleSessionName', c.SESSION_NAME);
      const durationSeconds = c.optionalInt(input, 'DurationSeconds', { min: 900, max: 43200 });
      const externalId = c.optionalText(input, 'ExternalId', {
        min: 2,
        max: 1224,
        pattern: /[\w+=,.@:/-]*/,
        patternText: '[\\w+=,.@:\\/-]*',
      });
      const sourceIdentity = c.optionalText(input, 'SourceIdentity', c.SESSION_NAME);
      const session = iam.tokens.assumeRole(ctx.principal, {
        roleArn,
        roleSessionName,
        ...(durationSeconds !== undefined ? { durationSeconds } : {}),
        ...(externalId !== undefined ? { externalId } : {}),
        ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
      });
      return {
        Credentials: {
          AccessKeyId: session.accessKeyId,
          SecretAccessKey: session.secretAccessKey,
          SessionToken: session.sessionToken,
          Expiration: new Date(session.expiresAt),
        },
        AssumedRoleUser: { AssumedRoleId: `${session.roleId}:${session.sessionName}`, Arn: session.arn },
        PackedPolicySize: input.Policy !== undefined ? 0 : undefined,
        SourceIdentity: sourceIdentity,
      };
    },
  };
}

/**
 * GetCallerIdentity needs no permission (as in AWS). AssumeRole is authorized inside the
 * operation, where trust and identity policies are evaluated together (a trust policy naming the
 * caller itself grants without an identity-policy allow).
 */
function stsAuthorization(): AuthorizationTarget[] {
  return [];
}

export function createStsService(iam: IdentityDomain): ServiceDefinition {
  const operations = createStsOperations(iam);
  return {
    signingName: 'sts',
    actionPrefix: 'sts',
    global: true,
    codec: new AwsQueryCodec({
      version: '2011-06-15',
      namespace: STS_NAMESPACE,
      operations: Object.keys(operations),
      integers: ['DurationSeconds'],
    }),
    errors: queryProtocolErrors,
    operations,
    authorization: () => stsAuthorization(),
  };
}
