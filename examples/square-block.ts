/**
 * A custom block written only against the published package (`blockfold`, `blockfold/blocks`): the square
 * `y = x ∘ x` of one row of n cells.
 *
 * Protocol: the rows are committed as their interpolants x(X), y(X) over the n-th roots of unity H. The
 * relation holds on every cell iff `x(X)² − y(X)` vanishes on H, i.e. equals `t(X)·Z_H(X)` with
 * `Z_H(X) = Xⁿ − 1`. The prover commits t before the verifier draws ζ, then opens x, y, t at ζ in one
 * batched KZG opening; the verifier checks `x(ζ)² − y(ζ) − t(ζ)·Z_H(ζ) = 0`. A false witness makes the
 * left side a nonzero polynomial of degree < 2n, so a random ζ catches it except with probability 2n/r.
 *
 * The block declares its verifier side as data (slots, schedule, equations); blockfold verifies it, batches
 * it with other blocks into one multi-pairing and folds it Mira-style without any code of its own. Its codec
 * ({@link squareBlockCodec}) lets a model holding it be saved in key files: register it with `registerBlockCodec`.
 */
import { BlockfoldError, EvaluationDomain, Fr, batchOpen, batchOpeningEquation, commit, frSlot, poly, type G1Point, type SlotDecl, type SlotValues } from 'blockfold';
import { rowEvaluations, type Block, type BlockCodec, type BlockContext, type Protocol, type Tensors } from 'blockfold/blocks';

/** The square block over rows of `n` cells (n a power of two). */
export function squareBlock(n: number): Block {
  const domain = new EvaluationDomain(n);
  const foldKey = `custom-square/${n}`;
  const slots: SlotDecl[] = [
    { name: 'X', sort: 'g1', origin: 'statement' }, // [x(τ)]₁, the input row's commitment
    { name: 'Y', sort: 'g1', origin: 'statement' }, // [y(τ)]₁, the output row's commitment
    { name: 'T', sort: 'g1', origin: 'message' }, // [t(τ)]₁, the quotient
    { name: 'zeta', sort: 'fr', origin: 'challenge' },
    { name: 'x', sort: 'fr', origin: 'message' }, // x(ζ)
    { name: 'y', sort: 'fr', origin: 'message' }, // y(ζ)
    { name: 't', sort: 'fr', origin: 'message' }, // t(ζ)
    { name: 'zh', sort: 'fr', origin: 'derived' }, // Z_H(ζ), computed by the verifier
    { name: 'v0', sort: 'fr', origin: 'challenge' },
    { name: 'v1', sort: 'fr', origin: 'challenge' },
    { name: 'v2', sort: 'fr', origin: 'challenge' },
    { name: 'pi', sort: 'g1', origin: 'message' }, // the batched opening proof
  ];
  return {
    kind: 'custom-square',
    foldKey,
    tensors: [
      { name: 'x', rows: 1, domain: n, role: 'input' },
      { name: 'y', rows: 1, domain: n, role: 'output' },
    ],
    witness: (inputs: Tensors) => ({ y: [inputs.x[0].map((v) => v * v)] }),
    protocol(ctx: BlockContext): Protocol {
      return {
        foldKey,
        maxDegree: 2,
        slots,
        // Every message is in the transcript before the challenge that follows it.
        schedule: [
          { kind: 'statement', slots: ['X', 'Y'] },
          { kind: 'message', slots: ['T'] },
          { kind: 'challenge', slots: ['zeta'] },
          { kind: 'message', slots: ['x', 'y', 't'] },
          { kind: 'derived', slots: ['zh'], compute: (v: SlotValues) => ({ zh: domain.vanishingAt(frSlot(v, 'zeta')) }) },
          { kind: 'challenge', slots: ['v0', 'v1', 'v2'] },
          { kind: 'message', slots: ['pi'] },
        ],
        equations: [
          {
            kind: 'field',
            name: 'square',
            terms: [
              { coeff: 1n, scalars: ['x', 'x'] },
              { coeff: Fr.neg(1n), scalars: ['y'] },
              { coeff: Fr.neg(1n), scalars: ['t', 'zh'] },
            ],
          },
          batchOpeningEquation(ctx.kzg, 'open', { commitments: ['X', 'Y', 'T'], evaluations: ['x', 'y', 't'], challenges: ['v0', 'v1', 'v2'], point: 'zeta', proof: 'pi' }),
        ],
      };
    },
    statement: (c: Readonly<Record<string, readonly G1Point[]>>) => ({ X: c.x[0], Y: c.y[0] }),
    prover(ctx: BlockContext, tensors: Tensors) {
      const x = poly.interpolate(rowEvaluations(tensors.x[0], n), ctx.engine);
      const y = poly.interpolate(rowEvaluations(tensors.y[0], n), ctx.engine);
      const division = poly.divideByVanishing(poly.sub(poly.mul(x, x, ctx.engine), y), n);
      // The conformance harness sets allowInvalidWitness to check that a cheating prover is rejected.
      if (!ctx.allowInvalidWitness && division.remainder.some((c) => c !== 0n)) throw new BlockfoldError('BLOCK', 'witness does not satisfy y = x²');
      const t = division.quotient;
      return async (decls: readonly SlotDecl[], v: SlotValues): Promise<SlotValues> => {
        const first = decls[0].name;
        if (first === 'T') return { T: await commit(ctx.kzg, t) };
        const zeta = frSlot(v, 'zeta');
        if (first === 'x') return { x: poly.evaluate(x, zeta), y: poly.evaluate(y, zeta), t: poly.evaluate(t, zeta) };
        const challenges = ['v0', 'v1', 'v2'].map((s) => frSlot(v, s));
        return { pi: await batchOpen(ctx.kzg, { polys: [x, y, t], point: zeta, challenges }) };
      };
    },
  };
}

/**
 * The square block's codec: its one public parameter is n, written as a varint; decoding checks that n is a power
 * of two no larger than the graph's largest domain before building the block.
 */
export const squareBlockCodec: BlockCodec = {
  kind: 'custom-square',
  encode: (block, w) => void w.uvarint(block.tensors[0].domain),
  decode: (r) => squareBlock(r.domain('square domain')),
};
