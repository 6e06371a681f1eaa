// A straight-line program over Fr registers (Montgomery elements of 36 bytes): src/engine/fr-program.ts writes them.
import { fr_add, fr_mul, fr_sub } from './generated/fr';

const E: usize = 36;

/** Instruction codes of {@link fr_straightLine}. */
const MUL: u32 = 0;
const ADD: u32 = 1;
const SUB: u32 = 2;

/**
 * Runs `count` instructions of four u32 words (op, d, a, b) over the registers r_i at regs + i·E, in order:
 *   MUL  r_d = r_a·r_b        ADD  r_d = r_a + r_b        SUB  r_d = r_a − r_b
 * Registers semi-reduced (below 2p), which fr_mul, fr_add and fr_sub keep; d may be a or b (each reads its inputs
 * before it writes).
 */
export function fr_straightLine(regs: usize, program: usize, count: u32): void {
  const end = program + (<usize>count << 4);
  for (let p = program; p < end; p += 16) {
    const op = load<u32>(p);
    const d = regs + <usize>load<u32>(p, 4) * E;
    const a = regs + <usize>load<u32>(p, 8) * E;
    const b = regs + <usize>load<u32>(p, 12) * E;
    if (op == MUL) fr_mul(d, a, b);
    else if (op == ADD) fr_add(d, a, b);
    else fr_sub(d, a, b);
  }
}
