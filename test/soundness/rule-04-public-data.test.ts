/**
 * docs/soundness.md rule 4: the verifier computes all public data itself (tables, permutations, selectors, Lagrange values,
 * commitments of public vectors); none is taken from the proof.
 *
 * - Control: the rescale check `x + 2^(k−1)·q = 2^k·y + r` with the selector commitment `[q(τ)]₁` read from the
 *   proof instead of computed. A prover claims `y + 1` on every real cell and sends `Q' = 3·[q(τ)]₁`: the linear check
 *   passes for every ρ, and `y + 1` and r still pass their range lookups, so the whole forged rescale is accepted.
 *   Our rescale derives `[q(τ)]₁` itself and rejects it.
 * - Every built-in block declares its public data (tables, selectors, index maps, multiplicities, Lagrange values,
 *   `Z_H(ζ)`, row combinations) as `derived` slots or public points, never as messages.
 *
 * Also covered elsewhere: a prover using its own table and T(ζ) (`test/blocks/lookup-adversarial.test.ts`,
 * "rule 4").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type G1Point, type SlotValues } from '../../src/index';
import { LookupBlock, RescaleBlock, rangeTable, selectorCommitment, type Protocol, type Tensors } from '../../blocks/index';
import { blockVerdict, builtinBlocks, context, proveAndVerify, statementOf } from './helpers';

/** The rescale protocol with the selector commitment Q moved from a derived slot to a prover message. */
function qFromProof(p: Protocol): Protocol {
  const schedule = p.schedule.flatMap((s): Protocol['schedule'][number][] => {
    if (s.kind === 'derived' && s.slots.includes('Q'))
      return [{ ...s, slots: s.slots.filter((n) => n !== 'Q'), compute: async (v, e) => { const out = { ...(await s.compute(v, e)) }; delete (out as Record<string, unknown>).Q; return out; } }];
    if (s.kind === 'statement') return [s, { kind: 'message', slots: ['Q'] }];
    return [s];
  });
  return { ...p, foldKey: `${p.foldKey}/naive-Q`, slots: p.slots.map((d) => (d.name === 'Q' ? { ...d, origin: 'message' } : d)), schedule };
}

test('rule 4: a selector commitment taken from the proof lets a wrong rescale through; ours derives it and rejects', async () => {
  const ctx = await context(256, true);
  const [rows, domain, length, shift, outputBits] = [1, 8, 5, 3, 8];
  const block = new RescaleBlock({ input: 'x', output: 'y', remainder: 'r', rows, domain, length, shift, outputBits });
  const x = [[13n, -7n, 2n, 100n, -50n]];
  const honest = { x, ...block.witness({ x }) } as Tensors;
  const forged: Tensors = { ...honest, y: honest.y.map((row) => row.map((v) => v + 1n)) };
  const statement = await statementOf(block, ctx, forged);

  // Range checks of the forged y and of r still pass: only the linear check stands between the prover and the lie.
  assert.deepEqual(await blockVerdict(new LookupBlock(rangeTable(-128n, 128n), [{ input: 'y', rows, domain, length }]), ctx, { y: forged.y }), { ok: true });
  assert.deepEqual(await blockVerdict(new LookupBlock(rangeTable(0n, 8n), [{ input: 'r', rows, domain, length }]), ctx, { r: forged.r }), { ok: true });

  const naive = qFromProof(block.protocol(ctx));
  const q: G1Point = await selectorCommitment(ctx.kzg, domain, length);
  const cheat = (): SlotValues => ({ Q: q.multiply(3n) });
  assert.deepEqual(await proveAndVerify(ctx, naive, statement, cheat), { ok: true }, 'the attack is real');
  assert.equal((await proveAndVerify(ctx, naive, await statementOf(block, ctx, honest), () => ({ Q: q }))).ok, true, 'naive honest');

  assert.equal((await blockVerdict(block, ctx, forged)).ok, false, 'ours rejects');
});

/** Slot names that hold public data in the built-in blocks (each must be derived, never a message). */
const PUBLIC_DATA = [
  /^T$/, // the table's public polynomial at ζ (lookup), evaluated by the verifier from the key's table
  /^Q$/, // selector commitment (rescale)
  /^q:/, // selectors at ζ (lookup padding, permutation copy selector)
  /^k:/, // constants at ζ (permutation)
  /^gsrc:/, /^gid:/, /^mult:/, // permutation index maps and public multiplicities at ζ
  /^(l0|ln|zh|wz):/, /^(zh|wzeta)\//, /^L\d+\/\d+@zeta$/, // Lagrange values, Z_H(ζ), shifted points
  /^(betas|mask|alphas|pad)@zeta$/, // public vectors of matmul and sum at ζ
  /^comb\//, /^F:/, /^residual$/, /^alpha\^/, /^rho\^/, // verifier combinations of statement commitments, powers
  /^C@/, /^y@/, // batched commitments and values
];

test('rule 4: every built-in block keeps its public data out of the proof', async () => {
  const ctx = await context(64);
  const seen = new Set<RegExp>();
  for (const { block } of builtinBlocks()) {
    const p = block.protocol(ctx);
    for (const s of p.slots) {
      const re = PUBLIC_DATA.find((r) => r.test(s.name));
      if (!re) continue;
      seen.add(re);
      assert.equal(s.origin, 'derived', `${p.foldKey}: public data "${s.name}" is ${s.origin}`);
    }
  }
  assert.equal(seen.size, PUBLIC_DATA.length, 'every kind of public data occurs in some built-in block');
});
