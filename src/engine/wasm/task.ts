/**
 * The message a worker receives for one slice of a multi-scalar multiplication. Bases travel as a
 * SharedArrayBuffer (no copy) and are copied into the worker's own kernels once per handle; the scalars
 * of the call travel as another SharedArrayBuffer shared by every worker of the call.
 * @module
 */
import type { GroupName } from './kernels';

/** One window range of one MSM. */
export interface MsmTask {
  readonly group: GroupName;
  /** Engine-wide id of the resident bases (the worker's cache key). */
  readonly basesId: number;
  /** The resident bases in kernel format (x, y, −y records). */
  readonly bases: SharedArrayBuffer;
  /** Index of the first base used. */
  readonly offset: number;
  /** Scalars as 8 little-endian u32 words each. */
  readonly scalars: SharedArrayBuffer;
  readonly n: number;
  /** Window width in bits and the window range [w0, w1) this task computes. */
  readonly c: number;
  readonly w0: number;
  readonly w1: number;
}
