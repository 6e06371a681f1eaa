/**
 * Shared helpers of the soundness suite (docs/soundness.md): a block context on a test SRS, proving and
 * verifying one leaf against an arbitrary protocol with an arbitrary (cheating) message source, a tiny quotient
 * protocol (`y = x ∘ x` on H_n) whose schedule and equations a test can break on purpose, and small instances of
 * every built-in block for structural checks.
 */
import { G1, Fr, R, batchOpen, batchOpeningEquation, commit, getDefaultEngine, poly, EvaluationDomain, type G1Point, type SlotDecl, type SlotValues, type Equation } from '../../src/index';
import type { PairingMonomial } from '../../src/equations/equation';
import {
  commitRows,
  proveBlock,
  verifyBlock,
  BroadcastBlock,
  HadamardBlock,
  LinearBlock,
  LimbSplitBlock,
  LookupBlock,
  MatmulBlock,
  RangeBlock,
  MaxBlock,
  SegmentMaxBlock,
  PermutationBlock,
  RelinkBlock,
  RescaleBlock,
  SumBlock,
  rangeTable,
  reluTable,
  transposeMap,
  type Block,
  type BlockContext,
  polyIopProtocol,
  polyIopProver,
  type MessageSource,
  type PolyIopProver,
  type PolyIopSpec,
  type Protocol,
  type Tensors,
} from '../../blocks/index';
import type { Verdict } from '../../blocks/batch-verify';
import { testKzgKey, testKzgKeyWithRange } from '../helpers/kzg';

/** The range table of the built-in range block ({@link builtinBlocks}), which {@link context} keys hold from 18 powers on. */
export const RANGE_TABLE_SIZE = 16;

/** A block context on a test SRS with `size` G1 powers (default engine), with the range table when it fits. */
export async function context(size = 64, allowInvalidWitness = false): Promise<BlockContext> {
  const engine = getDefaultEngine();
  return { engine, kzg: size >= RANGE_TABLE_SIZE + 2 ? await testKzgKeyWithRange(size, RANGE_TABLE_SIZE, engine) : await testKzgKey(size, engine), allowInvalidWitness };
}

/**
 * Proves `block` on `tensors` as given with the prover's checks bypassed (a cheating witness is proven, quotients
 * dropping their remainders) and verifies against the tensors' own commitments; `spec` replaces the block's spec
 * (a check dropped, to show a forgery it catches) and `prover` its side of the prover (a cheating message).
 */
export async function cheatingVerdict(block: Block, ctx: BlockContext, tensors: Tensors, spec?: PolyIopSpec, prover?: (x: BlockContext) => PolyIopProver): Promise<Verdict> {
  const s = spec ?? block.iopSpec!(ctx);
  const protocol = polyIopProtocol(s, ctx.kzg, ctx.engine);
  const statement = await statementOf(block, ctx, tensors);
  const carrier = { prover: (x: BlockContext) => polyIopProver(s, x, prover ? prover(x) : block.iopProver!(x, tensors)) } as unknown as Block;
  const proof = await proveBlock(carrier, { ...ctx, allowInvalidWitness: true }, protocol, statement, tensors);
  return verifyBlock(ctx, protocol, statement, proof);
}

/** Statement slots of `block` on `tensors`, from the verifier's own row commitments. */
export async function statementOf(block: Block, ctx: BlockContext, tensors: Tensors): Promise<SlotValues> {
  const c: Record<string, G1Point[]> = {};
  for (const t of block.tensors) c[t.name] = await commitRows(ctx.kzg, tensors[t.name], t.domain);
  return block.statement(c);
}

/** Proves one leaf of `protocol` with `prover` (any message source) and verifies it against `statement`. */
export async function proveAndVerify(ctx: BlockContext, protocol: Protocol, statement: SlotValues, prover: MessageSource): Promise<Verdict> {
  const carrier = { prover: () => prover } as unknown as Block;
  const bytes = await proveBlock(carrier, ctx, protocol, statement, {});
  return verifyBlock(ctx, protocol, statement, bytes);
}

/** Proves a built-in block honestly-or-not (`ctx.allowInvalidWitness`) on `tensors`; returns the verdict. */
export async function blockVerdict(block: Block, ctx: BlockContext, tensors: Tensors): Promise<Verdict> {
  const protocol = block.protocol(ctx);
  const statement = await statementOf(block, ctx, tensors);
  return proveAndVerify(ctx, protocol, statement, block.prover(ctx, tensors));
}

// ---------------------------------------------------------------------------------------------------------------
// A tiny quotient protocol: y = x ∘ x on H_n, `x(X)² − y(X) = t(X)·Z_H(X)` checked at ζ with one batched opening.
// ---------------------------------------------------------------------------------------------------------------

/** Variants of the square protocol that break one rule on purpose. */
export interface SquareVariant {
  /** Rule 1 broken: ζ is drawn before the quotient commitment T is absorbed. */
  readonly zetaBeforeQuotient?: boolean;
  /** Rule 2 broken: a free prover G1 message `corr` is added to the opening equation, paired with [1]₂. */
  readonly correction?: boolean;
}

export const SQUARE_OPENED = ['X', 'Y', 'T'] as const;

/** The square protocol (statement X, Y row commitments over H_n). */
export function squareProtocol(ctx: BlockContext, n: number, variant: SquareVariant = {}): Protocol {
  const domain = new EvaluationDomain(n);
  const slots: SlotDecl[] = [
    { name: 'X', sort: 'g1', origin: 'statement' },
    { name: 'Y', sort: 'g1', origin: 'statement' },
    { name: 'T', sort: 'g1', origin: 'message' },
    { name: 'zeta', sort: 'fr', origin: 'challenge' },
    { name: 'zh', sort: 'fr', origin: 'derived' },
    { name: 'x', sort: 'fr', origin: 'message' },
    { name: 'y', sort: 'fr', origin: 'message' },
    { name: 't', sort: 'fr', origin: 'message' },
    { name: 'v0', sort: 'fr', origin: 'challenge' },
    { name: 'v1', sort: 'fr', origin: 'challenge' },
    { name: 'v2', sort: 'fr', origin: 'challenge' },
    { name: 'pi', sort: 'g1', origin: 'message' },
    ...(variant.correction ? [{ name: 'corr', sort: 'g1', origin: 'message' } as const] : []),
  ];
  const derivedZh = { kind: 'derived' as const, slots: ['zh'], compute: (v: SlotValues) => ({ zh: domain.vanishingAt(v.zeta as bigint) }) };
  const schedule: Protocol['schedule'] = variant.zetaBeforeQuotient
    ? [
        { kind: 'statement', slots: ['X', 'Y'] },
        { kind: 'challenge', slots: ['zeta'] },
        { kind: 'message', slots: ['T'] },
        derivedZh,
        { kind: 'message', slots: ['x', 'y', 't'] },
        { kind: 'challenge', slots: ['v0', 'v1', 'v2'] },
        { kind: 'message', slots: variant.correction ? ['pi', 'corr'] : ['pi'] },
      ]
    : [
        { kind: 'statement', slots: ['X', 'Y'] },
        { kind: 'message', slots: ['T'] },
        { kind: 'challenge', slots: ['zeta'] },
        derivedZh,
        { kind: 'message', slots: ['x', 'y', 't'] },
        { kind: 'challenge', slots: ['v0', 'v1', 'v2'] },
        { kind: 'message', slots: variant.correction ? ['pi', 'corr'] : ['pi'] },
      ];
  const opening = batchOpeningEquation(ctx.kzg, 'open', {
    commitments: [...SQUARE_OPENED],
    evaluations: ['x', 'y', 't'],
    challenges: ['v0', 'v1', 'v2'],
    point: 'zeta',
    proof: 'pi',
  });
  const correction: PairingMonomial = { coeff: 1n, scalars: [], g1: 'corr', g2: ctx.kzg.g2One };
  const equations: Equation[] = [
    {
      kind: 'field',
      name: 'square',
      terms: [
        { coeff: 1n, scalars: ['x', 'x'] },
        { coeff: R - 1n, scalars: ['y'] },
        { coeff: R - 1n, scalars: ['t', 'zh'] },
      ],
    },
    variant.correction ? { ...opening, terms: [...opening.terms, correction] } : opening,
  ];
  const tag = `${variant.zetaBeforeQuotient ? '/zeta-first' : ''}${variant.correction ? '/corr' : ''}`;
  return { foldKey: `soundness-square/${n}${tag}`, maxDegree: 2, slots, equations, schedule };
}

/** The honest square prover on `x` and `y` (values on H_n); with a wrong y, it drops the remainder of the quotient. */
export function squareProver(ctx: BlockContext, n: number, xs: readonly bigint[], ys: readonly bigint[]): MessageSource {
  const domain = new EvaluationDomain(n, ctx.engine);
  const x = domain.ifft(xs.map((v) => Fr.create(v)));
  const y = domain.ifft(ys.map((v) => Fr.create(v)));
  const p = poly.sub(poly.mul(x, x), y);
  const t = poly.divideByVanishing(p, n).quotient;
  const polys = [x, y, t];
  return async (decls, v): Promise<SlotValues> => {
    const first = decls[0].name;
    if (first === 'T') return { T: await commit(ctx.kzg, t) };
    if (first === 'x') {
      const z = v.zeta as bigint;
      return { x: poly.evaluate(x, z), y: poly.evaluate(y, z), t: poly.evaluate(t, z) };
    }
    const pi = await batchOpen(ctx.kzg, { polys, point: v.zeta as bigint, challenges: [v.v0, v.v1, v.v2] as bigint[] });
    return decls.length === 2 ? { pi, corr: G1.ZERO } : { pi };
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Small instances of every built-in block (structural checks over all of them).
// ---------------------------------------------------------------------------------------------------------------

/** One small instance of each built-in block kind, with honest inputs. */
export function builtinBlocks(): { block: Block; inputs: Tensors }[] {
  return [
    { block: new LinearBlock({ operation: { op: 'add' }, rows: 2, domain: 4 }), inputs: { a: [[1n, 2n, 3n, 4n], [5n, 6n, 7n, 8n]], b: [[1n, 1n, 1n, 1n], [2n, 2n, 2n, 2n]] } },
    { block: new HadamardBlock({ rows: 2, domain: 4 }), inputs: { a: [[1n, 2n, 3n, 4n], [5n, 6n, 7n, 8n]], b: [[1n, -1n, 2n, 0n], [2n, 2n, 2n, 2n]] } },
    { block: new MatmulBlock({ m: 2, k: 3, n: 2, fixedB: true, innerDomain: 4, outerDomain: 2 }), inputs: { a: [[1n, 2n, 3n], [4n, 5n, 6n]], b: [[1n, 0n, 1n], [2n, 1n, 0n]] } },
    { block: new MatmulBlock({ m: 2, k: 3, n: 2, fixedB: false, innerDomain: 4, outerDomain: 2 }), inputs: { a: [[1n, 2n, 3n], [4n, 5n, 6n]], b: [[1n, 0n, 1n], [2n, 1n, 0n]] } },
    { block: new MatmulBlock({ m: 2, k: 3, n: 2, fixedB: true, flat: true }), inputs: { a: [[1n, 2n, 3n, 0n, 4n, 5n, 6n, 0n]], b: [[1n, 0n, 1n], [2n, 1n, 0n]] } },
    { block: new MatmulBlock({ m: 2, k: 3, n: 2, fixedB: false, flat: true }), inputs: { a: [[1n, 2n, 3n, 0n, 4n, 5n, 6n, 0n]], b: [[1n, 0n, 1n], [2n, 1n, 0n]] } },
    { block: new SumBlock({ rows: 2, length: 3, domain: 4, sumsDomain: 2 }), inputs: { x: [[1n, 2n, 3n], [4n, 5n, 6n]] } },
    { block: new SumBlock({ rows: 2, length: 3, domain: 4, flat: true, product: true }), inputs: { x: [[1n, -2n, 3n, 9n, 4n, 5n, -6n, 9n]], w: [[2n, 1n, -1n, 5n, 3n, 0n, 2n, 5n]] } },
    { block: new SumBlock({ rows: 2, length: 4, domain: 4, flat: true, broadcast: true }), inputs: { x: [[1n, -2n, 3n, 9n, 4n, 5n, -6n, 9n]] } },
    { block: new MaxBlock({ candidates: 2, rows: 1, domain: 4, bits: 4 }), inputs: { x: [[1n, 5n, 3n, 0n], [2n, 4n, 3n, 0n]] } },
    { block: new SegmentMaxBlock({ candidates: 4, outputs: 2, bits: 4 }), inputs: { x: [[1n, 5n, 3n, 0n, -2n, 4n, 3n, 2n]] } },
    { block: new LookupBlock(rangeTable(0n, 16n), [{ input: 'x', rows: 1, domain: 4, length: 3 }]), inputs: { x: [[1n, 15n, 7n]] } },
    {
      block: new RangeBlock(RANGE_TABLE_SIZE, [
        { input: 'x', rows: 1, domain: 4, length: 3 },
        { input: 'y', rows: 1, domain: 4, length: 4, lo: -2n, bits: 2 },
        { input: 'u', rows: 1, domain: 8, length: 8, bits: 3, difference: { minuend: 'v', power: 4 } },
      ]),
      inputs: { x: [[1n, 15n, 7n]], y: [[-2n, 1n, 0n, -1n]], u: [[3n, 1n, 0n, 5n, -2n, 2n, 1n, 4n]], v: [[3n, 5n]] },
    },
    { block: new LookupBlock(reluTable(-8n, 8n), [{ input: 'x', output: 'y', rows: 1, domain: 4, length: 4 }]), inputs: { x: [[-3n, 0n, 5n, 7n]] } },
    // 3×2 → 2×3: the output rows hold a padding cell, so the copy's padding identity is in play.
    { block: new PermutationBlock(transposeMap({ name: 'in', rows: 3, length: 2 }, 'out')), inputs: { in: [[1n, 2n], [3n, 4n], [5n, 6n]] } },
    { block: new BroadcastBlock({ rows: 2, rowLength: 4 }), inputs: { in: [[3n, -2n]] } },
    { block: new RescaleBlock({ input: 'x', output: 'y', remainder: 'r', rows: 1, domain: 4, length: 3, shift: 2, outputBits: 8 }), inputs: { x: [[13n, -7n, 2n]] } },
    { block: new LimbSplitBlock({ rows: 1, domain: 4, length: 3, offset: 8n, limbBits: 2 }), inputs: { v: [[-8n, 0n, 7n]] } },
    { block: new RelinkBlock({ rows: 2, domain: 4 }), inputs: { x: [[1n, -2n, 3n], [4n, 5n, -6n]] } },
  ];
}
