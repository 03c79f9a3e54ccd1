/**
 * The protocol-neutral shape of an HTTP exchange. The server turns node:http requests into
 * `HttpRequest` (headers lower-cased, path still percent-encoded for SigV4) and writes
 * `HttpResponse` back.
 */
export interface HttpRequest {
  method: string;
  rawPath: string; // still percent-encoded, without the query
  rawQuery: string; // without the leading '?'
  query: Array<[string, string]>; // decoded pair by pair ('+' stays '+')
  headers: Record<string, string>; // lower-cased names
  body: Buffer;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** The decoded form of a request: the AWS operation name and its input structure. */
export interface DecodedRequest {
  operation: string;
  input: Record<string, unknown>;
}

/** One codec per wire protocol. It knows no domain rule. */
export interface Codec {
  decode(request: HttpRequest): DecodedRequest;
  encodeOutput(operation: string, output: unknown, requestId: string): HttpResponse;
  encodeError(error: import('../core/errors.js').ApiError, requestId: string): HttpResponse;
}

export function splitQuery(rawQuery: string): Array<[string, string]> {
  if (!rawQuery) return [];
  return rawQuery.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    return [safeDecode(key), safeDecode(value)];
  });
}

export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function queryValue(request: HttpRequest, name: string): string | undefined {
  return request.query.find(([key]) => key === name)?.[1];
}
