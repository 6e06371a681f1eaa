// Scalar recoding shared by the G1 and G2 multi-scalar multiplications.

/**
 * Signed c-bit digits of n scalars (each 8 little-endian u32 words, canonical, < 2^254):
 * s = Σ_w d_w·2^(c·w) with d_w ∈ [−2^(c−1), 2^(c−1)], computed by taking the raw c-bit window plus the
 * carry of the window below and subtracting 2^c (carrying one) when it exceeds 2^(c−1). With
 * c·W ≥ 255 windows the top digit never carries. Digits of windows [w0, w1) are stored window-major
 * as i32 at out: out[(w − w0)·n + i].
 */
export function signedDigits(out: usize, scalars: usize, n: u32, c: u32, w0: u32, w1: u32): void {
  const half: i32 = 1 << (c - 1);
  const full: i32 = 1 << c;
  const mask: u64 = (<u64>1 << c) - 1;
  for (let i: u32 = 0; i < n; i++) {
    const s = scalars + (<usize>i << 5);
    let carry: i32 = 0;
    for (let w: u32 = 0; w < w1; w++) {
      const bit = w * c;
      const j = bit >> 5;
      const lo: u64 = j < 8 ? <u64>load<u32>(s + (<usize>j << 2)) : 0;
      const hi: u64 = j + 1 < 8 ? <u64>load<u32>(s + (<usize>(j + 1) << 2)) : 0;
      let d = <i32>((((hi << 32) | lo) >> (bit & 31)) & mask) + carry;
      if (d > half) {
        d -= full;
        carry = 1;
      } else {
        carry = 0;
      }
      if (w >= w0) store<i32>(out + ((<usize>(w - w0) * n + i) << 2), d);
    }
  }
}
