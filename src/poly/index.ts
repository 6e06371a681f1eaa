/**
 * Polynomials over Fr: evaluation domains and transforms, arithmetic, division, identity quotients.
 * @module
 */
export { FR_GENERATOR, TWO_ADICITY, log2Exact, nextPowerOfTwo, rootOfUnity } from './roots';
export { EvaluationDomain } from './domain';
export { add, degree, evaluate, linearCombination, mul, padTo, scale, sub, trim, type Polynomial } from './polynomial';
export { divideByBinomial, divideByLinear, divideByVanishing, divideExact, divideExactByVanishing, type DivisionResult } from './division';
export { interpolate } from './interpolate';
export { quotientByVanishing, quotientCosetSize, type VanishingIdentity } from './quotient';
export { addVanishingMultiple } from './vanishing-multiple';
