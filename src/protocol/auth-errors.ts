/**
 * How each protocol family spells authentication and authorization failures, with AWS's codes:
 * JSON protocols (Batch, Logs), the EC2 query protocol, and the awsQuery protocol (IAM, STS).
 */
import { ApiError } from '../core/errors.js';
import type { AuthFailure, AuthFailureKind } from '../core/errors.js';
import type { ProtocolErrors } from '../services/types.js';

type Table = Record<AuthFailureKind, [code: string, status: number]>;

const JSON_TABLE: Table = {
  missing: ['MissingAuthenticationTokenException', 403],
  incomplete: ['IncompleteSignatureException', 400],
  unknownKey: ['UnrecognizedClientException', 403],
  inactiveKey: ['UnrecognizedClientException', 403],
  expiredToken: ['ExpiredTokenException', 403],
  badSignature: ['InvalidSignatureException', 403],
  bodyHash: ['XAmzContentSHA256Mismatch', 400],
  expired: ['InvalidSignatureException', 403],
  notYetCurrent: ['InvalidSignatureException', 403],
};

const EC2_TABLE: Table = {
  missing: ['MissingAuthenticationToken', 401],
  incomplete: ['IncompleteSignature', 400],
  unknownKey: ['AuthFailure', 401],
  inactiveKey: ['AuthFailure', 401],
  expiredToken: ['RequestExpired', 400],
  badSignature: ['SignatureDoesNotMatch', 403],
  bodyHash: ['XAmzContentSHA256Mismatch', 400],
  expired: ['RequestExpired', 400],
  notYetCurrent: ['RequestExpired', 400],
};

const QUERY_TABLE: Table = {
  missing: ['MissingAuthenticationToken', 403],
  incomplete: ['IncompleteSignature', 400],
  unknownKey: ['InvalidClientTokenId', 403],
  inactiveKey: ['InvalidClientTokenId', 403],
  expiredToken: ['ExpiredToken', 403],
  badSignature: ['SignatureDoesNotMatch', 403],
  bodyHash: ['XAmzContentSHA256Mismatch', 400],
  expired: ['SignatureDoesNotMatch', 403],
  notYetCurrent: ['SignatureDoesNotMatch', 403],
};

const EC2_MESSAGES: Partial<Record<AuthFailureKind, string>> = {
  unknownKey: 'AWS was not able to validate the provided access credentials',
  inactiveKey: 'AWS was not able to validate the provided access credentials',
  missing: 'The request must contain either a valid (registered) AWS access key ID or X.509 certificate.',
  expired:
    'Request has expired. The request reached the service more than 15 minutes after the date stamp on the request or more than 15 minutes after the request expiration date, or the date stamp on the request is more than 15 minutes in the future.',
};

function errorsFrom(
  table: Table,
  deniedCode: string,
  internalCode: string,
  messages: Partial<Record<AuthFailureKind, string>> = {},
): ProtocolErrors {
  return {
    auth(failure: AuthFailure) {
      const [code, status] = table[failure.kind];
      return new ApiError(code, messages[failure.kind] ?? failure.message, status);
    },
    accessDenied(message: string) {
      return new ApiError(deniedCode, message, 403);
    },
    internal() {
      return new ApiError(internalCode, 'An internal error occurred. Try again.', 500, 'server');
    },
  };
}

export const jsonProtocolErrors = (internalCode: string): ProtocolErrors =>
  errorsFrom(JSON_TABLE, 'AccessDeniedException', internalCode);
export const ec2ProtocolErrors: ProtocolErrors = errorsFrom(EC2_TABLE, 'UnauthorizedOperation', 'InternalError', EC2_MESSAGES);
export const queryProtocolErrors: ProtocolErrors = errorsFrom(QUERY_TABLE, 'AccessDenied', 'InternalFailure');
