/**
 * Shared JSON body parsing for the JSON protocols (restJson1, awsJson1.1): a body must be a
 * JSON object (or empty); anything else is a SerializationException as AWS answers it.
 */
import { ApiError } from '../core/errors.js';
import { serialise } from './raw-json.js';

export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ApiError('SerializationException', 'The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ApiError('SerializationException', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

export function jsonResponse(
  status: number,
  body: unknown,
  requestId: string,
  contentType: string,
  extraHeaders: Record<string, string> = {},
) {
  return {
    status,
    headers: { 'content-type': contentType, 'x-amzn-requestid': requestId, ...extraHeaders },
    body: serialise(body),
  };
}
