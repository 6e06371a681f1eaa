// Short signed combinations of G1 points: many small sums Σ_t ±m_t·P_t at once, each by one chain of doublings
// as long as its largest |m_t| (a verifier's derived rows, src/pipeline/derived-rows.ts: ±1 and 2^k multiples).
import { alloc, heapMark, heapRelease } from './alloc';
import { fp_copy } from './generated/fp';
import { g1_batchToAffine, g1_jacAddAffine, g1_jacDouble, g1_jacSetInf } from './generated/g1';

const S: usize = 36;
/** Bytes of one term: base index (u32), negated flag (u32), magnitude (8 little-endian u32 words). */
const TERM: usize = 40;

/** Bits of the 256-bit magnitude at m (0 for zero). */
function bitLength(m: usize): u32 {
  for (let j: i32 = 7; j >= 0; j--) {
    const w = load<u32>(m + (<usize>j << 2));
    if (w != 0) return (<u32>j << 5) + 32 - clz(w);
  }
  return 0;
}

/**
 * out (canonical affine, rows·2S bytes) = for each row j, Σ_t (−1)^(neg_t)·m_t·P_(i_t) over the resident bases
 * (x, y, −y) at `bases`. `terms` holds, row after row, a u32 count and that many TERM-byte terms. Each row is one
 * chain of double-and-add from its largest magnitude's top bit (the doublings shared by its terms); the rows are
 * brought to affine form with one inversion.
 */
export function g1_combineSigned(out: usize, bases: usize, terms: usize, rows: u32): void {
  const mark = heapMark();
  const jac = alloc(<usize>rows * 3 * S);
  const neg = alloc(2 * S);
  let row = terms;
  for (let r: u32 = 0; r < rows; r++) {
    const count = load<u32>(row);
    const first = row + 4;
    let top: u32 = 0;
    for (let k: u32 = 0; k < count; k++) {
      const b = bitLength(first + <usize>k * TERM + 8);
      if (b > top) top = b;
    }
    const acc = jac + <usize>r * 3 * S;
    g1_jacSetInf(acc);
    for (let bit = <i32>top - 1; bit >= 0; bit--) {
      g1_jacDouble(acc, acc);
      for (let k: u32 = 0; k < count; k++) {
        const term = first + <usize>k * TERM;
        if (((load<u32>(term + 8 + (<usize>(bit >> 5) << 2)) >> (<u32>bit & 31)) & 1) == 0) continue;
        const base = bases + <usize>load<u32>(term) * 3 * S;
        if (load<u32>(term, 4) != 0) {
          fp_copy(neg, base);
          fp_copy(neg + S, base + 2 * S);
          g1_jacAddAffine(acc, acc, neg);
        } else {
          g1_jacAddAffine(acc, acc, base);
        }
      }
    }
    row = first + <usize>count * TERM;
  }
  g1_batchToAffine(out, jac, rows);
  heapRelease(mark);
}
