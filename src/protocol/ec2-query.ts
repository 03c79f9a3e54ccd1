/**
 * The EC2 query protocol (AWS "ec2" protocol, API version 2016-11-15): `POST /` with a form body
 * `Action=<Operation>&Version=2016-11-15&…` (or the same as a GET query), lists flattened as
 * `Name.N` with the model's locationName. Responses are XML in the EC2 namespace with a
 * `<requestId>`; output objects are already keyed by locationName (see services/ec2-shapes.ts).
 * Errors: `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`.
 */
import { ApiError } from '../core/errors.js';
import type { Codec, DecodedRequest, HttpRequest, HttpResponse } from './http.js';
import { parseQueryParams, queryProtocolPairs } from './query-form.js';
import type { XmlObject } from './xml.js';
import { escapeXml, xmlDocument } from './xml.js';

export const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const CONTENT_TYPE = 'text/xml;charset=UTF-8';

export class Ec2QueryCodec implements Codec {
  private readonly operations: Set<string>;

  constructor(operationNames: readonly string[]) {
    this.operations = new Set(operationNames);
  }

  decode(request: HttpRequest): DecodedRequest {
    if (request.method !== 'POST' && request.method !== 'GET') {
      throw new ApiError('InvalidHttpRequest', `The HTTP method ${request.method} is not supported.`);
    }
    const params = parseQueryParams(queryProtocolPairs(request));
    const action = params.Action;
    if (typeof action !== 'string' || action === '') {
      throw new ApiError('MissingAction', 'The request must contain the parameter Action.');
    }
    if (!this.operations.has(action)) throw new ApiError('InvalidAction', `The action ${action} is not valid for this web service.`);
    delete params.Action;
    delete params.Version;
    return { operation: action, input: params };
  }

  encodeOutput(operation: string, output: unknown, requestId: string): HttpResponse {
    const body: XmlObject = { requestId, ...(isObject(output) ? output : {}) };
    if (Object.keys(body).length === 1) body.return = true;
    return {
      status: 200,
      headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
      body: xmlDocument(`${operation}Response`, EC2_NAMESPACE, body),
    };
  }

  encodeError(error: ApiError, requestId: string): HttpResponse {
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(error.code)}</Code>` +
      `<Message>${escapeXml(error.message)}</Message></Error></Errors><RequestID>${escapeXml(requestId)}</RequestID></Response>`;
    return { status: error.status, headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId }, body };
  }
}

function isObject(value: unknown): value is XmlObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
