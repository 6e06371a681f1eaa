/**
 * Structured reference strings: the {@link Srs} type, the snarkjs `.ptau` reader with full validation,
 * and the insecure development SRS.
 * @module
 */
export { Srs, SRS_DIGEST_DOMAIN, type SrsParts } from './srs';
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
  type ReadPtauOptions,
} from './ptau';
export { createInsecureDevSrs, devSrsTau, DEV_SRS_DOMAIN, DEV_SRS_WARNING, type DevSrsOptions } from './dev';
export { validateSrsStructure } from './validate';
export { isRangeTableSize, rangeBasisFromTau, type RangeBasis } from './range-basis';
