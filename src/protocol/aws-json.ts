/**
 * awsJson1.1 codec (CloudWatch Logs): `POST /` with `x-amz-target: <prefix>.<Operation>` and
 * `content-type: application/x-amz-json-1.1`. Errors are `{"__type": code, "message": …}`.
 */
import { ApiError } from '../core/errors.js';
import type { Codec, DecodedRequest, HttpRequest, HttpResponse } from './http.js';
import { jsonResponse, parseJsonObject } from './json-body.js';

const CONTENT_TYPE = 'application/x-amz-json-1.1';

export class AwsJsonCodec implements Codec {
  private readonly operations: Set<string>;

  constructor(
    private readonly targetPrefix: string,
    operationNames: readonly string[],
  ) {
    this.operations = new Set(operationNames);
  }

  decode(request: HttpRequest): DecodedRequest {
    const target = request.headers['x-amz-target'] ?? '';
    const [prefix, operation = ''] = target.split('.');
    if (request.method !== 'POST' || prefix !== this.targetPrefix || !this.operations.has(operation)) {
      throw new ApiError('UnknownOperationException', `Unknown operation ${target || '(no X-Amz-Target)'}.`);
    }
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim();
    if (contentType !== CONTENT_TYPE && contentType !== 'application/x-amz-json-1.0' && request.body.length > 0) {
      throw new ApiError('SerializationException', `Unsupported content type ${contentType || '(none)'}; use ${CONTENT_TYPE}.`);
    }
    return { operation, input: parseJsonObject(request.body) };
  }

  encodeOutput(_operation: string, output: unknown, requestId: string): HttpResponse {
    return jsonResponse(200, output, requestId, CONTENT_TYPE);
  }

  encodeError(error: ApiError, requestId: string): HttpResponse {
    return jsonResponse(error.status, { __type: error.code, message: error.message }, requestId, CONTENT_TYPE);
  }
}
