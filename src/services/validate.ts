/**
 * Re-export of the shared input validator, which lives in core/ so that domains can use it.
 */
export { Validator } from '../core/validate.js';
export type { StringRule } from '../core/validate.js';
