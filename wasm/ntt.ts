// Number-theoretic transforms and batch inversion over Fr (Montgomery elements of 36 bytes).
import { fr_copy, fr_inv, fr_isZero, fr_mul, fr_mul3, fr_butterfly, fr_reduce2p, fr_ONE } from './generated/fr';
import { alloc, heapMark, heapRelease } from './alloc';

const E: usize = 36;
const SWAP = memory.data(36);
const T0 = memory.data(36);
const T1 = memory.data(36);
const T3 = memory.data(3 * 36);

/** out[k] = start·w^k for k < m: powers of a root for twiddle tables and coset scalings. */
export function fr_powers(out: usize, start: usize, w: usize, m: u32): void {
  if (m == 0) return;
  fr_copy(out, start);
  for (let k: u32 = 1; k < m; k++) fr_mul(out + <usize>k * E, out + <usize>(k - 1) * E, w);
}

/** r with its low `bits` bits in reverse order. */
function bitReverse(r: u32, bits: u32): u32 {
  let out: u32 = 0;
  for (let i: u32 = 0; i < bits; i++) out |= ((r >> i) & 1) << (bits - 1 - i);
  return out;
}

/**
 * In-place iterative radix-2 Cooley–Tukey transform: a[i] ← Σ_j a[j]·ω^(ij) for n = 2^log elements,
 * with tw[k] = ω^k (k < n/2). Bit-reversal permutation first, then log stages whose block size m = 2^s
 * uses ω_m^k = tw[k·n/m]. Butterfly b of a stage pairs u = a[start + k] and v = a[start + k + m/2]
 * (k = b mod m/2, start = 2·(b − k)); three butterflies share one 3-way product, and those with k = 0 (ω_m^0 = 1)
 * take none.
 *
 * The caller promises a[j] = 0 for j ≥ `nonzero` (a zero-padded polynomial). With lead = n/2^skip the largest power
 * of two ≤ nonzero, j = r + lead·q (r < lead) goes to bitrev_n(j) = bitrev_lead(r)·2^skip + bitrev_(2^skip)(q):
 * block bitrev_lead(r) of 2^skip values receives the values j ≡ r mod lead, at offset 0 for j = r and offset 2^(skip−1)
 * for j = lead + r (the only other one below 2·lead). A butterfly with v = 0 gives (u, u), so the first `skip`
 * stages only copy a block's value r across it, except in the blocks of the `nonzero − lead` values above lead,
 * where stage `skip` is the first with two values: a[k] = x + y·ω_(2^skip)^k and a[k + 2^(skip−1)] = x − y·ω^k. The
 * permutation runs over the lead values, each is written across its block, those few blocks get their stage, and
 * the stages start at skip + 1: a polynomial of 2^k + 2 coefficients (a blinded one) costs one stage less than if it
 * were padded to 2^(k+1).
 */
export function fr_ntt(a: usize, log: u32, tw: usize, nonzero: u32): void {
  const n: u32 = 1 << log;
  const count: u32 = min<u32>(max<u32>(nonzero, 1), n);
  const leadLog: u32 = 31 - clz<u32>(count);
  const lead: u32 = 1 << leadLog;
  const skip: u32 = log - leadLog;
  const extra: u32 = count - lead;
  const mark = heapMark();
  const above = alloc(<usize>extra * E);
  memory.copy(above, a + <usize>lead * E, <usize>extra * E);
  for (let i: u32 = 1, j: u32 = 0; i < lead; i++) {
    let bit = lead >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      fr_copy(SWAP, a + <usize>i * E);
      fr_copy(a + <usize>i * E, a + <usize>j * E);
      fr_copy(a + <usize>j * E, SWAP);
    }
  }
  if (skip > 0) {
    // Descending, so that value j (at index j ≤ j·2^skip) is read before any block overwrites it.
    const width: u32 = 1 << skip;
    for (let j = <i32>lead - 1; j >= 0; j--) {
      const from = a + <usize>j * E;
      const block = a + (<usize>j << skip) * E;
      for (let r = <i32>width - 1; r >= 1; r--) fr_copy(block + <usize>r * E, from);
      if (j > 0) fr_copy(block, from);
    }
    // extra > 0 only here (nonzero < n = lead when skip = 0): stage `skip` of the blocks holding two values.
    const halfWidth: u32 = width >> 1;
    const step: u32 = n >> skip;
    for (let r: u32 = 0; r < extra; r++) {
      const block = a + (<usize>bitReverse(r, leadLog) << skip) * E;
      for (let k: u32 = 0; k < halfWidth; k++) {
        fr_mul(T1, above + <usize>r * E, tw + <usize>(k * step) * E);
        fr_butterfly(block + <usize>k * E, block + <usize>(k + halfWidth) * E, T1);
      }
    }
  }
  heapRelease(mark);
  const total: u32 = n >> 1;
  // Stage 1 multiplies by ω_2^0 = 1: butterflies only.
  if (log >= 1 && skip == 0) for (let b: u32 = 0; b < total; b++) fr_butterfly(a + <usize>(b << 1) * E, a + <usize>((b << 1) + 1) * E, a + <usize>((b << 1) + 1) * E);
  for (let s: u32 = max<u32>(2, skip + 1); s <= log; s++) {
    const half: u32 = 1 << (s - 1);
    const step: u32 = n >> s;
    const off = <usize>half * E;
    // The butterflies with k > 0 go three at a time (one fr_mul3), those with k = 0 (twiddle 1) alone and without a
    // product: 1/half of the stage's products saved, about one stage's worth over the transform.
    let pending: u32 = 0;
    let u0: usize = 0, w0: usize = 0, u1: usize = 0, w1: usize = 0;
    for (let b: u32 = 0; b < total; b++) {
      const k = b & (half - 1);
      const u = a + <usize>(((b - k) << 1) + k) * E;
      if (k == 0) {
        // The twiddle is 1: v itself, reduced below 2p first (as a product's output is).
        fr_reduce2p(u + off, u + off);
        fr_butterfly(u, u + off, u + off);
        continue;
      }
      const w = tw + <usize>(k * step) * E;
      if (pending == 0) {
        u0 = u;
        w0 = w;
        pending = 1;
      } else if (pending == 1) {
        u1 = u;
        w1 = w;
        pending = 2;
      } else {
        fr_mul3(T3, u0 + off, w0, T3 + E, u1 + off, w1, T3 + 2 * E, u + off, w);
        fr_butterfly(u0, u0 + off, T3);
        fr_butterfly(u1, u1 + off, T3 + E);
        fr_butterfly(u, u + off, T3 + 2 * E);
        pending = 0;
      }
    }
    if (pending >= 1) {
      fr_mul(T1, u0 + off, w0);
      fr_butterfly(u0, u0 + off, T1);
    }
    if (pending == 2) {
      fr_mul(T1, u1 + off, w1);
      fr_butterfly(u1, u1 + off, T1);
    }
  }
  // The stages leave values below 4p (fr_butterfly): reduced below 2p, the semi-reduced form every kernel passes on.
  if (log >= 1) for (let i: u32 = 0; i < n; i++) fr_reduce2p(a + <usize>i * E, a + <usize>i * E);
}

/** out[i] = 1/a[i] (zeros stay zero) with one inversion (Montgomery's trick); out may equal a. */
export function fr_batchInv(out: usize, a: usize, n: u32): void {
  const mark = heapMark();
  const prefix = alloc(<usize>n * E);
  fr_copy(T0, fr_ONE);
  for (let i: u32 = 0; i < n; i++) {
    const x = a + <usize>i * E;
    if (fr_isZero(x)) continue;
    fr_copy(prefix + <usize>i * E, T0);
    fr_mul(T0, T0, x);
  }
  fr_inv(T0, T0);
  for (let i = <i32>n - 1; i >= 0; i--) {
    const x = a + <usize>i * E;
    const o = out + <usize>i * E;
    if (fr_isZero(x)) {
      memory.fill(o, 0, E);
      continue;
    }
    fr_mul(T1, T0, prefix + <usize>i * E);
    fr_mul(T0, T0, x);
    fr_copy(o, T1);
  }
  heapRelease(mark);
}
