/**
 * Which commitments the poly-IOP compiler blinds, and by how many coefficients; the lint of hiding at build and prove
 * time; and, in proofs of argmax, sum and lookup blocks, that every message their rounds commit is sent blinded, each
 * with a blinding of its own.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import type { Block, BlockContext, Tensors } from '../../blocks/block';
import { ArgmaxBlock, commitRows, LookupBlock, reluTable, SumBlock, type PolyIopProver } from '../../blocks/index';
import { leafLabel, proveLeaf } from '../../blocks/leaf';
import { g1Slot } from '../../src/equations/evaluate';
import { Transcript } from '../../src/transcript';
import { context } from '../soundness/helpers';
import { BASE_OPENING_POINTS, blindedCommitments, blindedQuotientPowers, blindingCoefficients, combinationBlinding, hidingSrsSlack, MAX_IDENTITY_DEGREE, statementOracleBlinding } from '../../blocks/hiding';
import { modelArgumentProtocol, modelArgumentSpec } from '../../blocks/model-argument';
import { at, combinationStep, committedRotations, oracleRotations, polyIopProtocol, polyIopProver, rotatedAt, shiftedAt, term, type Combination, type Factor, type PolyIopSpec } from '../../blocks/poly-iop';
import { blindingSource } from '../../src/blinding';
import type { G1Point } from '../../src/curve';
import type { Engine } from '../../src/engine/engine';
import { createReferenceEngine } from '../../src/engine/reference';
import type { SlotDecl } from '../../src/equations/equation';
import { BlockfoldError, SrsError } from '../../src/errors';
import { R } from '../../src/field';
import { commit } from '../../src/kzg/commit';
import { interpolate } from '../../src/poly/interpolate';
import { addVanishingMultiple } from '../../src/poly/vanishing-multiple';
import { testKey } from '../kzg/helpers';
import { proveAndVerify } from '../soundness/helpers';
import { rotations } from '../helpers/opening-points';

const g1 = (name: string, origin: SlotDecl['origin']): SlotDecl => ({ name, sort: 'g1', origin });
/** The SRS slack of every graph: blindings of 3 coefficients (ζ and ω·ζ). */
const HIDING_SRS_SLACK = hidingSrsSlack(blindingCoefficients(BASE_OPENING_POINTS));

test('message commitments take one coefficient more than their opening points; statement and derived ones are not blinded here', () => {
  const slots = [g1('H', 'message'), g1('S', 'message'), g1('R', 'message'), g1('comb', 'derived')];
  const blinded = blindedCommitments('t', [
    { name: 'h', domain: 8, commitment: 'H' },
    { name: 's', domain: 8, commitment: 'S' },
    { name: 'r', domain: 8, commitment: 'R' },
    { name: 'x', domain: 8, commitment: 'comb' },
    { name: 'w', domain: 8, commitment: 'row/0' },
  ], new Map([['S', 2], ['R', 10], ['row/0', 4]]), slots);
  assert.deepEqual(blinded, [
    { commitment: 'H', domain: 8, count: 2, oracles: ['h'] },
    { commitment: 'S', domain: 8, count: 3, oracles: ['s'] },
    { commitment: 'R', domain: 8, count: 11, oracles: ['r'] },
  ]);
});

test('the compiler opens a message oracle at ζ and its distinct rotations mod n, and blinds it with one coefficient more: 2, −1, 5 and 10 ≡ 2 on H_8 are 4 points, 5 coefficients', () => {
  const reads = (...fs: Factor[]): PolyIopSpec => ({
    foldKey: 'rotations',
    statement: [],
    slots: [g1('H', 'message')],
    rounds: [{ kind: 'message', slots: ['H'] }],
    oracles: [{ name: 'h', domain: 8, commitment: 'H' }],
    publics: [],
    identities: [{ name: 'reads', domain: 8, terms: fs.map((f) => term(1, f)) }],
  });
  const spec = reads(at('h'), rotatedAt('h', 2), rotatedAt('h', -1), rotatedAt('h', 5), rotatedAt('h', 10), rotatedAt('h', 8));
  assert.deepEqual(oracleRotations(spec).get('h'), rotations(2, 5, 7));
  assert.deepEqual(oracleRotations(reads(at('h'), rotatedAt('h', 8), rotatedAt('h', -16))).get('h'), [], 'a multiple of n is the plain read');
  assert.deepEqual(oracleRotations(reads(shiftedAt('h'))).get('h'), rotations(1));
  const points = new Map([...committedRotations(spec)].map(([slot, ss]) => [slot, 1 + ss.length]));
  assert.equal(blindedCommitments('t', spec.oracles, points, spec.slots)[0].count, 5);
  assert.throws(() => oracleRotations(reads(rotatedAt('h', 0.5))), (e: Error) => e instanceof BlockfoldError && /a rotation must be a safe integer, got 0.5/.test(e.message));
  // On H_1 (ω_1 = 1) every nonzero rotation is the shift, opened as its own point; 0 is the plain read.
  const onOne = (...fs: Factor[]): PolyIopSpec => ({ ...reads(...fs), oracles: [{ name: 'h', domain: 1, commitment: 'H' }], identities: [{ name: 'reads', domain: 1, terms: fs.map((f) => term(1, f)) }] });
  assert.deepEqual(oracleRotations(onOne(at('h'), rotatedAt('h', 3), rotatedAt('h', -2))).get('h'), rotations(1));
  assert.deepEqual(oracleRotations(onOne(at('h'), rotatedAt('h', 0))).get('h'), []);
});

test('committedRotations: two oracles of one message commitment read at rotations 2 and 3 open one polynomial at ζ, ω²·ζ and ω³·ζ, blinded with 4 coefficients; on two domains they are refused', () => {
  const slots = [g1('C', 'message')];
  const spec: PolyIopSpec = {
    foldKey: 'shared',
    statement: [],
    slots,
    rounds: [{ kind: 'message', slots: ['C'] }],
    oracles: [{ name: 'a', domain: 8, commitment: 'C' }, { name: 'b', domain: 8, commitment: 'C' }],
    publics: [],
    identities: [{ name: 'i', domain: 8, terms: [term(1, rotatedAt('a', 2)), term(-1, rotatedAt('b', 3)), term(1, at('a')), term(-1, at('b'))] }],
  };
  assert.deepEqual([...oracleRotations(spec)], [['a', rotations(2)], ['b', rotations(3)]]);
  assert.deepEqual([...committedRotations(spec)], [['C', rotations(2, 3)]], 'the union, not the larger count');
  const points = new Map([...committedRotations(spec)].map(([slot, ss]) => [slot, 1 + ss.length]));
  assert.deepEqual(blindedCommitments('t', spec.oracles, points, slots), [{ commitment: 'C', domain: 8, count: 4, oracles: ['a', 'b'] }]);
  assert.throws(
    () => blindedCommitments('t', [{ name: 'a', domain: 4, commitment: 'C' }, { name: 'b', domain: 8, commitment: 'C' }], new Map(), slots),
    (e: Error) => e instanceof BlockfoldError && /"C".*H_4 and H_8/.test(e.message),
  );
});

test('blindingCoefficients, blindedQuotientPowers and hidingSrsSlack: the SRS slack holds the quotient of a degree-3 identity over oracles blinded with c coefficients, 7 for the base 3', () => {
  const n = 1024;
  assert.equal(blindingCoefficients(BASE_OPENING_POINTS), 3);
  assert.equal(HIDING_SRS_SLACK, 7);
  for (const c of [2, 3, 5, 11]) {
    const oracleDegree = n - 1 + c;
    const quotientCoefficients = MAX_IDENTITY_DEGREE * oracleDegree - n + 1;
    assert.equal(blindedQuotientPowers(MAX_IDENTITY_DEGREE, n, c), quotientCoefficients);
    assert.equal(quotientCoefficients, 2 * n + hidingSrsSlack(c), `c = ${c}`);
  }
});

test('lint: a custom spec sending a G1 message that no oracle opens is refused when its protocol is built, naming it', async () => {
  const engine = createReferenceEngine();
  const kzg = await testKey(engine, 2 * 4 + HIDING_SRS_SLACK);
  const spec = (extra: SlotDecl[]): PolyIopSpec => ({
    foldKey: 'custom',
    statement: [g1('x/0', 'statement')],
    slots: [g1('H', 'message'), ...extra],
    rounds: [{ kind: 'message', slots: ['H', ...extra.map((d) => d.name)] }],
    oracles: [{ name: 'x', domain: 4, commitment: 'x/0' }, { name: 'h', domain: 4, commitment: 'H' }],
    publics: [],
    identities: [{ name: 'h = x', domain: 4, terms: [term(1, at('h')), term(-1, at('x'))] }],
  });
  assert.doesNotThrow(() => polyIopProtocol(spec([]), kzg, engine));
  assert.throws(
    () => polyIopProtocol(spec([g1('raw', 'message')]), kzg, engine),
    (e: Error) => e instanceof BlockfoldError && /custom: G1 message "raw" is the commitment of no oracle/.test(e.message),
  );
  // A message the block declares it hides itself (the weight link's E) is exempt, and only that one.
  assert.doesNotThrow(() => polyIopProtocol({ ...spec([g1('raw', 'message')]), selfBlinded: ['raw'] }, kzg, engine));
  assert.throws(
    () => polyIopProtocol({ ...spec([g1('raw', 'message'), g1('other', 'message')]), selfBlinded: ['raw'] }, kzg, engine),
    (e: Error) => e instanceof BlockfoldError && /G1 message "other"/.test(e.message),
  );
  // Self-blinded commitments are not blinded again by the compiler.
  assert.deepEqual(blindedCommitments('custom', spec([]).oracles, new Map(), spec([]).slots, ['H']), []);
});

// ---------------------------------------------------------------------------------------------------------------
// Statement and derived oracles: the rows the pipeline commits blinded.
// ---------------------------------------------------------------------------------------------------------------

const N = 4;
const statementSlot = (name: string): SlotDecl => g1(name, 'statement');
const five = (engine: Engine) => interpolate(new Array<bigint>(N).fill(5n), engine);

/**
 * A custom block over one wire row x (all fives) and, when `combined`, a second row y: it opens x shifted
 * (`x(ωX) − x(X) = 0` on H holds for a constant row), or the derived `[x]₁ + 3·[y]₁` declared as such.
 */
function shiftingSpec(combined = false): PolyIopSpec {
  const combination: Combination = () => ({ slots: ['x/0', 'y/0'], scalars: [1n, 3n] });
  return {
    foldKey: combined ? 'custom-combination' : 'custom-shift',
    statement: [statementSlot('x/0'), statementSlot('y/0')],
    slots: combined ? [g1('comb', 'derived')] : [],
    rounds: combined ? [combinationStep({ comb: combination })] : [],
    oracles: combined ? [{ name: 'z', domain: N, commitment: 'comb', combination }] : [{ name: 'x', domain: N, commitment: 'x/0' }],
    publics: [],
    identities: [{ name: 'constant', domain: N, terms: combined ? [term(1, shiftedAt('z')), term(-1, at('z'))] : [term(1, shiftedAt('x')), term(-1, at('x'))] }],
  };
}

/** Proves `spec` over rows x = y = fives committed as `[f + Z_H·b]₁` with b = `blindings[slot]`, the prover told `told`. */
async function proveBlinded(spec: PolyIopSpec, blindings: Record<string, bigint[]>, told: Record<string, bigint[]> = blindings) {
  const engine = createReferenceEngine();
  const ctx: BlockContext = { engine, kzg: await testKey(engine, 2 * N + HIDING_SRS_SLACK), blinding: blindingSource('hiding-test') };
  const f = five(engine);
  const statement: Record<string, G1Point> = {};
  for (const slot of ['x/0', 'y/0']) statement[slot] = await commit(ctx.kzg, addVanishingMultiple(f, N, blindings[slot] ?? []));
  const prover = polyIopProver(spec, { ...ctx, statementBlinding: (slot) => told[slot] }, { round: () => ({}), polynomials: (): Record<string, readonly bigint[]> => (spec.oracles[0].name === 'x' ? { x: f } : { z: f.map((c) => (4n * c) % R) }) });
  return proveAndVerify(ctx, polyIopProtocol(spec, ctx.kzg, engine), statement, prover);
}

test('lint: an oracle opening a derived commitment must declare it a combination of statement slots or public, not both; only derived slots declare', async () => {
  const engine = createReferenceEngine();
  const kzg = await testKey(engine, 2 * N + HIDING_SRS_SLACK);
  const base = shiftingSpec(true);
  const undeclared: PolyIopSpec = { ...base, oracles: [{ name: 'z', domain: N, commitment: 'comb' }] };
  assert.throws(
    () => polyIopProtocol(undeclared, kzg, engine),
    (e: Error) => e instanceof BlockfoldError && /custom-combination: oracle "z" opens the derived commitment "comb" but declares neither/.test(e.message),
  );
  assert.doesNotThrow(() => polyIopProtocol({ ...base, oracles: [{ name: 'z', domain: N, commitment: 'comb', public: true }] }, kzg, engine));
  assert.throws(
    () => polyIopProtocol({ ...base, oracles: [{ ...base.oracles[0], public: true }] }, kzg, engine),
    (e: Error) => e instanceof BlockfoldError && /oracle "z" declares its commitment "comb" both/.test(e.message),
  );
  const onStatement: PolyIopSpec = { ...shiftingSpec(), oracles: [{ name: 'x', domain: N, commitment: 'x/0', public: true }] };
  assert.throws(() => polyIopProtocol(onStatement, kzg, engine), (e: Error) => e instanceof BlockfoldError && /oracle "x" declares how its commitment "x\/0" is derived/.test(e.message));
  // The model-level argument lints its members: a custom block with an undeclared derived oracle is refused there too.
  const block = { kind: 'custom', foldKey: 'custom', tensors: [], iopSpec: () => undeclared, iopProver: () => ({ round: () => ({}), polynomials: () => ({}) }) } as unknown as Block;
  assert.throws(() => modelArgumentProtocol(modelArgumentSpec('m', [block], { engine, kzg }), { engine, kzg }), (e: Error) => e instanceof BlockfoldError && /oracle "b0\|z"/.test(e.message));
});

test('a wire row opened at ζ and ω·ζ verifies blinded with 3 coefficients (or more); 2 (or 1) is refused when proving, naming the oracle', async () => {
  const b3 = [11n, 22n, 33n];
  assert.deepEqual(await proveBlinded(shiftingSpec(), { 'x/0': b3 }), { ok: true });
  assert.deepEqual(await proveBlinded(shiftingSpec(), {}), { ok: true }, 'unblinded rows stay provable');
  for (const short of [[11n, 22n], [11n]])
    await assert.rejects(
      proveBlinded(shiftingSpec(), { 'x/0': short }),
      (e: Error) => e instanceof BlockfoldError && new RegExp(`custom-shift: oracle "x" reads "x/0", whose polynomial is opened at 2 points, but its blinding has ${short.length} coefficient`).test(e.message),
    );
  assert.deepEqual(await proveBlinded(shiftingSpec(), { 'x/0': [1n, 2n, 3n, 4n] }), { ok: true }, 'a fourth coefficient hides as well');
  // The prover opens what was committed: a blinding other than the commitment's is rejected by the verifier.
  assert.equal((await proveBlinded(shiftingSpec(), { 'x/0': b3 }, { 'x/0': [11n, 22n, 34n] })).ok, false);
  assert.equal((await proveBlinded(shiftingSpec(), { 'x/0': b3 }, {})).ok, false, 'a prover ignoring the blinding');
});

test('a combination oracle is blinded by the combination of its rows’ blindings; each row needs as many coefficients as the oracle reveals evaluations plus one', async () => {
  const blindings = { 'x/0': [1n, 2n, 3n], 'y/0': [4n, 5n, 6n] };
  assert.deepEqual(await proveBlinded(shiftingSpec(true), blindings), { ok: true });
  assert.deepEqual(await proveBlinded(shiftingSpec(true), { 'x/0': [1n, 2n, 3n] }), { ok: true }, 'one row unblinded (a public row)');
  assert.equal((await proveBlinded(shiftingSpec(true), blindings, { ...blindings, 'y/0': [4n, 5n, 7n] })).ok, false);
  await assert.rejects(
    proveBlinded(shiftingSpec(true), { ...blindings, 'y/0': [4n, 5n] }),
    (e: Error) => e instanceof BlockfoldError && /oracle "z" reads "y\/0", whose polynomial is opened at 2 points, but its blinding has 2 coefficients/.test(e.message),
  );
  assert.deepEqual(
    combinationBlinding('t', { slots: ['x/0', 'y/0'], scalars: [1n, 3n] }, (s) => ({ 'x/0': [1n, 2n], 'y/0': [4n, 5n, 6n] })[s]),
    [13n, 17n, 18n],
  );
});

test('a combination holding a message the block blinds itself (the weight link\'s E): the rows\' blindings only, with no length required of them; any other slot refused', () => {
  const statement = new Set(['w/0', 'w/1']);
  const oracle = (slots: string[]) => ({ name: 'w~', domain: N, commitment: 'w~', combination: () => ({ slots, scalars: slots.map((_, i) => BigInt(i + 2)) }) });
  const blindingOf = (s: string) => ({ 'w/0': [1n], 'w/1': [4n, 5n] })[s];
  const own = new Set(['E']);
  // 'w/0' has 1 coefficient: refused when the rows alone must hide the oracle's evaluation, accepted beside E.
  assert.throws(() => statementOracleBlinding('t', oracle(['w/0', 'w/1']), () => 1, {}, statement, blindingOf, own), /reads "w\/0", whose polynomial is opened at 1 point, but its blinding has 1 coefficient/);
  assert.deepEqual(statementOracleBlinding('t', oracle(['w/0', 'w/1', 'E']), () => 1, {}, statement, blindingOf, own), [2n + 3n * 4n, 3n * 5n]);
  assert.throws(() => statementOracleBlinding('t', oracle(['w/0', 'E']), () => 1, {}, statement, blindingOf), /"E", which is neither a statement slot nor a message the block blinds itself/);
  // Read rotated, the oracle would reveal two evaluations, which E's blinding is not sized for: refused.
  assert.throws(() => statementOracleBlinding('t', oracle(['w/0', 'w/1', 'E']), () => 2, {}, statement, blindingOf, own), /is read rotated/);
});

test('the SRS slack holds a degree-3 identity over shifted rows blinded with 3 coefficients each, exactly', async () => {
  // x(ωX)·y(ωX)·x(X) − x(X)·y(X)·x(ωX) = 0 on H for constant rows: degree 3, every factor of degree n + 2.
  const spec: PolyIopSpec = {
    ...shiftingSpec(),
    oracles: [
      { name: 'x', domain: N, commitment: 'x/0' },
      { name: 'y', domain: N, commitment: 'y/0' },
    ],
    identities: [{ name: 'cubic', domain: N, terms: [term(1, shiftedAt('x'), shiftedAt('y'), at('x')), term(-1, at('x'), at('y'), shiftedAt('x'))] }],
  };
  const engine = createReferenceEngine();
  // Exactly 2n + HIDING_SRS_SLACK powers (the highest is τ^(2n + slack − 1)): the quotient needs all of them.
  const kzg = await testKey(engine, 2 * N + HIDING_SRS_SLACK - 1);
  const ctx: BlockContext = { engine, kzg, blinding: blindingSource('hiding-test') };
  const f = five(engine);
  const b = { 'x/0': [7n, 8n, 9n], 'y/0': [10n, 11n, 12n] };
  const statement = { 'x/0': await commit(kzg, addVanishingMultiple(f, N, b['x/0'])), 'y/0': await commit(kzg, addVanishingMultiple(f, N, b['y/0'])) };
  const prover = polyIopProver(spec, { ...ctx, statementBlinding: (s) => b[s as keyof typeof b] }, { round: () => ({}), polynomials: () => ({ x: f, y: f }) });
  assert.deepEqual(await proveAndVerify(ctx, polyIopProtocol(spec, kzg, engine), statement, prover), { ok: true });
});

/** x read at ζ and its three rotations on H_4: `x(ωX) + x(ω²X) + x(ω^(−1)X) − 3·x(X) = 0`, true of a constant row. */
function rotatingSpec(): PolyIopSpec {
  return {
    ...shiftingSpec(),
    foldKey: 'custom-rotations',
    identities: [{ name: 'taps', domain: N, terms: [term(1, rotatedAt('x', 1)), term(1, rotatedAt('x', 2)), term(1, rotatedAt('x', -1)), term(-3, at('x'))] }],
  };
}

test('a wire row read at 4 points (ζ and three rotations) is refused blinded with 3 coefficients (or 4), naming the oracle and its points; with 5 it verifies', async () => {
  for (const short of [[1n, 2n, 3n], [1n, 2n, 3n, 4n]])
    await assert.rejects(
      proveBlinded(rotatingSpec(), { 'x/0': short }),
      (e: Error) => e instanceof BlockfoldError && new RegExp(`custom-rotations: oracle "x" reads "x/0", whose polynomial is opened at 4 points, but its blinding has ${short.length} coefficients; hiding 4 evaluations and the commitment needs 5`).test(e.message),
    );
  const b5 = [1n, 2n, 3n, 4n, 5n];
  assert.deepEqual(await proveBlinded(rotatingSpec(), { 'x/0': b5 }), { ok: true });
  assert.equal((await proveBlinded(rotatingSpec(), { 'x/0': b5 }, { 'x/0': [1n, 2n, 3n, 4n, 6n] })).ok, false, 'a blinding other than the commitment\'s');
});

test('the SRS slack of 5 coefficients holds a degree-3 identity over rows read at 4 points each, exactly: one power fewer is refused', async () => {
  // x(ωX)·x(ω²X)·x(ω³X) − y(ωX)·y(ω²X)·y(ω³X) + x·y·y − y·x·x = 0 on H for equal constant rows.
  const taps = (o: string) => [rotatedAt(o, 1), rotatedAt(o, 2), rotatedAt(o, 3)];
  const spec: PolyIopSpec = {
    ...shiftingSpec(),
    oracles: [
      { name: 'x', domain: N, commitment: 'x/0' },
      { name: 'y', domain: N, commitment: 'y/0' },
    ],
    identities: [{ name: 'cubic', domain: N, terms: [term(1, ...taps('x')), term(-1, ...taps('y')), term(1, at('x'), at('y'), at('y')), term(-1, at('y'), at('x'), at('x'))] }],
  };
  const engine = createReferenceEngine();
  const f = five(engine);
  const b = { 'x/0': [7n, 8n, 9n, 10n, 11n], 'y/0': [12n, 13n, 14n, 15n, 16n] };
  const proveWith = async (powers: number) => {
    const kzg = await testKey(engine, powers - 1);
    const ctx: BlockContext = { engine, kzg, blinding: blindingSource('hiding-test') };
    const statement = { 'x/0': await commit(kzg, addVanishingMultiple(f, N, b['x/0'])), 'y/0': await commit(kzg, addVanishingMultiple(f, N, b['y/0'])) };
    const prover = polyIopProver(spec, { ...ctx, statementBlinding: (s) => b[s as keyof typeof b] }, { round: () => ({}), polynomials: () => ({ x: f, y: f }) });
    return proveAndVerify(ctx, polyIopProtocol(spec, kzg, engine), statement, prover);
  };
  assert.equal(2 * N + hidingSrsSlack(5), blindedQuotientPowers(3, N, 5));
  assert.deepEqual(await proveWith(2 * N + hidingSrsSlack(5)), { ok: true });
  await assert.rejects(proveWith(2 * N + hidingSrsSlack(5) - 1), (e: Error) => e instanceof SrsError && /cannot commit to 21 coefficients with 20 powers of τ/.test(e.message));
});

test('every message a block\'s rounds commit is sent blinded: not its plain commitment, and no two on one domain share a blinding (their difference is not the plain one); argmax, sum with a hidden scalar, lookup', async () => {
  const ctx = await context(64);
  const cases: { block: Block & { iopSpec(ctx: BlockContext): PolyIopSpec; iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver }; inputs: Tensors }[] = [
    { block: new ArgmaxBlock({ candidates: 4, rows: 1, domain: 4, bits: 8 }), inputs: { x: [[1n, 5n, -3n], [4n, 9n, -3n], [0n, 9n, -3n], [6n, -1n, -3n]] } },
    { block: new SumBlock({ rows: 1, length: 4, domain: 4, sumsDomain: 2 }), inputs: { x: [[1n, -2n, 3n, 4n]] } },
    { block: new LookupBlock(reluTable(-8n, 8n), [{ input: 'x', output: 'y', rows: 2, domain: 4, length: 4 }]), inputs: { x: [[1n, -2n, 3n, 4n], [-5n, 0n, 7n, -1n]] } },
  ];
  let pairs = 0;
  for (const { block, inputs } of cases) {
    const tensors = { ...inputs, ...block.witness(inputs) };
    const commitments: Record<string, G1Point[]> = {};
    for (const t of block.tensors) commitments[t.name] = await commitRows(ctx.kzg, tensors[t.name], t.domain);
    const spec = block.iopSpec(ctx);
    const own = new Set(spec.selfBlinded ?? []);
    const domainOf = new Map(spec.oracles.map((o) => [o.commitment, o.domain]));
    // The block's rounds give the plain commitments; the compiler adds [Z_H·b]₁ before sending them.
    const plain = new Map<string, G1Point>();
    const inner = block.iopProver(ctx, tensors);
    const recording: PolyIopProver = {
      round: async (decls, values) => {
        const out = await inner.round(decls, values);
        for (const [slot, v] of Object.entries(out)) if (domainOf.has(slot) && !own.has(slot)) plain.set(slot, v as G1Point);
        return out;
      },
      polynomials: (values) => inner.polynomials(values),
    };
    const proving: BlockContext = { ...ctx, blinding: blindingSource(`messages/${block.kind}`) };
    const protocol = polyIopProtocol(spec, ctx.kzg, ctx.engine);
    const { instance } = await proveLeaf(protocol, Transcript.create('message-hiding').fork(leafLabel(block.foldKey, 0)), ctx.engine, block.statement(commitments), polyIopProver(spec, proving, recording));
    const sent = [...plain].map(([slot, p]) => ({ slot, plain: p, sent: g1Slot(instance.values, slot), domain: domainOf.get(slot)! }));
    assert.ok(sent.length > 0, `${block.kind}: no message commitment`);
    sent.forEach((m, k) => {
      assert.ok(!m.sent.equals(m.plain), `${block.kind}: ${m.slot} is sent plain`);
      for (const o of sent.slice(0, k).filter((x) => x.domain === m.domain)) {
        pairs++;
        assert.ok(!m.sent.subtract(o.sent).equals(m.plain.subtract(o.plain)), `${block.kind}: ${o.slot} and ${m.slot} share their blinding`);
      }
    });
  }
  assert.ok(pairs > 0, 'some messages share a domain');
});
