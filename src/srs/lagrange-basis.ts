/**
 * The Lagrange basis `[L_i(τ)]₁ (i < n)` of a domain H_n from a ceremony's G1 powers alone, and its check.
 *
 * `L_i(X) = (1/n)·Σ_{j<n} ω^(−i·j)·X^j` (ω the canonical root of H_n, `poly/roots`), so `[L_i(τ)]₁ = (1/n)·Σ_j ω^(−i·j)·[τ^j]₁`:
 * the inverse DFT of the first n powers, computed in G1 by the radix-2 butterflies of an inverse NTT, each layer one
 * batch of two-term combinations (`Engine.combineG1`), the 1/n folded into the last layer. That is `(n/2)·log₂ n`
 * full scalar multiplications by twiddles, about 3 s for n = 1024 on one thread (measured): what a setup pays once for
 * a ceremony file that has no Lagrange sections (snarkjs writes them by `prepare phase2`).
 *
 * {@link lagrangeBasesHold} accepts n points B_i only if they are this basis: for random ρ, `Σ_i ρ_i·B_i` must equal
 * `Σ_j c_j·[τ^j]₁` where c are the coefficients of the interpolant of ρ over H_n, since `Σ_i ρ_i·L_i(X) = Σ_j c_j·X^j`. If
 * `B_i = [L_i(τ) + d_i]₁` with some `d_i ≠ 0`, the two sides differ by `[Σ_i ρ_i·d_i]₁`, a nonzero linear form in ρ:
 * for any values of the other ρ at most one value of ρ_i below 2^128 cancels it, so a wrong basis passes with probability
 * at most 2^−128. Several bases are checked at once the same way, their forms summed with independent ρ.
 * @module
 */
import { normalizeZ } from '@noble/curves/abstract/curve.js';
import { G1, type G1Point } from '../curve';
import type { CombinationTerm, Engine } from '../engine/engine';
import { SrsError } from '../errors';
import { Fr, powers, random128 } from '../field';
import { isPowerOfTwo, log2Exact, rootOfUnity } from '../poly/roots';

/** The index of i's bits reversed over log₂ n bits: the input order of an in-place radix-2 transform. */
function bitReversed(i: number, bits: number): number {
  let out = 0;
  for (let b = 0; b < bits; b++) out |= ((i >> b) & 1) << (bits - 1 - b);
  return out;
}

/**
 * `[L_i(τ)]₁` for i < n from `g1Powers[j] = [τ^j]₁` (j < n used): `(1/n)·Σ_j ω_n^(−i·j)·[τ^j]₁` by a radix-2 inverse
 * transform in G1 (module comment), affine points. An {@link SrsError} when n is not a power of two or fewer than n
 * powers are given.
 */
export async function lagrangeBasisFromPowers(g1Powers: readonly G1Point[], n: number, engine: Engine): Promise<G1Point[]> {
  if (!Number.isSafeInteger(n) || !isPowerOfTwo(n)) throw new SrsError(`a Lagrange basis has a power-of-two size, got ${n}`);
  if (g1Powers.length < n) throw new SrsError(`the Lagrange basis of H_${n} needs ${n} G1 powers, ${g1Powers.length} were given`);
  const bits = log2Exact(n);
  const inverseN = Fr.inv(BigInt(n));
  if (n === 1) return [g1Powers[0]];
  let points = Array.from({ length: n }, (_, i) => g1Powers[bitReversed(i, bits)]);
  for (let half = 1; half < n; half *= 2) {
    // The last layer carries the 1/n of the inverse transform.
    const scale = 2 * half === n ? inverseN : 1n;
    const twiddles = powers(Fr.inv(rootOfUnity(2 * half)), half);
    const combinations = new Array<CombinationTerm[]>(n);
    for (let start = 0; start < n; start += 2 * half)
      for (let k = 0; k < half; k++) {
        const [top, bottom] = [start + k, start + k + half];
        const w = Fr.mul(scale, twiddles[k]);
        combinations[top] = [
          { index: top, scalar: scale },
          { index: bottom, scalar: w },
        ];
        combinations[bottom] = [
          { index: top, scalar: scale },
          { index: bottom, scalar: Fr.neg(w) },
        ];
      }
    points = await engine.combineG1(points, combinations);
  }
  return normalizeZ(G1, points);
}

/**
 * Whether every basis of `bases` (size n → n points) is `[L_i(τ)]₁ (i < n)` for the τ of `g1Powers`: for fresh
 * 128-bit ρ_(n,i), `Σ_n Σ_i ρ_(n,i)·B_(n,i) = Σ_j c_j·[τ^j]₁` with `c = Σ_n intt_n(ρ_n)` (zero-padded to the largest n;
 * module comment: a wrong point makes the difference a nonzero linear form in the ρ, which vanishes with probability
 * at most 2^−128). One MSM over every basis point and one over the largest basis size's powers, however many bases.
 * An {@link SrsError} when a basis size is not a power of two or its point count, or when fewer powers are given than
 * the largest size.
 */
export async function lagrangeBasesHold(bases: ReadonlyMap<number, readonly G1Point[]>, g1Powers: readonly G1Point[], engine: Engine): Promise<boolean> {
  let largest = 0;
  for (const [n, basis] of bases) {
    if (!Number.isSafeInteger(n) || !isPowerOfTwo(n) || basis.length !== n) throw new SrsError(`a Lagrange basis has a power-of-two size and that many points, got ${basis.length} points for H_${n}`);
    largest = Math.max(largest, n);
  }
  if (g1Powers.length < largest) throw new SrsError(`checking the Lagrange basis of H_${largest} needs ${largest} G1 powers, ${g1Powers.length} were given`);
  if (largest === 0) return true;
  const points: G1Point[] = [];
  const rho: bigint[] = [];
  const coefficients = new Array<bigint>(largest).fill(0n);
  for (const [n, basis] of bases) {
    const r = Array.from({ length: n }, random128);
    // One push per point: a spread passes one argument per point, which overflows the stack from 2^17 points.
    for (let i = 0; i < n; i++) {
      points.push(basis[i]);
      rho.push(r[i]);
    }
    engine.intt(r).forEach((c, j) => (coefficients[j] = Fr.add(coefficients[j], c)));
  }
  const [left, right] = await Promise.all([engine.msmG1Points(points, rho), engine.msmG1Points(g1Powers.slice(0, largest), coefficients)]);
  return left.equals(right);
}
