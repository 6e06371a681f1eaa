/**
 * A custom block on `PolyIopBlock` for the compiler's tests: `y = x^e` on one row of n cells, one identity
 * `x·…·x − y = 0` (e factors) on H_n, of degree e: a square (`test/blocks/poly-iop-block.test.ts`) or a cube, whose
 * quotient on H_1024 is about twice the domain (`test/blocks/quotient-pieces.test.ts`).
 */
import { at, PolyIopBlock, rowEvaluations, rowSlot, rowStatementSlots, term, type Block, type BlockContext, type PolyIopProver, type PolyIopSpec, type TensorSpec, type Tensors } from '../../blocks/index';
import { interpolate } from '../../src/poly/interpolate';

/** `y = x^exponent` on H_n (module comment). */
export class PowerBlock extends PolyIopBlock implements Block {
  readonly kind = 'test-power';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  protected readonly spec: PolyIopSpec;

  /** With `fixedX`, x is declared a weight committed at setup (which this block would wrongly open directly). */
  constructor(readonly n: number, readonly exponent: number, fixedX = false) {
    super();
    this.foldKey = `test-power/${exponent}/${n}`;
    this.tensors = [
      { name: 'x', rows: 1, domain: n, role: 'input', ...(fixedX ? { fixed: true } : {}) },
      { name: 'y', rows: 1, domain: n, role: 'output' },
    ];
    const [x, y] = [rowSlot('x', 0), rowSlot('y', 0)];
    this.spec = {
      foldKey: this.foldKey,
      statement: rowStatementSlots(this.tensors),
      slots: [],
      rounds: [],
      oracles: [
        { name: x, domain: n, commitment: x },
        { name: y, domain: n, commitment: y },
      ],
      publics: [],
      identities: [{ name: 'power', domain: n, terms: [term(1, ...Array.from({ length: exponent }, () => at(x))), term(-1, at(y))] }],
    };
  }

  witness(inputs: Tensors): Tensors {
    return { y: [inputs.x[0].map((v) => v ** BigInt(this.exponent))] };
  }

  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    const polys = { [rowSlot('x', 0)]: interpolate(rowEvaluations(tensors.x[0], this.n), ctx.engine), [rowSlot('y', 0)]: interpolate(rowEvaluations(tensors.y[0], this.n), ctx.engine) };
    return { round: () => ({}), polynomials: () => polys };
  }
}
