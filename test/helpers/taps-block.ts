/**
 * A custom block that reads its input at rotations (`blocks/poly-iop.ts`, "Rotations"), for the rotation tests: on H_8,
 * `y_i = (x_(i+2) + 1) + x_(i−1)·x_(i+5) − x_i` (one read inside a linear form) and a sum claim of the convolution's
 * shape `Σ_t c_t·(a)·mask·x(ω^(s_t)·X) = T`, plain or row-weighted, with its codec so a model holding it has keys.
 */
import {
  at,
  linearForm,
  PolyIopBlock,
  pub,
  publicVector,
  rotatedAt,
  rowEvaluations,
  rowSlot,
  rowStatementSlots,
  rowWeightMultiplier,
  runningSumValues,
  scalar,
  sumClaim,
  term,
  type Block,
  type BlockCodec,
  type BlockContext,
  type OpeningRotations,
  type PolyIopProver,
  type PolyIopSpec,
  type TensorSpec,
  type Tensors,
} from '../../blocks/index';
import { PermutationBlock } from '../../blocks/index';
import { Fr } from '../../src/field';
import { compile } from '../../src/pipeline/compile';
import { srsG1PowersOf, type BlockGraph } from '../../src/pipeline/block-graph';
import { sampleFeeds, sampleOnnx } from './sample-artifacts';
import { frSlot } from '../../src/equations/evaluate';
import { interpolate } from '../../src/poly/interpolate';

export const N = 8;
export const MASK = [1n, 1n, 0n, 1n, 1n, 0n, 1n, 1n];
/** The taps of the sum claim: (coefficient, reads a, rotation). */
export const TAPS: readonly [bigint, boolean, number][] = [
  [3n, true, 2],
  [-2n, true, -1],
  [5n, false, N - 3],
];
export const cell = (xs: readonly bigint[], i: number, s: number) => xs[(((i + s) % N) + N) % N];

/**
 * `y_i = (x_(i+2) + 1) + x_(i−1)·x_(i+5) − x_i` (indices mod 8), and the claim `Σ_i μ-weights·mask_i·Σ_t c_t·(a)·x_(i+s_t) = T`
 * with T a message after the challenge a (row-weighted by a over rows of 4 when `weighted`).
 */
export class TapsBlock extends PolyIopBlock implements Block {
  readonly kind: string = 'test-taps';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[] = [
    { name: 'x', rows: 1, domain: N, role: 'input' },
    { name: 'y', rows: 1, domain: N, role: 'output' },
  ];
  protected readonly spec: PolyIopSpec;

  constructor(readonly weighted: boolean, readonly wrongTotal?: (xs: bigint[]) => bigint[]) {
    super();
    this.foldKey = `test-taps/${weighted ? 'weighted' : 'plain'}`;
    const [x, y] = [rowSlot('x', 0), rowSlot('y', 0)];
    const mask = publicVector('mask', N, () => MASK);
    const claim = sumClaim({
      name: 'taps',
      domain: N,
      summand: TAPS.map(([c, scaled, s]) => term(c, ...(scaled ? [scalar('a')] : []), pub(mask.name), rotatedAt(x, s))),
      total: [term(1, scalar('T'))],
      ...(weighted ? { rowWeights: { challenge: 'a', rowLength: 4 } } : {}),
    });
    this.spec = {
      foldKey: this.foldKey,
      statement: rowStatementSlots(this.tensors),
      slots: [
        { name: 'a', sort: 'fr', origin: 'challenge' },
        { name: 'T', sort: 'fr', origin: 'message' },
      ],
      rounds: [
        { kind: 'challenge', slots: ['a'] },
        { kind: 'message', slots: ['T'] },
      ],
      oracles: [
        { name: x, domain: N, commitment: x },
        { name: y, domain: N, commitment: y },
      ],
      publics: [mask],
      identities: [
        {
          name: 'taps',
          domain: N,
          terms: [term(1, at(y)), term(-1, linearForm(term(1, rotatedAt(x, 2)), term(1))), term(-1, rotatedAt(x, -1), rotatedAt(x, N - 3)), term(1, at(x))],
        },
      ],
      sums: [claim],
    };
  }

  witness(inputs: Tensors): Tensors {
    const xs = inputs.x[0];
    return { y: [xs.map((v, i) => cell(xs, i, 2) + 1n + cell(xs, i, -1) * cell(xs, i, N - 3) - v)] };
  }

  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    const xs = rowEvaluations(tensors.x[0], N);
    const polys = { [rowSlot('x', 0)]: interpolate(xs, ctx.engine), [rowSlot('y', 0)]: interpolate(rowEvaluations(tensors.y[0], N), ctx.engine) };
    const read = this.wrongTotal?.(xs) ?? xs;
    return {
      round: (decls, values): Record<string, bigint> => {
        if (!decls.some((d) => d.name === 'T')) return {};
        const a = frSlot(values, 'a');
        const summand = read.map((_, i) => Fr.create(MASK[i] * TAPS.reduce((acc, [c, scaled, s]) => acc + c * (scaled ? a : 1n) * cell(read, i, s), 0n)));
        const weights = this.weighted ? rowWeightMultiplier('taps', N, { challenge: 'a', rowLength: 4 }).values(values) : undefined;
        return { T: runningSumValues(summand, weights).sum };
      },
      polynomials: () => polys,
    };
  }
}


/** A {@link TapsBlock} that declares no rotation (as a custom block that forgets to): the pipeline must refuse it. */
export class UndeclaredTapsBlock extends TapsBlock {
  override readonly kind: string = 'test-taps-undeclared';
  override openingRotations(): OpeningRotations {
    return { rows: {}, ownPoints: 1 };
  }
}

/** The codecs of the two blocks (one flag: row-weighted). */
export const tapsCodecs: BlockCodec[] = [
  { kind: 'test-taps', encode: (b, w) => void w.uvarint((b as TapsBlock).weighted ? 1 : 0), decode: (r) => new TapsBlock(r.count(1, 'weighted') === 1) },
  { kind: 'test-taps-undeclared', encode: (b, w) => void w.uvarint((b as TapsBlock).weighted ? 1 : 0), decode: (r) => new UndeclaredTapsBlock(r.count(1, 'weighted') === 1) },
];

/** The sample MLP with `taps` reading a copy of the input (4 cells, twice) (`taps.x`) and writing `taps.y`. */
export function withTapsBlock(taps: Block) {
  const model = compile(sampleOnnx(), [sampleFeeds()]);
  const input = model.graph.tensors.find((t) => t.kind === 'input')!;
  const copy = new PermutationBlock({
    label: 'taps-copy',
    inputs: [{ name: 'i', rows: input.rows, length: input.domain, domain: input.domain }],
    output: { name: 'o', rows: 1, length: N, domain: N },
    cells: [Array.from({ length: N }, (_, col) => ({ input: 0, row: 0, col: col % input.domain }))],
  });
  const graph: BlockGraph = {
    tensors: [...model.graph.tensors, { id: 'taps.x', kind: 'wire', rows: 1, domain: N }, { id: 'taps.y', kind: 'wire', rows: 1, domain: N }],
    nodes: [...model.graph.nodes, { block: copy, bind: { i: input.id, o: 'taps.x' } }, { block: taps, bind: { x: 'taps.x', y: 'taps.y' } }],
  };
  return { base: model, model: { ...model, graph, srsG1Powers: srsG1PowersOf(graph) } };
}
