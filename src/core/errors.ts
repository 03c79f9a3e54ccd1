/**
 * Error types. `ApiError` is what goes on the wire (each codec encodes it its own way);
 * `OperatorError` is for whoever runs batchlink (bad config, executor failure) and never
 * reaches a client as a raw stack trace.
 */
export type Fault = 'client' | 'server';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly fault: Fault = 'client',
  ) {
    super(message);
    this.name = code;
  }
}

export class OperatorError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'OperatorError';
  }
}

/** The reasons SigV4 verification can fail; each protocol maps them to its own AWS code. */
export type AuthFailureKind =
  | 'missing'
  | 'incomplete'
  | 'unknownKey'
  | 'inactiveKey'
  | 'expiredToken'
  | 'badSignature'
  | 'bodyHash'
  | 'expired'
  | 'notYetCurrent';

export class AuthFailure extends Error {
  constructor(
    readonly kind: AuthFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'AuthFailure';
  }
}

/** Who refused and why: the policy layer's verdict, turned into a 403 by each protocol. */
export class AccessDenied extends Error {
  constructor(
    message: string,
    /** How the policies decided (for logs; never sent to the client). */
    readonly trace: string[] = [],
  ) {
    super(message);
    this.name = 'AccessDenied';
  }
}
