// Scalar recoding shared by the G1 and G2 multi-scalar multiplications.

/**
 * Signed c-bit digits of n scalars (each 8 little-endian u32 words): s = Σ_w d_w·2^(c·w) with
 * d_w ∈ [−2^(c−1), 2^(c−1)], computed by taking the raw c-bit window plus the carry of the window below and
 * subtracting 2^c (carrying one) when it exceeds 2^(c−1). A canonical scalar (< 2^254) needs c·W ≥ 255 windows
 * for its top digit never to carry. Bit 255 set marks a negated short scalar, −(s − 2^255), for an MSM of signed
 * integers on the windows their width needs: its digits are those of s − 2^255, negated (a canonical scalar never
 * has that bit). Digits of windows [w0, w1) are stored window-major as i32 at out: out[(w − w0)·n + i].
 */
export function signedDigits(out: usize, scalars: usize, n: u32, c: u32, w0: u32, w1: u32): void {
  const half: i32 = 1 << (c - 1);
  const full: i32 = 1 << c;
  const mask: u64 = (<u64>1 << c) - 1;
  for (let i: u32 = 0; i < n; i++) {
    const s = scalars + (<usize>i << 5);
    const top = load<u32>(s, 28);
    const negated = top >> 31 != 0;
    let carry: i32 = 0;
    for (let w: u32 = 0; w < w1; w++) {
      const bit = w * c;
      const j = bit >> 5;
      const lo: u64 = j < 8 ? <u64>(j == 7 ? top & 0x7fffffff : load<u32>(s + (<usize>j << 2))) : 0;
      const hi: u64 = j + 1 < 8 ? <u64>(j + 1 == 7 ? top & 0x7fffffff : load<u32>(s + (<usize>(j + 1) << 2))) : 0;
      let d = <i32>((((hi << 32) | lo) >> (bit & 31)) & mask) + carry;
      if (d > half) {
        d -= full;
        carry = 1;
      } else {
        carry = 0;
      }
      if (w >= w0) store<i32>(out + ((<usize>(w - w0) * n + i) << 2), negated ? -d : d);
    }
  }
}
