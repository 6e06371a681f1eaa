/**
 * The names protocol v2 had while it lived beside version 1, for code not yet moved to `prove`/`verify`
 * (`prove-verify.ts`, where version 2 is now the only protocol).
 * @module
 */
export { prove as proveV2, verify as verifyV2 } from './prove-verify';
