/**
 * The quotient in pieces (`blocks/poly-iop.ts`, `quotientPieces`): a degree-3 identity on H_1024 has a quotient of
 * about 2N coefficients, committed as two pieces `t = t_0 + X^size·t_1` that each fit a key of about N powers; the
 * verifier reads `t_0(ζ) + ζ^size·t_1(ζ)` inside L. Every proof element (each piece included) and every witness cell
 * tampered is rejected, the pieces are hidden by the blinding the second takes back, and small domains keep one piece.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkConformance, type Tensors } from '../../blocks/index';
import { messageSlots } from '../../blocks/protocol';
import { blindingSource } from '../../src/blinding';
import { cheatingVerdict, context } from '../soundness/helpers';
import { PowerBlock } from '../helpers/power-block';
import { proveBlock, verifyBlock } from '../../blocks/conformance';
import { commitRows } from '../../blocks/commit-rows';

/** `y = x³` on one row of n cells: one identity `x·x·x − y = 0` on H_n, of degree 3. */
const CubeBlock = class extends PowerBlock {
  constructor(n: number) {
    super(n, 3);
  }
};

const N = 1024;
const inputs = (): Tensors => ({ x: [Array.from({ length: N }, (_, i) => BigInt((i * 37) % 101) - 50n)] });
// About N powers: the whole quotient (about 2N coefficients) would not fit, its pieces do.
const KEY_POWERS = N + 16;

test('quotient pieces: a degree-3 identity on H_1024 sends two pieces, each within a key of N + 16 powers, and the spec on H_16 one', async () => {
  const ctx = await context(KEY_POWERS);
  const quotients = (n: number) => messageSlots(new CubeBlock(n).protocol(ctx)).map((d) => d.name).filter((name) => name.includes('quotient'));
  assert.deepEqual(quotients(N), ['[quotient]', '[quotient/1]']);
  // Every piece is absorbed before ζ: a piece sent after it could be fitted to make L(ζ) = −c (rule 1).
  const schedule = new CubeBlock(N).protocol(ctx).schedule;
  const zeta = schedule.findIndex((step) => step.kind === 'challenge' && step.slots.includes('zeta'));
  for (const piece of ['[quotient]', '[quotient/1]']) {
    const at = schedule.findIndex((step) => step.kind === 'message' && step.slots.includes(piece));
    assert.ok(at >= 0 && at < zeta, `${piece} is absorbed before ζ`);
  }
  assert.deepEqual(quotients(16), ['[quotient]'], 'below the smallest piece the quotient is committed whole');
  const block = new CubeBlock(N);
  const tensors = { ...inputs(), ...block.witness(inputs()) };
  assert.equal((await cheatingVerdict(block, ctx, tensors)).ok, true, 'the honest proof, its quotient of about 2N coefficients in pieces of about N');
});

test('quotient pieces: every proof element (each piece) and every witness cell tampered is rejected', async () => {
  const report = await checkConformance(new CubeBlock(N), await context(KEY_POWERS), inputs(), { numRuns: 2 });
  assert.ok(report.witnessTamperings > 0, 'witness cells tampered');
});

test('quotient pieces: a false cube in any cell (prover checks bypassed) is rejected', async () => {
  const ctx = await context(KEY_POWERS);
  const block = new CubeBlock(N);
  const x = inputs().x;
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: N - 1 }), fc.bigInt({ min: 1n, max: 1n << 40n }), async (cell, delta) => {
      const y = block.witness({ x }).y.map((row) => row.map((v, i) => (i === cell ? v + delta : v)));
      assert.equal((await cheatingVerdict(block, ctx, { x, y })).ok, false, `y[${cell}] + ${delta}`);
    }),
    { numRuns: 3 },
  );
});

test('quotient pieces: the first piece moves with the blinding seed (hidden), the proofs of both seeds verify', async () => {
  const ctx = await context(KEY_POWERS);
  const block = new CubeBlock(N);
  const protocol = block.protocol(ctx);
  const tensors = { ...inputs(), ...block.witness(inputs()) };
  const statement = block.statement({ x: await commitRows(ctx.kzg, tensors.x, N), y: await commitRows(ctx.kzg, tensors.y, N) });
  const proofs = await Promise.all(['a', 'b'].map((seed) => proveBlock(block, { ...ctx, blinding: blindingSource(`pieces/${seed}`) }, protocol, statement, tensors)));
  for (const proof of proofs) assert.deepEqual(await verifyBlock(ctx, protocol, statement, proof), { ok: true });
  // `[quotient]` is the first message of the tail after the statement-only block's (none): its 32 bytes lead the proof.
  assert.equal(messageSlots(protocol)[0].name, '[quotient]');
  assert.notDeepEqual(proofs[0].subarray(0, 32), proofs[1].subarray(0, 32), 'the first piece is blinded');
});
