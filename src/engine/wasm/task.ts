/**
 * The messages a worker of a WASM engine receives. Bases travel as a SharedArrayBuffer (no copy) and are copied
 * into the worker's own kernels once per handle; the scalars of an MSM, and the polynomials of a coset identity, as
 * another SharedArrayBuffer. Every result is an exact field or group value, so which worker computes a task, and
 * when, never changes it.
 * @module
 */
import type { CosetPart, DerivedPolynomial } from '../engine';
import type { G1Step } from './g1-steps';
import type { GroupName } from './kernels';

/** One window range of one MSM. */
export interface MsmTask {
  readonly kind: 'msm';
  readonly group: GroupName;
  /** Engine-wide id of the resident bases (the worker's cache key). */
  readonly basesId: number;
  /** The resident bases in kernel format (x, y, −y records). */
  readonly bases: SharedArrayBuffer;
  /** Index of the first base used. */
  readonly offset: number;
  /** The positions (little-endian u32s, from `offset`) of the n bases the scalars multiply, when not the n from `offset`. */
  readonly at?: SharedArrayBuffer;
  /** Scalars as 8 little-endian u32 words each. */
  readonly scalars: SharedArrayBuffer;
  readonly n: number;
  /** Window width in bits and the window range [w0, w1) this task computes. */
  readonly c: number;
  readonly w0: number;
  readonly w1: number;
}

/**
 * One whole MSM whose scalars repeat (msm-plan.ts `scalarGroups`): per base its group (0 for a zero scalar, else
 * g + 1 for the g-th value) and the distinct values; the worker adds each group's bases, then runs the MSM of those
 * sums. Whole, not by windows: the sums would be computed once per window range.
 */
export interface GroupedMsmTask {
  readonly kind: 'grouped';
  readonly group: GroupName;
  readonly basesId: number;
  readonly bases: SharedArrayBuffer;
  readonly offset: number;
  /** The positions (little-endian u32s, from `offset`) of the n bases the groups are of, when not the n from `offset`. */
  readonly at?: SharedArrayBuffer;
  /** The n groups as little-endian u32s. */
  readonly groups: SharedArrayBuffer;
  /** The distinct values, as 8 little-endian u32 words each. */
  readonly values: SharedArrayBuffer;
}

/**
 * Polynomials as one buffer of canonical 32-byte little-endian coefficients: polynomial j's `lengths[j]`
 * coefficients from byte `32·Σ_(k<j) lengths[k]` on. A derived polynomial (`derived[j]` set) has no words yet
 * (`lengths[j]` = 0): the engine that runs the call forms it (./derived.ts).
 */
export interface PackedPolynomials {
  readonly words: Uint8Array;
  readonly lengths: readonly number[];
  readonly derived?: readonly (DerivedPolynomial | undefined)[];
}

/** One `Engine.cosetIdentities` call (the quotient of one domain), or a piece of one (./coset-pieces.ts): its polynomials packed. */
export interface CosetTask {
  readonly kind: 'coset';
  readonly shift: bigint;
  readonly polys: PackedPolynomials;
  readonly parts: readonly CosetPart[];
  readonly point?: bigint;
  /** The polynomials to evaluate at the point (all when omitted): a piece of a split call evaluates its own share. */
  readonly evaluates?: readonly number[];
}

/** `Engine.cosetIdentities`' result as canonical 32-byte words: the interpolated sum, then the values at the point. */
export interface CosetWords {
  readonly coefficients: Uint8Array;
  readonly values: Uint8Array;
}

/** One NTT (or its inverse) of canonical 32-byte words: `WasmEngine.nttWords` on a worker. */
export interface TransformTask {
  readonly kind: 'transform';
  readonly words: SharedArrayBuffer;
  readonly inverse: boolean;
  readonly shift: bigint;
}

/** Several MSM tasks (each whole: one window range covering all windows) run one after the other on one worker. */
export interface MsmBatchTask {
  readonly kind: 'batch';
  readonly tasks: readonly (MsmTask | GroupedMsmTask)[];
}

/** A program of linear maps on G1 points (./g1-steps.ts) for a worker: the Jacobian points it starts from and its steps. */
export interface G1StepsTask {
  readonly kind: 'g1Steps';
  readonly points: Uint8Array;
  readonly steps: readonly G1Step[];
}

export type EngineTask = MsmTask | GroupedMsmTask | MsmBatchTask | CosetTask | TransformTask | G1StepsTask;
