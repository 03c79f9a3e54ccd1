/**
 * The one request pipeline (DESIGN.md §1): route -> authenticate -> decode -> authorize ->
 * invoke -> encode. Every listener (the gateway and each endpoint network interface) hands
 * its requests here. Validation happens inside each operation, before it touches state.
 */
import { AccessDenied, ApiError, AuthFailure } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import type { EndpointContext, RequestContext } from '../core/context.js';
import type { IdSource } from '../core/ids.js';
import { isKnownRegion, partitionOf } from '../core/regions.js';
import type { SigV4Verifier } from '../auth/sigv4.js';
import { readClaim } from '../auth/sigv4.js';
import type { SignatureClaim } from '../auth/sigv4.js';
import type { HttpRequest, HttpResponse } from '../protocol/http.js';
import type { Authorizer, ServiceDefinition } from '../services/types.js';
import type { Logger } from './logger.js';

/** Where a request came in: the public gateway, or an interface endpoint's network interface. */
export type Arrival = { kind: 'gateway'; sourceIp: string } | { kind: 'endpoint'; sourceIp: string; endpoint: EndpointContext };

/** Checks that apply only to requests arriving through an endpoint (PrivateLink rules). */
export interface EndpointGate {
  check(endpoint: EndpointContext, service: ServiceDefinition, region: string): void; // throws ApiError
}

/** Group commit: the pipeline enlists each request in the tick's transaction and answers after COMMIT. */
export interface Durability {
  enlist(): void;
  transaction<R>(fn: () => R): R;
  committed(): Promise<void>;
}

export interface PipelineDeps {
  services: ServiceDefinition[];
  verifier: SigV4Verifier;
  authorizer: Authorizer;
  endpointGate?: EndpointGate;
  clock: Clock;
  ids: IdSource;
  logger: Logger;
  durability?: Durability;
}

const READ_ONLY = /^(Describe|List|Get)/;

export class Pipeline {
  private readonly bySigningName = new Map<string, ServiceDefinition>();

  constructor(private readonly deps: PipelineDeps) {
    for (const service of deps.services) this.bySigningName.set(service.signingName, service);
  }

  async handle(request: HttpRequest, arrival: Arrival): Promise<HttpResponse> {
    const requestId = this.deps.ids.uuid();
    const { service, claim } = this.route(request);
    if (!service) {
      return {
        status: 400,
        headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': 'UnknownServiceException' },
        body: JSON.stringify({ __type: 'UnknownServiceException', message: 'The request names no service that batchlink serves.' }),
      };
    }
    let operation = '';
    try {
      const verified = await this.deps.verifier.verify(request, claim).catch((error: unknown) => {
        throw error instanceof AuthFailure ? service.errors.auth(error) : error;
      });
      const region = service.global ? 'us-east-1' : verified.region;
      if (!isKnownRegion(region)) {
        throw new ApiError('UnrecognizedClientException', `The region '${region}' is not one batchlink serves.`, 403);
      }
      const ctx: RequestContext = {
        requestId,
        service: service.signingName,
        region,
        partition: partitionOf(region).name,
        principal: verified.principal,
        sourceIp: arrival.sourceIp,
        secureTransport: false,
        clock: this.deps.clock,
        ids: this.deps.ids,
        ...(arrival.kind === 'endpoint' ? { endpoint: arrival.endpoint } : {}),
      };
      if (arrival.kind === 'endpoint') this.deps.endpointGate?.check(arrival.endpoint, service, verified.region);
      const decoded = service.codec.decode(request);
      operation = decoded.operation;
      const handler = service.operations[operation];
      if (!handler) throw new ApiError('UnknownOperationException', `Unknown operation ${operation}.`);
      const targets = service.authorization?.(operation, decoded.input, ctx) ?? [
        { action: `${service.actionPrefix}:${operation}`, resource: '*' },
      ];
      try {
        this.deps.authorizer.authorize(ctx, targets);
      } catch (error) {
        if (error instanceof AccessDenied) {
          this.deps.logger.info('access denied', {
            requestId,
            operation,
            principal: ctx.principal.arn,
            ...(ctx.endpoint ? { vpcEndpointId: ctx.endpoint.vpcEndpointId } : {}),
            reason: error.message,
            trace: error.trace,
          });
          throw service.errors.accessDenied(error.message);
        }
        throw error;
      }
      // A handler's synchronous part runs in its own savepoint of the tick's group transaction
      // (a handler that returns a promise continues outside it), and the response waits until
      // that transaction is committed.
      // Describe*/List*/Get* operations only read: they need no savepoint of their own (they still
      // answer only after the writes they may have seen are committed); nor do the service's
      // `selfAtomic` operations, whose handlers keep their own writes atomic.
      const durability = this.deps.durability;
      let result: unknown;
      if (durability && !READ_ONLY.test(operation)) {
        durability.enlist();
        if (service.selfAtomic?.has(operation)) {
          result = handler(decoded.input, ctx);
        } else {
          durability.transaction(() => {
            result = handler(decoded.input, ctx);
          });
        }
      } else {
        result = handler(decoded.input, ctx);
      }
      const output = await result;
      if (durability) await durability.committed();
      return service.codec.encodeOutput(operation, output ?? {}, requestId);
    } catch (error) {
      return service.codec.encodeError(this.toApiError(error, service, requestId, operation), requestId);
    }
  }

  /** Which service: the SigV4 credential scope names it; unsigned requests are routed by shape. */
  private route(request: HttpRequest): { service: ServiceDefinition | undefined; claim?: SignatureClaim } {
    try {
      const claim = readClaim(request);
      if (claim) return { service: this.bySigningName.get(claim.service), claim };
    } catch {
      // An unreadable Authorization header: route by shape so the error speaks the right protocol
      // (verification reads it again and reports why).
    }
    return { service: this.routeByShape(request) };
  }

  private routeByShape(request: HttpRequest): ServiceDefinition | undefined {
    const target = request.headers['x-amz-target'] ?? '';
    if (target.startsWith('Logs_')) return this.bySigningName.get('logs');
    if (request.rawPath.startsWith('/v1/')) return this.bySigningName.get('batch');
    const body = request.body.toString('utf8');
    if (/(^|&)Version=2016-11-15(&|$)/.test(body)) return this.bySigningName.get('ec2');
    if (/(^|&)Version=2011-06-15(&|$)/.test(body)) return this.bySigningName.get('sts');
    if (/(^|&)Version=2010-05-08(&|$)/.test(body)) return this.bySigningName.get('iam');
    return this.bySigningName.get('batch');
  }

  private toApiError(error: unknown, service: ServiceDefinition, requestId: string, operation: string): ApiError {
    if (error instanceof ApiError) return error;
    this.deps.logger.error('operation failed', {
      requestId,
      service: service.signingName,
      operation,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    return service.errors.internal();
  }
}
