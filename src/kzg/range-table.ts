/**
 * The range table's part of a KZG key: what a range check through the public-denominator table
 * `S = {0, …, n − 1}` needs of the SRS (`src/srs/range-basis.ts`, `blocks/range.ts`).
 *
 * A verifier reads one point, `[Z_S(τ)]₁` with `Z_S(X) = Π_{v∈S}(X − v)`: the claim that `[M']₁ − S'·[Z_S]₁` vanishes
 * at β pairs it with `[1]₂` as a public point, so it is part of the verifying key and of its digest. A prover also
 * needs `[τ·Z_S(τ)]₁` (the blinding `(ρ₀ + ρ₁·X)·Z_S` of M') and the basis `[K_v(τ)]₁`, `K_v = Z_S/(X − v)`, resident in
 * its engine: M' and the quotient at β are sparse MSMs over it.
 * @module
 */
import type { G1Point } from '../curve';
import type { Engine, G1Bases } from '../engine/engine';
import type { PublicG1 } from '../equations/equation';
import { SrsError } from '../errors';
import { isRangeTableSize, type RangeBasis } from '../srs/range-basis';

/** The public-point key of `[Z_S(τ)]₁` for a table of `size` entries (docs/folding.md §1: one key, one point per fold key). */
export function rangeVanishingKey(size: number): string {
  return `g1:range-vanishing/${size}`;
}

/** A prover's part of a {@link RangeTableKey}. */
export interface RangeTableProverKey {
  /** `[τ·Z_S(τ)]₁`. */
  readonly shiftedVanishing: G1Point;
  /** `[K_v(τ)]₁` for v < n, resident in the key's engine. */
  readonly kBasis: G1Bases;
  /** The basis as points (what a proving key file stores). */
  readonly basis: RangeBasis;
}

/** The range table of a KZG key: its size, `[Z_S(τ)]₁`, and for a prover the rest of the basis. */
export interface RangeTableKey {
  /** n = |S|, a power of two. */
  readonly size: number;
  /** `[Z_S(τ)]₁` as a public point. */
  readonly vanishing: PublicG1;
  /** Absent from a verifier's key. */
  readonly prover?: RangeTableProverKey;
}

/**
 * A verifier's range table: `[Z_S(τ)]₁` of a table of `size` entries. The point at infinity is refused (an
 * {@link SrsError}): with it the claim at β holds for `[M']₁ = 0` and any S', so every cell would pass. Any other
 * wrong point is caught only against the ceremony (`checkVerifyingKeySrs`, `src/pipeline/check-key.ts`).
 */
export function rangeTableVerifierKey(size: number, vanishing: G1Point): RangeTableKey {
  if (!isRangeTableSize(size)) throw new SrsError(`a range table has a power-of-two size from 2 to 2^20, got ${size}`);
  if (vanishing.is0()) throw new SrsError(`[Z_S(τ)]₁ of the range table of ${size} entries is the point at infinity`);
  return { size, vanishing: { key: rangeVanishingKey(size), point: vanishing } };
}

/** A prover's range table from the SRS's {@link RangeBasis}: its K basis made resident in `engine`. */
export async function rangeTableKey(engine: Engine, basis: RangeBasis): Promise<RangeTableKey> {
  if (basis.kBasis.length !== basis.size) throw new SrsError(`the range basis of size ${basis.size} has ${basis.kBasis.length} points K_v`);
  return {
    ...rangeTableVerifierKey(basis.size, basis.vanishing),
    prover: { shiftedVanishing: basis.shiftedVanishing, kBasis: await engine.loadG1Bases(basis.kBasis), basis },
  };
}
