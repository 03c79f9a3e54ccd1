/**
 * The PrivateLink rules checked for every request that arrives through an interface endpoint,
 * before it is decoded: the endpoint still exists and is available, the request is for the
 * endpoint's own service (an endpoint for Batch serves only Batch), and it is signed for the
 * endpoint's Region (AWS endpoints do not carry cross-Region requests).
 */
import type { EndpointContext } from '../core/context.js';
import { AuthFailure } from '../core/errors.js';
import { findEndpointService } from '../network/endpoint-services.js';
import type { ServiceDefinition } from '../services/types.js';
import type { EndpointGate } from './pipeline.js';

/** The gate reads the endpoint as the listener found it on arrival (EndpointContext.state). */
export function createEndpointGate(): EndpointGate {
  return {
    check(endpoint: EndpointContext, service: ServiceDefinition, region: string): void {
      if (endpoint.state !== 'available') {
        throw service.errors.accessDenied(`The VPC endpoint ${endpoint.vpcEndpointId} is not available.`);
      }
      const offered = findEndpointService(endpoint.region, endpoint.serviceName, 'Interface');
      if (!offered || offered.signingName !== service.signingName) {
        throw service.errors.accessDenied(
          `The VPC endpoint ${endpoint.vpcEndpointId} is for the service ${endpoint.serviceName}; it does not accept ${service.signingName} requests.`,
        );
      }
      if (region !== endpoint.region) {
        throw service.errors.auth(new AuthFailure('badSignature', `Credential should be scoped to a valid region, not '${region}'. `));
      }
    },
  };
}
