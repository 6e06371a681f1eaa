/**
 * Cheating provers against the range block (`blocks/range.ts`, docs/soundness.md, the `range` item): each is
 * rejected, and where the check it meets is a transcript order or the key's denominator, a broken schedule or a key
 * that lacks it accepts the forgery (so the test can fail). A model-argument test refuses β ∈ S met while verifying
 * by the replay itself. The last test is the hiding of the table side: `([M']₁, S')` gives no test of the counts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { G1_ONE, g1Mul, type G1Point } from '../../src/curve';
import { BlockfoldError } from '../../src/errors';
import { frSlot } from '../../src/equations/evaluate';
import type { SlotValues } from '../../src/equations/equation';
import { Fr, R } from '../../src/field';
import { getDefaultEngine } from '../../src/engine/index';
import { commitLagrange } from '../../src/kzg/commit';
import { withRangeTable } from '../../src/kzg/key';
import { rangeTableKey } from '../../src/kzg/range-table';
import { interpolate } from '../../src/poly/interpolate';
import { commitRows, proveBlock, rangeIopProver, rangeProver, RangeBlock, rowEvaluations, verifyBlock, type Block, type BlockContext, type MessageSource, type Protocol, type RangeProverChoices, type Tensors } from '../../blocks/index';
import { polyIopProver } from '../../blocks/poly-iop';
import { proveLeaf } from '../../blocks/leaf';
import { memberPrefix, modelArgumentProtocol, modelArgumentProver, modelArgumentSpec, modelArgumentStatement } from '../../blocks/model-argument';
import { Transcript } from '../../src/transcript';
import { TEST_TAU, testKzgKey, testKzgKeyWithRange } from '../helpers/kzg';
import { replayAndVerify, type ReplayVerdict } from '../helpers/replay-verify';

const engine = getDefaultEngine();
const N = 16;
const block = new RangeBlock(N, [{ input: 'x', rows: 1, domain: 8, length: 5 }]);
const good: Tensors = { x: [[0n, 3n, 15n, 7n, 7n]] };

async function context(allowInvalidWitness = false): Promise<BlockContext> {
  return { engine, kzg: await testKzgKeyWithRange(32, N, engine), allowInvalidWitness };
}

async function statementOf(ctx: BlockContext, tensors: Tensors, of: RangeBlock = block): Promise<SlotValues> {
  return of.statement({ x: await commitRows(ctx.kzg, tensors.x, 8) });
}

async function verdict(ctx: BlockContext, protocol: Protocol, statement: SlotValues, prover: MessageSource): Promise<boolean> {
  const carrier = { prover: () => prover } as unknown as Block;
  const bytes = await proveBlock(carrier, ctx, protocol, statement, {});
  return (await verifyBlock(ctx, protocol, statement, bytes)).ok;
}

/** Proves `tensors` with the cheater's choices (prover checks bypassed) against `protocol` (default: the block's own). */
async function cheats(tensors: Tensors, choices: RangeProverChoices = {}, protocol?: Protocol): Promise<boolean> {
  const ctx = await context(true);
  return verdict(ctx, protocol ?? block.protocol(ctx), await statementOf(ctx, tensors), rangeProver(block, ctx, tensors, choices));
}

/**
 * The block's protocol with the message step of `slots` taken out of the pre-β step and put right after β: what a
 * verifier that lets those messages follow β would run.
 */
function absorbedAfterBeta(protocol: Protocol, slots: readonly string[]): Protocol {
  const steps = protocol.schedule.map((s) => (s.kind === 'message' ? { ...s, slots: s.slots.filter((x) => !slots.includes(x)) } : s)).filter((s) => s.kind !== 'message' || s.slots.length > 0);
  const beta = steps.findIndex((s) => s.kind === 'challenge' && s.slots.includes('beta'));
  steps.splice(beta + 1, 0, { kind: 'message', slots: [...slots] });
  return { ...protocol, schedule: steps };
}

test('honest range checks verify, and an honest prover refuses a cell outside the range', async () => {
  assert.equal(await cheats(good), true);
  const ctx = await context();
  assert.throws(() => rangeIopProver(block, ctx, { x: [[0n, 16n, 1n, 1n, 1n]] }), /outside \[0, 16\)/);
});

test('a cell of N, N + 1 or −1 = r − 1, every other message honest, is rejected', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(BigInt(N), BigInt(N) + 1n, -1n), fc.integer({ min: 0, max: 4 }), async (bad, at) => {
      const x = good.x[0].slice();
      x[at] = bad;
      assert.equal(await cheats({ x: [x] }), false, `x[${at}] = ${bad}`);
    }),
    { numRuns: 6, seed: 13 },
  );
});

test('a wrong multiplicity is rejected', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: N - 1 }), fc.constantFrom(1n, -1n, R - 2n), async (v, d) => {
      assert.equal(await cheats(good, { multiplicities: (_values, m) => m.map((c, i) => (i === v ? c + d : c)) }), false);
    }),
    { numRuns: 4, seed: 17 },
  );
});

test("M' + c·Z_S with S' moved by c passes the claim at β (a total read from M'(0) would not see it) and is rejected by the sums", async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(1n, 5n, R - 1n), async (c) => {
      // The claim at β holds for M' + c·Z_S and S' + c: with the hidden ρ₀ moved by c too (another blinding of an
      // honest proof) everything verifies, so only the sums' total S' − ρ₀ − β·ρ₁ can catch the shift alone.
      assert.equal(await cheats(good, { tableShift: () => c, hiddenScalars: (_v, [r0, r1]) => [Fr.add(r0, c), r1] }), true, 'the claim at β accepts the shift');
      assert.equal(await cheats(good, { tableShift: () => c }), false, 'the shift alone');
    }),
    { numRuns: 3, seed: 23 },
  );
});

/** A witness with the cell N, and the fraction `1/(β − N)` its sum gains, which a cheater can only match knowing β. */
const bad: Tensors = { x: [[0n, 3n, BigInt(N), 7n, 7n]] };
const extra = (values: SlotValues) => ('beta' in values ? Fr.inv(Fr.sub(frSlot(values, 'beta'), BigInt(N))) : 12345n);

test("M' sent after β lets a cheater absorb a cell outside S into M' (c·Z_S with c = 1/(β − N)); ours takes M' and ρ before β", async () => {
  const ctx = await context(true);
  const ours = block.protocol(ctx);
  const forge: RangeProverChoices = { tableShift: extra };
  assert.equal(await cheats(bad, forge, absorbedAfterBeta(ours, ["[M']", '[G]/range/rho0', '[G]/range/rho1'])), true, 'the forgery works against β before M′');
  assert.equal(await cheats(bad, forge, ours), false);
});

test('ρ₀ committed after β lets a cheater close the sums on anything (ρ̃₀ = ρ₀ − 1/(β − N)); ours takes ρ before β', async () => {
  const ctx = await context(true);
  const ours = block.protocol(ctx);
  const forge: RangeProverChoices = { hiddenScalars: (values, [r0, r1]) => [Fr.sub(r0, extra(values)), r1] };
  assert.equal(await cheats(bad, forge, absorbedAfterBeta(ours, ['[G]/range/rho0'])), true, 'the forgery works against β before ρ₀');
  assert.equal(await cheats(bad, forge, ours), false);
  // ρ₁ enters the total times β: ρ̃₁ = ρ₁ − 1/(β·(β − N)).
  const viaRho1: RangeProverChoices = { hiddenScalars: (values, [r0, r1]) => ('beta' in values ? [r0, Fr.sub(r1, Fr.mul(extra(values), Fr.inv(frSlot(values, 'beta'))))] : [r0, r1]) };
  assert.equal(await cheats(bad, viaRho1, absorbedAfterBeta(ours, ['[G]/range/rho1'])), true, 'the forgery works against β before ρ₁');
  assert.equal(await cheats(bad, viaRho1, ours), false);
});

test('β ∈ S is refused: the step after β rejects an integer below N, not N itself', async () => {
  const ctx = await context();
  const check = block.protocol(ctx).schedule.find((s) => s.kind === 'derived' && s.slots.length === 0);
  assert.ok(check && check.kind === 'derived');
  for (const beta of [0n, 5n, BigInt(N - 1)]) assert.throws(() => check.compute({ beta }, engine), (e: unknown) => e instanceof BlockfoldError && /β lies in the range table/.test(e.message));
  assert.deepEqual(await check.compute({ beta: BigInt(N) }, engine), {});
  assert.deepEqual(await check.compute({ beta: R - 1n }, engine), {});
});

test("each new element tampered is rejected: [M'], the hidden ρ, S', and the quotient at β", async () => {
  const ctx = await context(true);
  const protocol = block.protocol(ctx);
  const statement = await statementOf(ctx, good);
  const honest = rangeProver(block, ctx, good);
  const moved = (slot: string): MessageSource => async (decls, v) => {
    const out = { ...(await honest(decls, v)) } as Record<string, bigint | G1Point>;
    if (slot in out) out[slot] = typeof out[slot] === 'bigint' ? Fr.add(out[slot] as bigint, 1n) : (out[slot] as G1Point).add(G1_ONE);
    return out;
  };
  for (const slot of ["[M']", '[G]/range/rho0', '[G]/range/rho1', "S'"]) assert.equal(await verdict(ctx, protocol, statement, moved(slot)), false, slot);
  const inner = rangeIopProver(block, ctx, good);
  const wrongQuotient = polyIopProver(block.iopSpec(ctx), ctx, { ...inner, vanishingQuotient: async (c, v) => (await inner.vanishingQuotient!(c, v)).add(G1_ONE) });
  assert.equal(await verdict(ctx, protocol, statement, wrongQuotient), false, 'Q_β');
  assert.equal(await verdict(ctx, protocol, statement, rangeProver(block, ctx, good)), true, 'the honest run beside them');
});

test('a non-zero padding cell is rejected', async () => {
  const ctx = await context(true);
  const protocol = block.protocol(ctx);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 5, max: 7 }), fc.constantFrom(1n, 3n, R - 1n), async (at, value) => {
      // The row committed with a padding cell set; the prover opens that polynomial, everything else honest.
      const cells = rowEvaluations(good.x[0], 8);
      cells[at] = value;
      const statement = block.statement({ x: [await commitLagrange(ctx.kzg, cells)] });
      const inner = rangeIopProver(block, ctx, good);
      const padded = polyIopProver(block.iopSpec(ctx), ctx, { ...inner, polynomials: (v) => ({ ...inner.polynomials(v), 'open:x/0': interpolate(cells, engine) }) });
      assert.equal(await verdict(ctx, protocol, statement, padded), false, `padding cell ${at} = ${value}`);
    }),
    { numRuns: 3, seed: 19 },
  );
});

/**
 * Two range members of a model argument proven and replayed; `beta` forces the second member's β during the replay
 * (the transcript's draw replaced, as a verifier meeting that β would see it).
 */
async function inModelArgument(z: readonly bigint[], beta?: bigint): Promise<ReplayVerdict> {
  const ctx = await context(true);
  const members = [block, new RangeBlock(N, [{ input: 'z', rows: 1, domain: 8, length: 5 }])];
  const tensors: Tensors[] = [good, { z: [[...z]] }];
  const spec = modelArgumentSpec('range-members', members, ctx);
  const protocol = modelArgumentProtocol(spec, ctx);
  const statement = modelArgumentStatement([await statementOf(ctx, good), members[1].statement({ z: await commitRows(ctx.kzg, tensors[1].z, 8) })]);
  const { messages } = await proveLeaf(protocol, Transcript.create('range-members'), engine, statement, modelArgumentProver(spec, members, ctx, tensors));
  const draw = Transcript.prototype.challengeFr;
  if (beta !== undefined)
    Transcript.prototype.challengeFr = function (this: Transcript, label: string) {
      const drawn = draw.call(this, label);
      return label === `${memberPrefix(1)}beta` ? beta : drawn;
    };
  try {
    return await replayAndVerify(protocol, 'range-members', engine, statement, messages);
  } finally {
    Transcript.prototype.challengeFr = draw;
  }
}

test('in a model argument: honest members verify, a cell of N in one member is rejected, and a β in S met while verifying is refused', async () => {
  // Rejected by the verification itself (no error on the way), or refused by the replay with its typed error.
  const failedCheck = { ok: false, reason: 'the batched pairing check failed' };
  assert.deepEqual(await inModelArgument([1n, 3n, 15n, 7n, 9n]), { ok: true });
  assert.deepEqual(await inModelArgument([1n, 3n, BigInt(N), 7n, 9n]), failedCheck, 'a cell of N');
  const inS = await inModelArgument([1n, 3n, 15n, 7n, 9n], 5n);
  assert.ok(!inS.ok && 'error' in inS && /β lies in the range table/.test(inS.reason), `β = 5 ∈ S, refused as such: ${JSON.stringify(inS)}`);
  assert.deepEqual(await inModelArgument([1n, 3n, 15n, 7n, 9n], BigInt(N)), failedCheck, 'β = N ∉ S passes the check, and the proof made for another β fails');
});

test('a range of j < b bits: x − lo in [2^j, 2^b) passes its own column and is rejected by the scaled one 2^(b−j)·(x − lo)', async () => {
  // Three bits from −3: x ∈ [−3, 5), looked up as x + 3 and 2·(x + 3) in the table of 16.
  const narrow = new RangeBlock(N, [{ input: 'x', rows: 1, domain: 8, length: 5, lo: -3n, bits: 3 }]);
  const ctx = await context(true);
  const protocol = narrow.protocol(ctx);
  const run = async (x: bigint[]) => verdict(ctx, protocol, await statementOf(ctx, { x: [x] }, narrow), rangeProver(narrow, ctx, { x: [x] }));
  assert.equal(await run([-3n, 4n, 0n, 1n, 2n]), true, 'the ends −3 and 4 = lo + 2^3 − 1');
  // 5 and 12 are lo + 8 and lo + 15: below N, so only the second column (16 and 30) leaves the table; −4 is lo − 1 = r − 1.
  for (const bad of [5n, 12n, -4n]) assert.equal(await run([-3n, bad, 0n, 1n, 2n]), false, `x = ${bad}`);
});

/** `Z(x) = Π_{v<n}(x − v)`, the table's denominator at x. */
function tableDenominator(x: bigint, n: number): bigint {
  let z = 1n;
  for (let v = 0; v < n; v++) z = Fr.mul(z, Fr.sub(x, BigInt(v)));
  return z;
}

/**
 * The range prover with its table side moved, before β, by a polynomial Δ known at τ and β (the test τ): `[M']₁ +
 * Δ(τ)·[1]₁`, S' moved by `Δ(β)/Z(β)` so that the claim at β still holds for the key's denominator Z, and the quotient
 * at β by `(Δ(τ) − Δ(β)·Z(τ)/Z(β))/(τ − β)·[1]₁`. Every other message is the honest prover's (its checks bypassed).
 */
function movedTableSide(ctx: BlockContext, tensors: Tensors, denominator: (x: bigint) => bigint, delta: (x: bigint) => bigint): MessageSource {
  const inner = rangeIopProver(block, ctx, tensors);
  const shiftAt = (values: SlotValues) => {
    const beta = frSlot(values, 'beta');
    return Fr.mul(delta(beta), Fr.inv(denominator(beta)));
  };
  return polyIopProver(block.iopSpec(ctx), ctx, {
    ...inner,
    round: async (decls, values) => {
      const out = { ...(await inner.round(decls, values)) };
      if ("[M']" in out) out["[M']"] = (out["[M']"] as G1Point).add(g1Mul(G1_ONE, delta(TEST_TAU)));
      if ("S'" in out) out["S'"] = Fr.add(out["S'"] as bigint, shiftAt(values));
      return out;
    },
    vanishingQuotient: async (claim, values) => {
      const moved = Fr.mul(Fr.sub(delta(TEST_TAU), Fr.mul(shiftAt(values), denominator(TEST_TAU))), Fr.inv(Fr.sub(TEST_TAU, frSlot(values, 'beta'))));
      return (await inner.vanishingQuotient!(claim, values)).add(g1Mul(G1_ONE, moved));
    },
  });
}

test("a crafted M' puts no pole outside S: against a key whose denominator also vanishes at N it accepts a cell N; against Z_S the nearest polynomial is rejected", async () => {
  // The key of a table that also holds N: denominator Z' = Z_S·(X − N), its K'_v = Z'/(X − v) for v < N (what a key
  // author could publish; `checkVerifyingKeySrs` refuses it). Then K'_N = Z_S is a polynomial: M' + Z_S carries 1/(X − N).
  const extended = (x: bigint) => Fr.mul(tableDenominator(x, N), Fr.sub(x, BigInt(N)));
  const z = extended(TEST_TAU);
  const points = (scalars: bigint[]) => scalars.map((k) => g1Mul(G1_ONE, k));
  const table = await rangeTableKey(engine, {
    size: N,
    vanishing: g1Mul(G1_ONE, z),
    shiftedVanishing: g1Mul(G1_ONE, Fr.mul(TEST_TAU, z)),
    kBasis: points(Array.from({ length: N }, (_, v) => Fr.mul(z, Fr.inv(Fr.sub(TEST_TAU, BigInt(v)))))),
  });
  const forgedKey: BlockContext = { engine, kzg: withRangeTable(await testKzgKey(32, engine), table), allowInvalidWitness: true };
  const zS = (x: bigint) => tableDenominator(x, N);
  const viaForgedKey = movedTableSide(forgedKey, bad, extended, zS);
  assert.equal(await verdict(forgedKey, block.protocol(forgedKey), await statementOf(forgedKey, bad), viaForgedKey), true, 'the denominator is what excludes N');
  // With Z_S, the polynomial nearest to a pole at N, K_N = (Z_S − Z_S(N))/(X − N), has `K_N/Z_S = 1/(X − N) −
  // Z_S(N)/((X − N)·Z_S)`: the claim at β holds, and the sums miss `Z_S(N)/((β − N)·Z_S(β)) ≠ 0`.
  const nearest = (x: bigint) => Fr.mul(Fr.sub(zS(x), zS(BigInt(N))), Fr.inv(Fr.sub(x, BigInt(N))));
  const ctx = await context(true);
  assert.equal(await verdict(ctx, block.protocol(ctx), await statementOf(ctx, bad), movedTableSide(ctx, bad, zS, nearest)), false);
});

test("([M']₁, S') tests no guess of the counts: [M']₁ − S'·[Z_S]₁ is the true counts' [M]₁ − (M(β)/Z_S(β))·[Z_S]₁ plus ρ₁·(τ − β)·[Z_S]₁, which ρ₀ alone would not hide", async () => {
  const ctx = await context();
  let rho: readonly [bigint, bigint] = [0n, 0n];
  const seen: Record<string, unknown> = {};
  const honest = rangeProver(block, ctx, good, { hiddenScalars: (_values, drawn) => (rho = drawn) });
  const recording: MessageSource = async (decls, values) => {
    const out = await honest(decls, values);
    Object.assign(seen, out, 'beta' in values ? { beta: values.beta } : {});
    return out;
  };
  assert.equal(await verdict(ctx, block.protocol(ctx), await statementOf(ctx, good), recording), true);
  const beta = seen.beta as bigint;
  const { vanishing, prover } = ctx.kzg.rangeTable!;
  // A verifier's test of the guess m (here the true counts): `[M]₁ − T·[Z_S]₁` with `T = Σ_v m_v/(β − v)`.
  const m = block.multiplicities(good);
  const guessed = (await engine.msmG1(prover!.kBasis, m)).add(g1Mul(vanishing.point, Fr.neg(m.reduce((t, c, v) => Fr.add(t, Fr.mul(c, Fr.inv(Fr.sub(beta, BigInt(v))))), 0n))));
  const residue = (seen["[M']"] as G1Point).add(g1Mul(vanishing.point, Fr.neg(seen["S'"] as bigint))).add(guessed.negate());
  assert.ok(residue.equals(g1Mul(vanishing.point, Fr.mul(rho[1], Fr.sub(TEST_TAU, beta)))), 'ρ₀ cancels, ρ₁ leaves ρ₁·(τ − β)·[Z_S]₁');
  assert.ok(!residue.is0(), 'the guess test fails on the true counts');
});
