/**
 * Structured reference strings: the {@link Srs} type, the snarkjs `.ptau` reader with full validation,
 * the insecure development SRS, the Lagrange bases of domains from the powers, and the range bases of
 * public-denominator range tables with their prepared files.
 * @module
 */
export { Srs, SRS_DIGEST_DOMAIN, type RangeBasisOptions, type SrsParts } from './srs';
export {
  bytesSource,
  PtauSection,
  readPtau,
  readPtauFile,
  readPtauFrom,
  readPtauLayout,
  type PtauLayout,
  type PtauSectionEntry,
  type PtauSource,
  type ReadPtauFileOptions,
  type ReadPtauOptions,
} from './ptau';
export {
  decodeRangeBasis,
  encodeRangeBasis,
  RANGE_BASIS_MAGIC,
  RANGE_BASIS_VERSION,
  rangeBasisSrsDigest,
  readRangeBasisFile,
  readRangeBasisFileBytes,
  writeRangeBasisFile,
} from './range-basis-file';
export { lagrangeBasesHold, lagrangeBasisFromPowers } from './lagrange-basis';
export { createInsecureDevSrs, devSrsTau, DEV_SRS_DOMAIN, DEV_SRS_WARNING, type DevSrsOptions } from './dev';
export { validateSrsStructure } from './validate';
export {
  checkRangeBasis,
  isRangeTableSize,
  rangeBasisFromPowers,
  rangeBasisFromTau,
  rangeBasisHolds,
  rangeBasisScalars,
  rangeVanishingFromPowers,
  type RangeBasis,
  type RangeBasisFromPowersOptions,
} from './range-basis';
