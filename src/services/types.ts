/**
 * What a service is to the pipeline: its signing name, its codec, its operation table keyed
 * by the exact AWS operation name, how its protocol spells auth and access errors, and which
 * IAM actions and resources each operation is authorized against.
 */
import type { RequestContext } from '../core/context.js';
import type { ApiError, AuthFailure } from '../core/errors.js';
import type { Codec } from '../protocol/http.js';

// Handlers receive the decoded input; each handler validates it before use.
export type Input = Record<string, unknown>;
export type Handler = (input: Input, ctx: RequestContext) => unknown;

/** One authorization check: an action on a resource, with request-specific condition keys. */
export interface AuthorizationTarget {
  action: string; // e.g. batch:SubmitJob
  resource: string; // an ARN or '*'
  context?: Record<string, string | string[] | boolean | number>;
}

export interface ProtocolErrors {
  auth(failure: AuthFailure): ApiError;
  accessDenied(message: string): ApiError;
  internal(): ApiError;
}

export interface ServiceDefinition {
  signingName: string;
  actionPrefix: string;
  /** IAM and STS are global: their resources are not region-scoped. */
  global?: boolean;
  codec: Codec;
  errors: ProtocolErrors;
  operations: Record<string, Handler>;
  /** The authorization checks an operation needs; default: `<prefix>:<Operation>` on `*`. */
  authorization?: (operation: string, input: Input, ctx: RequestContext) => AuthorizationTarget[];
  /**
   * Operations whose handler makes its writes atomic itself (a single statement, or its own
   * unit-of-work transaction) after all its checks: the pipeline runs them without a savepoint.
   */
  selfAtomic?: ReadonlySet<string>;
}

export interface Authorizer {
  /** Throws AccessDenied with AWS's message when the request is not allowed. */
  authorize(ctx: RequestContext, targets: AuthorizationTarget[]): void;
}
