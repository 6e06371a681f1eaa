/**
 * Maximum over candidate segments with no committed differences: `y_i = max_{j<L} x_{j·M+i}` for i < M, x one row on
 * H_{L·M} holding the L candidates of output i at cells `j·M + i` (segment j is candidate j of every output), y one
 * row on H_M, L and M powers of two.
 *
 * **The differences are a composition.** `y(X^L)` on H_{LM} reads y's cell `c mod M` at cell c (`blocks/poly-iop.ts`,
 * "Compositions"), so `D(X) = y(X^L) − x(X)` takes the value `d_{j,i} = y_i − x_{j·M+i}` at cell `j·M + i`: every
 * difference of the max, as a linear form of two reads, never committed. The block reads D in its identities, and
 * the range lookup reads it the same way (its {@link SegmentMaxBlock.differenceObligations}: `D ∈ [0, 2^bits)` on
 * every cell, a range source of `blocks/range.ts` reading `y(X^L) − x(X)`).
 *
 * **One difference per output is zero**, by halving: with `ω` of H_n, `X ↦ ω^(n/2)·X` moves cell c to `c + n/2`, and
 * `y(X^L)` is unchanged by it (`(ω^(n/2))^L = 1` on every level), so a product `P(X)·P(ω^(n/2)·X)` takes the same
 * value at c and `c + n/2`: it is `h(X^2)` for an h of H_(n/2), whose cell c is that product. With `a = log₂ L`,
 * - L = 2: `D(X)·D(ω^M·X) = 0` on H_{2M};
 * - L ≥ 4: committed helpers h_1 … h_(a−1), h_k on H_{LM/2^k}:
 *   1. `h_1(X^2) − D(X)·D(ω^(LM/2)·X) = 0` on H_{LM};
 *   2. `h_k(X^2) − h_(k−1)(X)·h_(k−1)(ω^(n/2)·X) = 0` on H_n, n = LM/2^(k−1), for 2 ≤ k ≤ a − 1;
 *   3. `h_(a−1)(X)·h_(a−1)(ω^M·X) = 0` on H_{2M}.
 * Every identity has degree 2 in its factors; `D` itself is `L·(c − 1)` above H_{LM} for rows of c blinding
 * coefficients, so identity 1's quotient has degree `LM + 2L·(c − 1)`, which the block declares
 * ({@link SegmentMaxBlock.quotientPowers}) for the few outputs of many candidates where it exceeds a graph's key.
 * `Π_j D(ω_L^j·X)` is one identity of degree L, which the key would have to hold at `(L − 1)·LM` powers (three times the
 * largest domain on the Fashion CNN, against the two it holds); the helpers cost `LM − 2M` cells (none for L = 2).
 *
 * *Soundness.* By induction on k, identity 1 and 2 pin `h_k[j·M + i] = Π_{j' ≡ j mod L/2^k} d_{j',i}` for j < L/2^k
 * (each of the two cells c, c + n/2 of H_n reads the one cell c of h_k, so both give it the same product), and 3
 * (or the L = 2 identity) says `Π_{j<L} d_{j,i} = 0` for every i < M: Fr is a field, so some `d_{j,i} = 0`, y_i is one
 * of its candidates. With the range obligation (`d ∈ [0, 2^bits)`, inside the window of docs/soundness.md rule 9)
 * `y_i ≥ x_{j·M+i}` over the integers for every j: `y_i = max_j x_{j·M+i}`. The identities constrain values on H
 * only, which the blindings `Z_H·b` leave unchanged (`Z_{H_M}(X^L) = Z_{H_LM}(X)`: y's blinding vanishes on H_{LM} too).
 *
 * *Padding.* Every cell of x is a candidate: a layout whose outputs have padding cells (the next convolution's 2-D
 * layout) gets zero candidates there from the copy that writes x (`src/pipeline/lower.ts`), so y is 0 there and so
 * is every difference of those outputs, in range.
 *
 * *Hiding.* x and y are statement rows, blinded by the pipeline (x opened at ζ and `ω^(LM/2)·ζ`, y at `ζ^L`); the
 * helpers are message oracles, blinded by the compiler for their points (each h_k at `ζ^2`, ζ and `ω^(n/2)·ζ`).
 * @module
 */
import type { G1Point } from '../src/curve';
import { BlockfoldError } from '../src/errors';
import { Fr } from '../src/field';
import { commit } from '../src/kzg/commit';
import { interpolate } from '../src/poly/interpolate';
import { isPowerOfTwo, log2Exact } from '../src/poly/roots';
import type { Block, BlockContext, DifferenceRange, TensorSpec, Tensors } from './block';
import { rowEvaluations } from './commit-rows';
import { PolyIopBlock } from './poly-iop-block';
import { at, composedAt, linearForm, rotatedAt, rowSlot, rowStatementSlots, term, type Factor, type Identity, type Oracle, type PolyIopProver, type PolyIopSpec } from './poly-iop';

/** Shape of a {@link SegmentMaxBlock}. */
export interface SegmentMaxOptions {
  /** Candidates L per output (a power of two ≥ 2): x holds L segments of M cells. */
  readonly candidates: number;
  /** Outputs M (a power of two): y's cells. */
  readonly outputs: number;
  /** The differences are range-checked in `[0, 2^bits)`. */
  readonly bits: number;
}

const helperOracle = (k: number) => `h/${k}`;
const helperSlot = (k: number) => `[h]/${k}`;

/** `y_i = max_j x_{j·M+i}` over L segments of x, the differences `y(X^L) − x(X)` never committed (module comment). */
export class SegmentMaxBlock extends PolyIopBlock implements Block {
  readonly kind = 'segment-max';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  readonly candidates: number;
  readonly outputs: number;
  readonly bits: number;
  protected readonly spec: PolyIopSpec;

  constructor(opts: SegmentMaxOptions) {
    super();
    const { candidates: L, outputs: M, bits } = opts;
    if (!Number.isSafeInteger(L) || L < 2 || !isPowerOfTwo(L)) throw new BlockfoldError('BLOCK', `segment max: the candidates must be a power of two ≥ 2, got ${L}`);
    if (!Number.isSafeInteger(M) || M < 1 || !isPowerOfTwo(M)) throw new BlockfoldError('BLOCK', `segment max: the outputs must be a power of two, got ${M}`);
    if (!Number.isInteger(bits) || bits < 1 || bits > 64) throw new BlockfoldError('BLOCK', `segment max: bits must be in 1..64, got ${bits}`);
    this.candidates = L;
    this.outputs = M;
    this.bits = bits;
    this.foldKey = `segment-max/L${L}/M${M}`;
    this.tensors = [
      { name: 'x', rows: 1, domain: L * M, role: 'input' },
      { name: 'y', rows: 1, domain: M, role: 'output' },
    ];
    this.spec = segmentSpec(this.foldKey, this.tensors, L, M);
  }

  /**
   * The powers of τ its quotient needs for rows of c blinding coefficients: `D = y(X^L) − x(X)` has degree
   * `LM + L·(c − 1)` (y's blinding spread L apart), so `D(X)·D(ω^(LM/2)·X)` over `Z_(H_LM)` leaves a quotient of degree
   * `LM + 2L·(c − 1)`. For a few outputs of many candidates that exceeds the `2·LM + 3c − 2` of a graph's key.
   */
  quotientPowers(c: number): number {
    const n = this.candidates * this.outputs;
    return n + 2 * this.candidates * (c - 1) + 1;
  }

  /** `y(X^L) − x(X) ∈ [0, 2^bits)` on every cell of x: each candidate at most its output (module comment). */
  differenceObligations(): DifferenceRange[] {
    return [{ minuend: 'y', subtrahend: 'x', power: this.candidates, lo: 0n, hi: (1n << BigInt(this.bits)) - 1n }];
  }

  /** `y_i = max_{j<L} x_{j·M+i}` over the integers. */
  witness(inputs: Tensors): Tensors {
    const { x } = inputs;
    const [L, M] = [this.candidates, this.outputs];
    if (!x || x.length !== 1 || x[0].length !== L * M) throw new BlockfoldError('BLOCK', `segment max: x must be one row of ${L * M} cells (${L} segments of ${M})`);
    const row = x[0];
    return { y: [Array.from({ length: M }, (_, i) => Array.from({ length: L }, (_, j) => row[j * M + i]).reduce((a, v) => (v > a ? v : a)))] };
  }

  /** The helpers `h_k[c] = h_(k−1)[c]·h_(k−1)[c + n/2]` (h_0 = the differences), committed in one round. */
  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    const [L, M] = [this.candidates, this.outputs];
    const x = rowEvaluations(tensors.x[0], L * M);
    const y = rowEvaluations(tensors.y[0], M);
    const polys: Record<string, bigint[]> = { [rowSlot('x', 0)]: interpolate(x, ctx.engine), [rowSlot('y', 0)]: interpolate(y, ctx.engine) };
    return {
      round: async () => {
        const out: Record<string, G1Point> = {};
        let level = x.map((v, c) => Fr.sub(Fr.create(y[c % M]), Fr.create(v)));
        for (let k = 1; k < log2Exact(L); k++) {
          const half = level.length / 2;
          level = Array.from({ length: half }, (_, c) => Fr.mul(level[c], level[c + half]));
          polys[helperOracle(k)] = interpolate(level, ctx.engine);
          out[helperSlot(k)] = await commit(ctx.kzg, polys[helperOracle(k)]);
        }
        return out;
      },
      polynomials: () => polys,
    };
  }
}

/** The spec of the halving identities (module comment) for L segments of M outputs. */
function segmentSpec(foldKey: string, tensors: readonly TensorSpec[], L: number, M: number): PolyIopSpec {
  const [x, y] = [rowSlot('x', 0), rowSlot('y', 0)];
  const n = L * M;
  const levels = log2Exact(L);
  // D(ω^s·X) = y(X^L) − x(ω^s·X): y(X^L) is unchanged by the rotation by n/2 (module comment).
  const difference = (s: number): Factor => linearForm(term(1, composedAt(y, L)), term(-1, s === 0 ? at(x) : rotatedAt(x, s)));
  const helpers = Array.from({ length: levels - 1 }, (_, i) => i + 1);
  const identities: Identity[] =
    levels === 1
      ? [{ name: 'product', domain: n, terms: [term(1, difference(0), difference(n / 2))] }]
      : [
          { name: 'halve/1', domain: n, terms: [term(1, composedAt(helperOracle(1), 2)), term(-1, difference(0), difference(n / 2))] },
          ...helpers.slice(1).map((k): Identity => {
            const size = n >> (k - 1);
            return { name: `halve/${k}`, domain: size, terms: [term(1, composedAt(helperOracle(k), 2)), term(-1, at(helperOracle(k - 1)), rotatedAt(helperOracle(k - 1), size / 2))] };
          }),
          { name: 'product', domain: 2 * M, terms: [term(1, at(helperOracle(levels - 1)), rotatedAt(helperOracle(levels - 1), M))] },
        ];
  return {
    foldKey,
    statement: rowStatementSlots(tensors),
    slots: helpers.map((k) => ({ name: helperSlot(k), sort: 'g1' as const, origin: 'message' as const })),
    rounds: helpers.length > 0 ? [{ kind: 'message', slots: helpers.map(helperSlot) }] : [],
    oracles: [
      { name: x, domain: n, commitment: x },
      { name: y, domain: M, commitment: y },
      ...helpers.map((k): Oracle => ({ name: helperOracle(k), domain: n >> k, commitment: helperSlot(k) })),
    ],
    publics: [],
    identities,
  };
}
