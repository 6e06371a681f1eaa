/**
 * A custom block that reads its inputs composed (`blocks/poly-iop.ts`, "Compositions") and rotated, for the
 * composition tests: on H_8, `x_i = y_(i mod 4)·u_(i+1) + z_(i mod 2) + 1`, with y on H_4 read as `y(X^2)`, z on H_2
 * read as `z(X^4)` inside a linear form, and u on H_8 read at the rotation 1: the identity
 * `x(X) − y(X^2)·u(ω·X) − (z(X^4) + 1) = 0` on H_8.
 */
import { at, composedAt, linearForm, PolyIopBlock, rotatedAt, rowEvaluations, rowSlot, rowStatementSlots, term, type Block, type BlockContext, type PolyIopProver, type PolyIopSpec, type TensorSpec, type Tensors } from '../../blocks/index';
import { interpolate } from '../../src/poly/interpolate';

export const N = 8;

/** `x_i = y_(i mod 4)·u_(i+1 mod 8) + z_(i mod 2) + 1` (module comment). */
export class ComposeBlock extends PolyIopBlock implements Block {
  readonly kind = 'test-compose';
  readonly foldKey = 'test-compose';
  readonly tensors: readonly TensorSpec[] = [
    { name: 'u', rows: 1, domain: N, role: 'input' },
    { name: 'y', rows: 1, domain: N / 2, role: 'input' },
    { name: 'z', rows: 1, domain: N / 4, role: 'input' },
    { name: 'x', rows: 1, domain: N, role: 'output' },
  ];
  protected readonly spec: PolyIopSpec;

  constructor() {
    super();
    const [u, y, z, x] = ['u', 'y', 'z', 'x'].map((t) => rowSlot(t, 0));
    this.spec = {
      foldKey: this.foldKey,
      statement: rowStatementSlots(this.tensors),
      slots: [],
      rounds: [],
      oracles: [
        { name: u, domain: N, commitment: u },
        { name: y, domain: N / 2, commitment: y },
        { name: z, domain: N / 4, commitment: z },
        { name: x, domain: N, commitment: x },
      ],
      publics: [],
      identities: [{ name: 'compose', domain: N, terms: [term(1, at(x)), term(-1, composedAt(y, 2), rotatedAt(u, 1)), term(-1, linearForm(term(1, composedAt(z, 4)), term(1)))] }],
    };
  }

  witness(inputs: Tensors): Tensors {
    const [u, y, z] = [inputs.u[0], inputs.y[0], inputs.z[0]];
    return { x: [u.map((_, i) => y[i % 4] * u[(i + 1) % N] + z[i % 2] + 1n)] };
  }

  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    const polys = Object.fromEntries(this.tensors.map((t) => [rowSlot(t.name, 0), interpolate(rowEvaluations(tensors[t.name][0], t.domain), ctx.engine)]));
    return { round: () => ({}), polynomials: () => polys };
  }
}
