/**
 * restJson1 codec, as AWS Batch speaks it (Smithy restJson1 protocol): `POST /v1/<lowercase
 * operation>` with a JSON body, and the tag routes `GET|POST|DELETE /v1/tags/{resourceArn}`
 * (UntagResource keys as repeated `tagKeys` query parameters). Errors carry
 * `x-amzn-ErrorType` and `{"__type", "message"}`.
 */
import { ApiError } from '../core/errors.js';
import type { Codec, DecodedRequest, HttpRequest, HttpResponse } from './http.js';
import { safeDecode } from './http.js';
import { jsonResponse, parseJsonObject } from './json-body.js';

const TAGS_PREFIX = '/v1/tags/';

export class RestJsonCodec implements Codec {
  private readonly byPath = new Map<string, string>();

  constructor(operationNames: readonly string[]) {
    for (const name of operationNames) this.byPath.set(`/v1/${name.toLowerCase()}`, name);
  }

  decode(request: HttpRequest): DecodedRequest {
    const path = request.rawPath;
    if (path.startsWith(TAGS_PREFIX)) return this.decodeTags(request, safeDecode(path.slice(TAGS_PREFIX.length)));
    const operation = this.byPath.get(path.toLowerCase());
    if (!operation || request.method !== 'POST') {
      throw new ApiError('UnknownOperationException', `No operation is served at ${request.method} ${path}.`, 404);
    }
    return { operation, input: parseJsonObject(request.body) };
  }

  private decodeTags(request: HttpRequest, resourceArn: string): DecodedRequest {
    switch (request.method) {
      case 'GET':
        return { operation: 'ListTagsForResource', input: { resourceArn } };
      case 'POST':
        return { operation: 'TagResource', input: { ...parseJsonObject(request.body), resourceArn } };
      case 'DELETE':
        return {
          operation: 'UntagResource',
          input: { resourceArn, tagKeys: request.query.filter(([k]) => k === 'tagKeys').map(([, v]) => v) },
        };
      default:
        throw new ApiError('UnknownOperationException', `No operation is served at ${request.method} ${request.rawPath}.`, 404);
    }
  }

  encodeOutput(_operation: string, output: unknown, requestId: string): HttpResponse {
    return jsonResponse(200, output, requestId, 'application/json');
  }

  encodeError(error: ApiError, requestId: string): HttpResponse {
    return jsonResponse(error.status, { __type: error.code, message: error.message }, requestId, 'application/json', {
      'x-amzn-errortype': error.code,
    });
  }
}
