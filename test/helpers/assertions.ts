/**
 * Assertions shared by the integration tests: an AWS call that must fail with AWS's error code
 * (the SDK error's `name`) and message, given exactly or as a pattern; optionally also of one
 * SDK's exception class (e.g. EC2ServiceException).
 */
import assert from 'node:assert/strict';

/** An SDK exception class (its constructors take options this check never builds). */
type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/**
 * Awaits `promise`, which must reject with `code`; a string `message` must equal the error's
 * message, a RegExp must match it. Returns the error for further checks.
 */
export async function rejectsWith<E extends Error = Error>(
  promise: Promise<unknown>,
  code: string,
  message?: string | RegExp,
  errorClass?: ErrorClass<E>,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (errorClass) assert.ok(error instanceof errorClass, `expected a ${errorClass.name}, got ${String(error)}`);
    else assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
    assert.equal(error.name, code, `${error.name}: ${error.message}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return error as E;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}
