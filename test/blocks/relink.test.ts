/**
 * The relink block (`blocks/relink.ts`): y = x on H with y blinded afresh. An honest relink of blinded rows (x's
 * blinding fixed, y's fresh) verifies; a y that differs from x on one cell, padding included, is rejected with the
 * prover's messages computed honestly from the blindings (the prover checks nothing, so no check is bypassed but the
 * verifier's); D, π, ξ and Z(ξ) tampered are rejected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { commitRows, proveBlock, verifyBlock, type Block, type BlockContext, type MessageSource, type Tensors } from '../../blocks/index';
import { RelinkBlock } from '../../blocks/relink';
import { G1_ONE, type G1Point } from '../../src/curve';
import { getDefaultEngine, type SlotValues } from '../../src/index';
import type { PairingEquation } from '../../src/equations/equation';
import { Fr } from '../../src/field';
import { commitVanishingMultiple } from '../../src/kzg/commit';
import { holds, testKey } from '../kzg/helpers';

const N = 4;
const ROWS = 2;
const engine = getDefaultEngine();
const kzg = await testKey(engine, 2 * N + 4);
const block = new RelinkBlock({ rows: ROWS, domain: N });
const x = [
  [5n, -3n, 7n],
  [0n, 12n, -1n],
];
const bx = [
  [101n, 7n],
  [3n, 55n],
];
const by = [
  [17n, 23n, 9n],
  [41n, 2n, 88n],
];

/** Blinded row commitments `[row + Z_H·b]₁`. */
async function blinded(rows: readonly (readonly bigint[])[], b: readonly (readonly bigint[])[]): Promise<G1Point[]> {
  const plain = await commitRows(kzg, rows, N);
  return Promise.all(plain.map(async (p, i) => p.add(await commitVanishingMultiple(kzg, N, b[i]))));
}

const ctx: BlockContext = {
  engine,
  kzg,
  statementBlinding: (slot) => {
    const [t, i] = slot.split('/');
    return (t === 'x' ? bx : by)[Number(i)];
  },
};

/** Proves y against x (both blinded); returns the verdict, the protocol and every slot value the prover saw and sent. */
async function run(y: readonly (readonly bigint[])[], tamper?: (name: string, p: G1Point) => G1Point) {
  const protocol = block.protocol(ctx);
  const statement = block.statement({ x: await blinded(x, bx), y: await blinded(y, by) });
  const tensors: Tensors = { x, y };
  const honest = block.prover(ctx, tensors);
  let seen: SlotValues = {};
  const sent: Record<string, G1Point> = {};
  const source: MessageSource = async (decls, values) => {
    seen = values;
    const out = (await honest(decls, values)) as Record<string, G1Point>;
    for (const [k, p] of Object.entries(out)) sent[k] = tamper ? tamper(k, p) : p;
    return { ...out, ...Object.fromEntries(Object.keys(out).map((k) => [k, sent[k]])) };
  };
  const bytes = await proveBlock({ prover: () => source } as unknown as Block, ctx, protocol, statement, tensors);
  const verdict = await verifyBlock(ctx, protocol, statement, bytes);
  return { ok: verdict.ok, protocol, values: { ...seen, ...sent } as SlotValues };
}

test('an honest relink of blinded rows verifies (y blinded afresh, x by its fixed blinding)', async () => {
  const { ok, protocol, values } = await run(block.witness({ x }).y);
  assert.equal(ok, true);
  assert.equal(await holds(engine, protocol.equations as PairingEquation[], values), true);
});

test('a y that differs from x on one cell (padding included) is rejected', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: ROWS - 1 }), fc.integer({ min: 0, max: N - 1 }), fc.bigInt({ min: 1n, max: 1000n }), async (row, cell, delta) => {
      const y = x.map((r, i) => Array.from({ length: N }, (_, c) => (r[c] ?? 0n) + (i === row && c === cell ? delta : 0n)));
      assert.equal((await run(y)).ok, false, `row ${row} cell ${cell} + ${delta}`);
    }),
    { numRuns: 6 },
  );
  // The padding cell alone (x has 3 real cells on H_4).
  assert.equal((await run(x.map((r, i) => [...r, i === 0 ? 1n : 0n]))).ok, false);
});

test('D or π tampered, or the equation read at another ξ or Z(ξ), is rejected', async () => {
  for (const name of ['D', 'pi']) assert.equal((await run(x, (k, p) => (k === name ? p.add(G1_ONE) : p))).ok, false, `${name} shifted`);
  const { protocol, values } = await run(x);
  const eqs = protocol.equations as PairingEquation[];
  assert.equal(await holds(engine, eqs, values), true);
  for (const fr of ['xi', 'Z(xi)']) assert.equal(await holds(engine, eqs, { ...values, [fr]: Fr.add(values[fr] as bigint, 1n) }), false, `${fr} + 1`);
});

test('the codec-facing shape: fold key, no linear relations, ranges shared both ways', () => {
  assert.equal(block.foldKey, `relink/m${ROWS}/n${N}`);
  assert.deepEqual(block.linearRelations(), []);
  const range = { lo: -5n, hi: 9n, cells: N };
  assert.deepEqual(block.provenRanges(new Map([['x', { tensor: 'x', ...range }]])), [{ tensor: 'y', ...range }]);
  assert.deepEqual(block.provenRanges(new Map([['y', { tensor: 'y', ...range }]])), [{ tensor: 'x', ...range }]);
});
