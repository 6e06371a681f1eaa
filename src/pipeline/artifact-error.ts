/**
 * The error of every file reader of the pipeline (key files, compiled models, proofs, architectures).
 * @module
 */
import { EncodingError } from '../errors';

/** A file that is not a valid artifact of the expected kind (truncated, corrupted, mislabelled, inconsistent). */
export class ArtifactError extends EncodingError {}
