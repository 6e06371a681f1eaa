/**
 * Vanishing claims of the poly-IOP compiler (`PolyIopSpec.vanishingClaims`, blocks/poly-iop.ts): a block claims that
 * a polynomial it never forms vanishes at a challenge point of its rounds, and commits the quotient itself
 * (`PolyIopProver.vanishingQuotient`). A toy block commits P before a challenge z and sends y = P(z), claiming that
 * `[P]₁ − y·[1]₁` vanishes at z; P is committed from a known τ with more coefficients than the key's powers, as a
 * polynomial over another basis would be. Honest proofs verify alone and as two members of a model argument; a
 * wrong value, a wrong quotient or a wrong P is rejected; the compiler refuses a claim whose point is drawn before
 * the messages it reads, or that weights a commitment of the prover by a scalar sent after its point, or that is no
 * challenge, or a spec with no tail to open it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { G1, G1_ONE, type G1Point } from '../../src/curve';
import type { SlotDecl, SlotValues } from '../../src/equations/equation';
import { frSlot } from '../../src/equations/evaluate';
import { Fr, R } from '../../src/field';
import { interpolate } from '../../src/poly/interpolate';
import { divideByLinear } from '../../src/poly/division';
import { evaluate } from '../../src/poly/polynomial';
import { Transcript } from '../../src/transcript';
import { getDefaultEngine } from '../../src/engine/index';
import { commitRows, rowEvaluations, type Block, type BlockContext, type Tensors } from '../../blocks/index';
import { proveLeaf } from '../../blocks/leaf';
import { modelArgumentProtocol, modelArgumentProver, modelArgumentSpec, modelArgumentStatement } from '../../blocks/model-argument';
import { at, polyIopProtocol, polyIopProver, rowStatement, term, type PolyIopProver, type PolyIopSpec } from '../../blocks/poly-iop';
import { replayAndVerify } from '../helpers/replay-verify';
import { frArb, polyArb } from '../poly/naive';
import { TAU, testKey } from '../kzg/helpers';

const engine = getDefaultEngine();
const N = 4;
const POWERS = 2 * N + 8;
const keyPromise = testKey(engine, POWERS - 1);

/** `[f(τ)]₁` from the known τ, whatever f's length. */
function commitAnywhere(f: readonly bigint[]): G1Point {
  const v = Fr.create(evaluate(f, TAU));
  return v === 0n ? G1.ZERO : G1_ONE.multiply(v);
}

/** How the toy's prover cheats: its claimed value, its quotient, or its P moved after z. */
interface Cheat {
  readonly value?: bigint;
  readonly quotient?: bigint;
}

/**
 * The toy block over bits x on H_4 (`x·(x − 1) = 0`, so the tail has an identity), with the claim. `order` puts P's
 * message before z (the honest order) or after it (refused by the compiler's lint).
 */
function toyBlock(ctx: BlockContext, p: readonly bigint[], cheat: Cheat = {}, order: 'P-then-z' | 'z-then-P' = 'P-then-z'): Block & { iopSpec(): PolyIopSpec; iopProver(c: BlockContext, t: Tensors): PolyIopProver } {
  const tensors = [{ name: 'x', rows: 1, domain: N, role: 'input' as const }];
  const slots: SlotDecl[] = [
    { name: 'P', sort: 'g1', origin: 'message' },
    { name: 'z', sort: 'fr', origin: 'challenge' },
    { name: 'y', sort: 'fr', origin: 'message' },
  ];
  const spec: PolyIopSpec = {
    foldKey: 'toy-vanishing',
    statement: [{ name: 'x/0', sort: 'g1', origin: 'statement' }],
    slots,
    rounds:
      order === 'P-then-z'
        ? [{ kind: 'message', slots: ['P'] }, { kind: 'challenge', slots: ['z'] }, { kind: 'message', slots: ['y'] }]
        : [{ kind: 'challenge', slots: ['z'] }, { kind: 'message', slots: ['P'] }, { kind: 'message', slots: ['y'] }],
    oracles: [{ name: 'x', domain: N, commitment: 'x/0' }],
    publics: [],
    identities: [{ name: 'bits', domain: N, terms: [term(1, at('x'), at('x')), term(-1, at('x'))] }],
    selfBlinded: ['P'],
    vanishingClaims: [
      {
        name: 'eval',
        point: 'z',
        terms: [
          { coeff: 1n, scalars: [], commitment: 'P' },
          { coeff: R - 1n, scalars: ['y'], commitment: ctx.kzg.g1One },
        ],
      },
    ],
  };
  const iopProver = (_c: BlockContext, t: Tensors): PolyIopProver => ({
    round: (decls, values): SlotValues => {
      if (decls[0].name === 'P') return { P: commitAnywhere(p) };
      return { y: Fr.add(evaluate(p, frSlot(values, 'z')), cheat.value ?? 0n) };
    },
    polynomials: () => ({ x: interpolate(rowEvaluations(t.x[0], N), engine) }),
    vanishingQuotient: async (claim, values) => {
      assert.equal(claim, 'eval');
      const y = frSlot(values, 'y');
      const q = divideByLinear([Fr.sub(p[0] ?? 0n, y), ...p.slice(1)], frSlot(values, 'z')).quotient;
      return commitAnywhere(q.map((c, i) => (i === 0 ? Fr.add(c, cheat.quotient ?? 0n) : c)));
    },
  });
  return {
    kind: 'toy-vanishing',
    foldKey: spec.foldKey,
    tensors,
    witness: () => ({}),
    iopSpec: () => spec,
    iopProver,
    protocol: (c) => polyIopProtocol(spec, c.kzg, c.engine),
    statement: (c) => rowStatement(tensors, c),
    prover: (c, t) => polyIopProver(spec, c, iopProver(c, t)),
  };
}

const bits: Tensors = { x: [[1n, 0n, 1n, 1n]] };

async function statementOf(ctx: BlockContext, block: Block, t: Tensors): Promise<SlotValues> {
  return block.statement({ x: await commitRows(ctx.kzg, t.x, N) });
}

async function provesAlone(p: readonly bigint[], cheat: Cheat = {}): Promise<boolean> {
  const ctx: BlockContext = { engine, kzg: await keyPromise };
  const block = toyBlock(ctx, p, cheat);
  const protocol = block.protocol(ctx);
  const statement = await statementOf(ctx, block, bits);
  const { messages } = await proveLeaf(protocol, Transcript.create('vanishing-claim-test'), engine, statement, block.prover(ctx, bits));
  return (await replayAndVerify(protocol, 'vanishing-claim-test', engine, statement, messages)).ok;
}

// P with more coefficients than the key's powers: its claim is opened only through its committed quotient.
const wideArb = polyArb(3 * POWERS, 3 * POWERS);

test('a vanishing claim verifies alone; a wrong value or a wrong quotient is rejected', async () => {
  await fc.assert(
    fc.asyncProperty(wideArb, frArb.filter((d) => d !== 0n), async (p, delta) => {
      assert.equal(await provesAlone(p), true, 'honest');
      assert.equal(await provesAlone(p, { value: delta }), false, 'y ≠ P(z), quotient of P − y (remainder dropped)');
      assert.equal(await provesAlone(p, { quotient: delta }), false, 'a wrong quotient');
    }),
    { numRuns: 4, seed: 7 },
  );
});

test('vanishing claims of two members of a model argument are renamed and opened with the shared points', async () => {
  const ctx: BlockContext = { engine, kzg: await keyPromise };
  const [p0, p1] = fc.sample(wideArb, { numRuns: 2, seed: 11 });
  const run = async (cheat: Cheat) => {
    const blocks = [toyBlock(ctx, p0), toyBlock(ctx, p1, cheat)];
    const spec = modelArgumentSpec('toy-model', blocks, ctx);
    assert.deepEqual(
      spec.vanishingClaims?.map((c) => [c.name, c.point]),
      [
        ['b0|eval', 'b0|z'],
        ['b1|eval', 'b1|z'],
      ],
    );
    const protocol = modelArgumentProtocol(spec, ctx);
    const statement = modelArgumentStatement([await statementOf(ctx, blocks[0], bits), await statementOf(ctx, blocks[1], bits)]);
    const { messages } = await proveLeaf(protocol, Transcript.create('vanishing-claim-test'), engine, statement, modelArgumentProver(spec, blocks, ctx, [bits, bits]));
    return (await replayAndVerify(protocol, 'vanishing-claim-test', engine, statement, messages)).ok;
  };
  assert.equal(await run({}), true, 'honest');
  assert.equal(await run({ value: 1n }), false, "the second member's value off");
});

test('the compiler refuses a claim read before its messages, at a slot that is no challenge, or with no tail to open it', async () => {
  const ctx: BlockContext = { engine, kzg: await keyPromise };
  const late = toyBlock(ctx, [1n, 2n], {}, 'z-then-P');
  assert.throws(() => late.protocol(ctx), /reads "P", produced after its point "z"/);
  const spec = toyBlock(ctx, [1n, 2n]).iopSpec();
  assert.throws(() => polyIopProtocol({ ...spec, vanishingClaims: [{ ...spec.vanishingClaims![0], point: 'y' }] }, ctx.kzg, engine), /no challenge of the block's rounds/);
  assert.throws(() => polyIopProtocol({ ...spec, oracles: [], identities: [] }, ctx.kzg, engine), /no identity/);
  // y is sent after z: it may weight the public [1]₁ (F(z) = 0 fixes y = P(z)), not the prover's own P (that would only
  // prove P(z) = y·P(z)).
  const [p, one] = spec.vanishingClaims![0].terms;
  const weightedByLate = { ...spec.vanishingClaims![0], terms: [{ ...p, scalars: ['y'] }, one] };
  assert.throws(() => polyIopProtocol({ ...spec, vanishingClaims: [weightedByLate] }, ctx.kzg, engine), /weights "P" by "y", produced after its point "z"/);
  assert.doesNotThrow(() => polyIopProtocol(spec, ctx.kzg, engine));
});
