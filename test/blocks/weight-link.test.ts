/**
 * The weight link (`blocks/weight-link.ts`) in every block that reads fixed weights: the row and flat matmul, weighted
 * rows and Hadamard. The link sends one message E, no challenge and no equation of its own, and e (committed by E)
 * is never evaluated, alone or in a model argument. A cheat that proves the block's relation for weights B' ≠ B
 * while the statement commits B (`E = [Δ + Z_H·b]₁`, Δ the combination of B' − B, so `[w]₁ + E` opens to the
 * combination of B') is rejected; the same prover verifies with B' = B, and the same cheat verifies once the
 * identity `e = 0` is removed, so the identity is what catches it. E tampered is rejected. Hiding: e is never
 * evaluated, and the link's b of 2 coefficients hides w̃(ζ) by itself (with one, E and w̃(ζ) confirm a guess of the
 * weights).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  commitRows,
  HadamardBlock,
  MatmulBlock,
  modelArgumentProtocol,
  modelArgumentSpec,
  oracleEvaluationSlot,
  polyIopProtocol,
  polyIopProver,
  proveBlock,
  rowEvaluations,
  verifyBlock,
  WeightedRowsBlock,
  type Block,
  type BlockContext,
  type Oracle,
  type PolyIopProver,
  type PolyIopSpec,
  type Tensors,
} from '../../blocks/index';
import { leafLabel, proveLeaf } from '../../blocks/leaf';
import { G1_ONE, type G1Point } from '../../src/curve';
import type { SlotDecl, SlotValues } from '../../src/equations/equation';
import { frSlot, g1Slot } from '../../src/equations/evaluate';
import { Fr } from '../../src/field';
import { commit, commitVanishingMultiple } from '../../src/kzg/commit';
import { EvaluationDomain } from '../../src/poly/domain';
import { interpolate } from '../../src/poly/interpolate';
import { add as addPolynomials } from '../../src/poly/polynomial';
import { Transcript } from '../../src/transcript';
import { blindingSource } from '../../src/blinding';
import { at, term } from '../../blocks/poly-iop';
import { context } from '../soundness/helpers';

/** A block reading fixed weights, the name of its weight tensor, its other inputs and the committed weights. */
interface Case {
  readonly name: string;
  readonly block: Block & { iopSpec(): PolyIopSpec; iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver };
  readonly weight: string;
  readonly inputs: Tensors;
  readonly weights: readonly (readonly bigint[])[];
}

const cases: readonly Case[] = [
  { name: 'matmul', block: new MatmulBlock({ m: 2, k: 3, n: 2, fixedB: true }), weight: 'b', inputs: { a: [[1n, -2n, 3n], [4n, 0n, -1n]] }, weights: [[2n, 1n, 1n], [0n, -3n, 5n]] },
  {
    name: 'flat matmul',
    block: new MatmulBlock({ m: 2, k: 3, n: 2, fixedB: true, flat: true }),
    weight: 'b',
    inputs: { a: [[1n, -2n, 3n, 0n, 4n, 0n, -1n, 0n]] },
    weights: [[2n, 1n, 1n], [0n, -3n, 5n]],
  },
  {
    name: 'weighted rows',
    block: new WeightedRowsBlock({ m: 2, k: 3, n: 5 }),
    weight: 'w',
    inputs: { b: [[2n, 1n, 1n, 0n, 5n], [0n, -3n, 5n, 2n, 2n], [7n, 1n, -1n, 1n, -4n]] },
    weights: [[1n, -2n, 3n], [4n, 0n, -1n]],
  },
  { name: 'hadamard', block: new HadamardBlock({ rows: 2, domain: 4, fixedB: true }), weight: 'b', inputs: { a: [[1n, -2n, 3n, 4n], [0n, 5n, -1n, 2n]] }, weights: [[2n, 1n, 1n, 3n], [7n, 0n, -3n, 5n]] },
];

const ctx = await context(32);

/** The links of a spec: each message E (`link/<name>/E`), its oracle e and the oracle w̃ committed as `[w]₁ + E`. */
function linksOf(spec: PolyIopSpec): { message: string; e: Oracle; tilde: Oracle }[] {
  return spec.oracles
    .filter((o) => /^link\/.*\/E$/.test(o.commitment))
    .map((e) => ({ message: e.commitment, e, tilde: spec.oracles.find((o) => o.commitment === e.commitment.replace(/E$/, 'w~'))! }));
}

/** The spec without the identities `e = 0` and the oracles e: E is then a message nothing constrains. */
function withoutLinkIdentities(spec: PolyIopSpec): PolyIopSpec {
  const es = new Set(linksOf(spec).map((l) => l.e.name));
  const readsE = (id: PolyIopSpec['identities'][number]) => id.terms.some((t) => t.factors.some((f) => 'oracle' in f && es.has(f.oracle)));
  return { ...spec, oracles: spec.oracles.filter((o) => !es.has(o.name)), identities: spec.identities.filter((id) => !readsE(id)) };
}

/** `Δ = Σ_i k_i·(B'_i − B_i)` on H over the weight rows the link's w̃ combines (slots `<weight>/<row>`), interpolated. */
function difference(c: Case, tilde: Oracle, values: SlotValues, changed: readonly (readonly bigint[])[]): bigint[] {
  const { slots, scalars } = tilde.combination!(values);
  const out = new Array<bigint>(tilde.domain).fill(0n);
  slots.forEach((slot, i) => {
    const [tensor, row] = slot.split('/');
    if (tensor !== c.weight) return;
    const now = rowEvaluations(changed[Number(row)], tilde.domain);
    const was = rowEvaluations(c.weights[Number(row)], tilde.domain);
    for (let j = 0; j < out.length; j++) out[j] = Fr.add(out[j], Fr.mul(scalars[i], Fr.sub(now[j], was[j])));
  });
  return interpolate(out, ctx.engine);
}

/** The statement: the committed weights B, the other inputs, and the outputs the cheat claims for `changed`. */
async function statementOf(c: Case, changed: readonly (readonly bigint[])[]): Promise<SlotValues> {
  const tensors: Tensors = { ...c.inputs, ...c.block.witness({ ...c.inputs, [c.weight]: changed }), [c.weight]: c.weights };
  const commitments: Record<string, G1Point[]> = {};
  for (const t of c.block.tensors) commitments[t.name] = await commitRows(ctx.kzg, tensors[t.name], t.domain);
  return c.block.statement(commitments);
}

/**
 * A proof of the block's relation for the weights `changed`, against the statement of B: the honest prover on B'
 * (which reads w̃ as the combination of B'), with each E shifted by `[Δ]₁` and each e by Δ, so that `[w]₁ + E` and e
 * are the commitments of what it opens. `tamper` may change E once more after that.
 */
async function cheat(c: Case, changed: readonly (readonly bigint[])[], spec: PolyIopSpec, tamper?: (e: G1Point) => G1Point): Promise<Uint8Array> {
  const tensors = { ...c.inputs, [c.weight]: changed, ...c.block.witness({ ...c.inputs, [c.weight]: changed }) };
  const links = linksOf(c.block.iopSpec());
  const deltas = new Map<string, bigint[]>();
  const cheater = (x: BlockContext, t: Tensors): PolyIopProver => {
    const honest = c.block.iopProver(x, t);
    return {
      round: async (decls: readonly SlotDecl[], v: SlotValues) => {
        const out = { ...(await honest.round(decls, v)) } as Record<string, SlotValues[string]>;
        for (const l of links)
          if (l.message in out) {
            const delta = difference(c, l.tilde, v, changed);
            deltas.set(l.e.name, delta);
            const shifted = g1Slot(out, l.message).add(await commit(x.kzg, delta));
            out[l.message] = tamper ? tamper(shifted) : shifted;
          }
        return out;
      },
      polynomials: (v) => {
        const out: Record<string, readonly bigint[]> = { ...honest.polynomials(v) };
        for (const [e, delta] of deltas) out[e] = addPolynomials(out[e], delta);
        return out;
      },
    };
  };
  const cheatBlock: Block = Object.create(c.block, { prover: { value: (x: BlockContext, t: Tensors) => polyIopProver(spec, x, cheater(x, t)) } });
  return proveBlock(cheatBlock, { ...ctx, allowInvalidWitness: true }, polyIopProtocol(spec, ctx.kzg, ctx.engine), await statementOf(c, changed), tensors);
}

/** Whether the proof verifies against B's statement under `spec`'s protocol. */
async function verifies(c: Case, changed: readonly (readonly bigint[])[], spec: PolyIopSpec, proof: Uint8Array): Promise<boolean> {
  return (await verifyBlock(ctx, polyIopProtocol(spec, ctx.kzg, ctx.engine), await statementOf(c, changed), proof)).ok;
}

test('a link sends one message E, draws no challenge and adds no equation; e is never evaluated, alone or in a model argument', () => {
  for (const c of cases) {
    const spec = c.block.iopSpec();
    const links = linksOf(spec);
    assert.equal(links.length, c.name === 'hadamard' ? 2 : 1, c.name);
    assert.deepEqual(spec.selfBlinded, links.map((l) => l.message), `${c.name}: E is the only message the block blinds itself`);
    assert.equal(spec.equations, undefined, `${c.name}: no equation besides the argument's opening`);
    assert.ok(!spec.slots.some((d) => d.origin === 'challenge' && d.name.startsWith('link/')), `${c.name}: no challenge of the link's own`);
    for (const l of links) assert.ok(l.tilde.combination, `${c.name}: w̃ is a derived combination`);
    const own = polyIopProtocol(spec, ctx.kzg, ctx.engine);
    const argument = modelArgumentProtocol(modelArgumentSpec('link', [c.block, c.block], ctx), ctx);
    for (const protocol of [own, argument]) {
      const evaluated = protocol.slots.filter((d) => d.origin === 'message' && d.sort === 'fr').map((d) => d.name);
      for (const l of links)
        assert.ok(!evaluated.some((name) => name.endsWith(oracleEvaluationSlot(l.e.name))), `${c.name}: ${l.e.name} evaluated (its value and w̃'s would give (w + Z_H·b_w)(ζ))`);
      assert.equal(protocol.equations.length, 1, `${c.name}: the opening equation alone`);
    }
  }
});

test('a w̃ that differs from the committed weights on H is rejected by the identity e = 0, and accepted without it', async () => {
  for (const c of cases) {
    const spec = c.block.iopSpec();
    assert.equal(await verifies(c, c.weights, spec, await cheat(c, c.weights, spec)), true, `${c.name}: control, the committed weights`);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: c.weights.length - 1 }), fc.nat(), fc.bigInt({ min: 1n, max: 1000n }), async (row, at, delta) => {
        const changed = c.weights.map((r) => [...r]);
        const cell = at % changed[row].length;
        changed[row][cell] += delta;
        assert.equal(await verifies(c, changed, spec, await cheat(c, changed, spec)), false, `${c.name}: weight (${row}, ${cell}) + ${delta}`);
        const unlinked = withoutLinkIdentities(spec);
        assert.equal(await verifies(c, changed, unlinked, await cheat(c, changed, unlinked)), true, `${c.name}: without e = 0 the same cheat verifies`);
      }),
      { numRuns: 2, seed: 7 },
    );
  }
});

test('E tampered (any nonzero multiple of the generator added) is rejected', async () => {
  for (const c of cases) {
    const spec = c.block.iopSpec();
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }), async (k) => {
        assert.equal(await verifies(c, c.weights, spec, await cheat(c, c.weights, spec, (e) => e.add(G1_ONE.multiply(k)))), false, `${c.name}: E + ${k}·G`);
      }),
      { numRuns: 2, seed: 11 },
    );
  }
});

test('e unevaluated is what hides: with e evaluated, w̃(ζ) − e(ζ) is the committed weights\' value at ζ; with the link, no proof sends it', async () => {
  const c = cases[0];
  const block = c.block as MatmulBlock;
  const K = block.innerDomain;
  // The weight rows committed as at setup, `[B_l + Z_K·b_l]₁` with b_l of 2 coefficients.
  const b0 = c.weights.map((_, l) => [BigInt(31 + l), BigInt(57 + 3 * l)]);
  const tensors = { ...c.inputs, [c.weight]: c.weights, ...block.witness({ ...c.inputs, [c.weight]: c.weights }) };
  const commitments: Record<string, G1Point[]> = {};
  for (const t of block.tensors) {
    const rows = await commitRows(ctx.kzg, tensors[t.name], t.domain);
    commitments[t.name] = t.name === c.weight ? await Promise.all(rows.map(async (p, l) => p.add(await commitVanishingMultiple(ctx.kzg, K, b0[l])))) : rows;
  }
  const blinded: BlockContext = { ...ctx, statementBlinding: (slot) => (slot.startsWith(`${c.weight}/`) ? b0[Number(slot.split('/')[1])] : undefined) };
  const spec = block.iopSpec();
  const [link] = linksOf(spec);
  // e·e = 0 on H says e = 0 on H as well, but e is then read twice in a term: evaluated, not linearized.
  const evaluated: PolyIopSpec = { ...spec, identities: spec.identities.map((id) => (id.terms.some((t) => t.factors.some((f) => 'oracle' in f && f.oracle === link.e.name)) ? { ...id, terms: [term(1, at(link.e.name), at(link.e.name))] } : id)) };
  const values = async (s: PolyIopSpec) => {
    const protocol = polyIopProtocol(s, ctx.kzg, ctx.engine);
    const transcript = Transcript.create('weight-link-hiding');
    const { instance } = await proveLeaf(protocol, transcript.fork(leafLabel(block.foldKey, 0)), ctx.engine, block.statement(commitments), polyIopProver(s, blinded, block.iopProver(blinded, tensors)));
    return { v: instance.values, sent: new Set(protocol.slots.filter((d) => d.origin === 'message').map((d) => d.name)) };
  };
  /** `(w + Z_K·Σ_l β^l·b_l)(ζ)`: the committed combination, the same polynomial in every proof of the key. */
  const committedAt = (v: SlotValues) => {
    const beta = frSlot(v, 'beta');
    const zeta = frSlot(v, 'zeta');
    const h = new EvaluationDomain(K);
    let w = 0n;
    let b = 0n;
    c.weights.forEach((row, l) => {
      const k = Fr.pow(beta, BigInt(l));
      w = Fr.add(w, Fr.mul(k, h.evaluateInterpolant(rowEvaluations(row, K), zeta)));
      b = Fr.add(b, Fr.mul(k, Fr.add(b0[l][0], Fr.mul(b0[l][1], zeta))));
    });
    return Fr.add(w, Fr.mul(h.vanishingAt(zeta), b));
  };
  const tildeAt = oracleEvaluationSlot(link.tilde.name);
  const eAt = oracleEvaluationSlot(link.e.name);
  const control = await values(evaluated);
  assert.ok(control.sent.has(eAt) && control.sent.has(tildeAt), 'the variant sends w̃(ζ) and e(ζ)');
  assert.equal(Fr.sub(frSlot(control.v, tildeAt), frSlot(control.v, eAt)), committedAt(control.v), 'w̃(ζ) − e(ζ) is the committed combination at ζ');
  const linked = await values(spec);
  assert.ok(!linked.sent.has(eAt), 'the link sends no value of e');
  assert.ok(linked.sent.has(tildeAt), 'w̃ is evaluated (so the check below reads something)');
  assert.notEqual(frSlot(linked.v, tildeAt), committedAt(linked.v), 'w̃(ζ) is not the committed combination at ζ');
});

/**
 * A proof of case `c` on its weights committed as at setup, `[B_l + Z_H·b₀_l]₁` (b₀ of 2 coefficients, granted to the
 * attacker below: it stands for the proofs whose combination cancels it), blinded from `seed`; its slot values, and
 * `(w + Z_H·Σ_l k_l·b₀_l)(ζ)` for a link's committed combination `w = Σ_l k_l·B_l` of the rows `guess`.
 */
async function provenWithSetupBlinding(c: Case, seed: string) {
  const spec = c.block.iopSpec();
  const n = linksOf(spec)[0].tilde.domain;
  const b0 = c.weights.map((_, l) => [BigInt(5 + l), BigInt(9 + 2 * l)]);
  const tensors = { ...c.inputs, [c.weight]: c.weights, ...c.block.witness({ ...c.inputs, [c.weight]: c.weights }) };
  const commitments: Record<string, G1Point[]> = {};
  for (const t of c.block.tensors) {
    const rows = await commitRows(ctx.kzg, tensors[t.name], t.domain);
    commitments[t.name] = t.name === c.weight ? await Promise.all(rows.map(async (p, l) => p.add(await commitVanishingMultiple(ctx.kzg, n, b0[l])))) : rows;
  }
  const blinded: BlockContext = { ...ctx, blinding: blindingSource(`link-guess/${seed}`), statementBlinding: (slot) => (slot.startsWith(`${c.weight}/`) ? b0[Number(slot.split('/')[1])] : undefined) };
  const protocol = polyIopProtocol(spec, ctx.kzg, ctx.engine);
  const { instance } = await proveLeaf(protocol, Transcript.create('weight-link-guess').fork(leafLabel(c.block.foldKey, 0)), ctx.engine, c.block.statement(commitments), polyIopProver(spec, blinded, c.block.iopProver(blinded, tensors)));
  const v = instance.values;
  const h = new EvaluationDomain(n);
  const zeta = frSlot(v, 'zeta');
  const committedAt = (tilde: Oracle, guess: readonly (readonly bigint[])[]): bigint => {
    const { slots, scalars } = tilde.combination!(v);
    let out = 0n;
    slots.forEach((slot, i) => {
      const [tensor, row] = slot.split('/');
      if (tensor !== c.weight) return;
      const l = Number(row);
      const b = Fr.add(b0[l][0], Fr.mul(b0[l][1], zeta));
      out = Fr.add(out, Fr.mul(scalars[i], Fr.add(h.evaluateInterpolant(rowEvaluations(guess[l], n), zeta), Fr.mul(h.vanishingAt(zeta), b))));
    });
    return out;
  };
  return { v, h, zeta, links: linksOf(spec), committedAt };
}

test('the link\'s b of 2 coefficients hides w̃(ζ) on its own: E and w̃(ζ) never confirm a guess of the weights (with b of 1 coefficient, E = x·[Z_K(τ)]₁ for x computed from the guess)', async () => {
  const c = cases[0];
  const wrong = c.weights.map((row, l) => row.map((w, i) => (l === 1 && i === 2 ? w + 1n : w)));
  for (const seed of ['a', 'b']) {
    const { v, h, zeta, links, committedAt } = await provenWithSetupBlinding(c, seed);
    const [link] = links;
    const vanishing = await commitVanishingMultiple(ctx.kzg, link.tilde.domain, [1n]);
    /** Whether E = x·[Z_K(τ)]₁ with x = (w̃(ζ) − (w + Z_K·Σ_l β^l·b₀_l)(ζ)) / Z_K(ζ), w the combination of `guess`. */
    const confirms = (guess: readonly (readonly bigint[])[]): boolean => {
      const x = Fr.mul(Fr.sub(frSlot(v, oracleEvaluationSlot(link.tilde.name)), committedAt(link.tilde, guess)), Fr.inv(h.vanishingAt(zeta)));
      return g1Slot(v, link.message).equals(vanishing.multiply(x));
    };
    assert.equal(confirms(c.weights), false, `seed ${seed}: E and w̃(ζ) confirm the weights`);
    assert.equal(confirms(wrong), false, `seed ${seed}: E and w̃(ζ) confirm a wrong guess`);
  }
});
