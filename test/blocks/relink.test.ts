/**
 * The relink block (`blocks/relink.ts`): y = x on H with y blinded afresh. An honest relink of blinded rows (x's
 * blinding fixed, y's fresh) verifies; a y that differs from x on one cell, padding included, is rejected by the
 * identity δ = 0 (the prover run with `allowInvalidWitness`, its quotient dropping the remainder), and the same
 * proof verifies once the identity is removed from the spec; the quotient and the opening tampered are rejected;
 * δ is never evaluated, and in a model argument the block sends nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  commitRows,
  modelArgumentProtocol,
  modelArgumentSpec,
  polyIopProtocol,
  polyIopProver,
  proveBlock,
  verifyBlock,
  type Block,
  type BlockContext,
  type MessageSource,
  type PolyIopSpec,
  type Tensors,
} from '../../blocks/index';
import { messageSlots } from '../../blocks/protocol';
import { RelinkBlock } from '../../blocks/relink';
import { G1_ONE, type G1Point } from '../../src/curve';
import { getDefaultEngine, type SlotValues } from '../../src/index';
import { commitVanishingMultiple } from '../../src/kzg/commit';
import { testKey } from '../kzg/helpers';

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

/**
 * Proves y against x (both blinded) under `spec` (default: the block's) with the prover's checks bypassed, `tamper`
 * changing a G1 message after it is computed; returns the verdict and the protocol.
 */
async function run(y: readonly (readonly bigint[])[], tamper?: (name: string, p: G1Point) => G1Point, spec: PolyIopSpec = block.iopSpec()) {
  const protocol = polyIopProtocol(spec, ctx.kzg, ctx.engine);
  const statement = block.statement({ x: await blinded(x, bx), y: await blinded(y, by) });
  const tensors: Tensors = { x, y };
  const cheatCtx: BlockContext = { ...ctx, allowInvalidWitness: true };
  const honest = polyIopProver(spec, cheatCtx, block.iopProver(cheatCtx, tensors));
  const source: MessageSource = async (decls, values) => {
    const out = { ...(await honest(decls, values)) } as Record<string, SlotValues[string]>;
    if (tamper) for (const [k, p] of Object.entries(out)) if (typeof p !== 'bigint') out[k] = tamper(k, p as G1Point);
    return out;
  };
  const bytes = await proveBlock({ prover: () => source } as unknown as Block, cheatCtx, protocol, statement, tensors);
  return { ok: (await verifyBlock(ctx, protocol, statement, bytes)).ok, protocol };
}

/** The spec without the identity δ = 0 (and δ, which only it reads): nothing ties y to x. */
const unlinked: PolyIopSpec = { ...block.iopSpec(), oracles: [], identities: [] };

test('an honest relink of blinded rows verifies (y blinded afresh, x by its fixed blinding); δ is never evaluated', async () => {
  const { ok, protocol } = await run(block.witness({ x }).y);
  assert.equal(ok, true);
  assert.deepEqual(messageSlots(protocol).map((d) => d.name), ['[quotient]', 'open/W'], 'proven alone: the quotient and the opening, no evaluation');
  const argument = modelArgumentProtocol(modelArgumentSpec('relink', [block, new RelinkBlock({ rows: 1, domain: N })], ctx), ctx);
  assert.deepEqual(messageSlots(argument).map((d) => d.name), ['[quotient]', 'open/W'], 'in a model argument: nothing of its own');
});

test('a y that differs from x on one cell (padding included) is rejected by δ = 0, and verifies without it', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: ROWS - 1 }), fc.integer({ min: 0, max: N - 1 }), fc.bigInt({ min: 1n, max: 1000n }), async (row, cell, delta) => {
      const y = x.map((r, i) => Array.from({ length: N }, (_, c) => (r[c] ?? 0n) + (i === row && c === cell ? delta : 0n)));
      assert.equal((await run(y)).ok, false, `row ${row} cell ${cell} + ${delta}`);
    }),
    { numRuns: 6 },
  );
  // The padding cell alone (x has 3 real cells on H_4).
  const padded = x.map((r, i) => [...r, i === 0 ? 1n : 0n]);
  assert.equal((await run(padded)).ok, false);
  // Control: the same prover, the identity removed, copies the wrong y.
  assert.equal((await run(padded, undefined, unlinked)).ok, true, 'without δ = 0 a wrong copy verifies');
});

test('the quotient or the opening tampered is rejected', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('[quotient]', 'open/W'), fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }), async (name, k) => {
      assert.equal((await run(x, (slot, p) => (slot === name ? p.add(G1_ONE.multiply(k)) : p))).ok, false, `${name} + ${k}·G`);
    }),
    { numRuns: 4 },
  );
});

test('the codec-facing shape: fold key, no linear relations, ranges shared both ways', () => {
  assert.equal(block.foldKey, `relink/m${ROWS}/n${N}`);
  assert.deepEqual(block.linearRelations(), []);
  const range = { lo: -5n, hi: 9n, cells: N };
  assert.deepEqual(block.provenRanges(new Map([['x', { tensor: 'x', ...range }]])), [{ tensor: 'y', ...range }]);
  assert.deepEqual(block.provenRanges(new Map([['y', { tensor: 'y', ...range }]])), [{ tensor: 'x', ...range }]);
});
