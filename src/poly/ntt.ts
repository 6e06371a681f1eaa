/**
 * Radix-2 NTT over Fr on bigints: the reference implementation that every engine is checked against.
 * @module
 */
import { Fr, R } from '../field';
import { log2Exact, rootOfUnity } from './roots';

/**
 * In-place iterative Cooley–Tukey: `a[i] ← Σ_j a[j]·ω^(ij)` for the canonical root ω of order a.length.
 * Pass `inverseRoot = true` for ω^(−1) (without the 1/n scaling).
 */
export function nttInPlace(a: bigint[], inverseRoot: boolean): void {
  const n = a.length;
  const log = log2Exact(n);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
  for (let s = 1; s <= log; s++) {
    const m = 1 << s;
    const half = m >> 1;
    let w = rootOfUnity(m);
    if (inverseRoot) w = Fr.inv(w);
    const twiddles = new Array<bigint>(half);
    twiddles[0] = 1n;
    for (let k = 1; k < half; k++) twiddles[k] = (twiddles[k - 1] * w) % R;
    for (let start = 0; start < n; start += m) {
      for (let k = 0; k < half; k++) {
        const u = a[start + k];
        const v = (a[start + k + half] * twiddles[k]) % R;
        const s1 = u + v;
        a[start + k] = s1 >= R ? s1 - R : s1;
        const s2 = u - v;
        a[start + k + half] = s2 < 0n ? s2 + R : s2;
      }
    }
  }
}

/** Coefficients → evaluations on `shift·H`, H the subgroup of size values.length. */
export function nttReference(values: readonly bigint[], shift = 1n): bigint[] {
  const a = values.slice();
  if (shift !== 1n) {
    let p = 1n;
    for (let i = 0; i < a.length; i++) {
      a[i] = (a[i] * p) % R;
      p = (p * shift) % R;
    }
  }
  nttInPlace(a, false);
  return a;
}

/** Evaluations on `shift·H` → coefficients. */
export function inttReference(values: readonly bigint[], shift = 1n): bigint[] {
  const a = values.slice();
  nttInPlace(a, true);
  const nInv = Fr.inv(BigInt(a.length));
  const shiftInv = shift === 1n ? 1n : Fr.inv(shift);
  let p = nInv;
  for (let i = 0; i < a.length; i++) {
    a[i] = (a[i] * p) % R;
    if (shift !== 1n) p = (p * shiftInv) % R;
  }
  return a;
}

/** f mod (X^n − c) as a length-n vector: X^(n+j) ≡ c·X^j, so coefficient n·q + j adds c^q times itself to j. */
export function foldModulo(coeffs: readonly bigint[], n: number, c: bigint): bigint[] {
  const out = new Array<bigint>(n);
  // The first block is copied (a canonical coefficient is its own residue): the blocks above it are the few
  // coefficients a blinding adds, so this saves a product and a reduction per coefficient.
  const first = Math.min(n, coeffs.length);
  for (let i = 0; i < first; i++) {
    const x = coeffs[i];
    out[i] = x >= 0n && x < R ? x : Fr.create(x);
  }
  out.fill(0n, first);
  let factor = 1n;
  for (let start = n; start < coeffs.length; start += n) {
    factor = (factor * c) % R;
    const end = Math.min(start + n, coeffs.length);
    for (let i = start; i < end; i++) out[i - start] = Fr.create(out[i - start] + coeffs[i] * factor);
  }
  return out;
}
