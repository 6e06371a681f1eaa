/**
 * Opening points of two domains that coincide (`src/kzg/multi-open.ts`): f on H_4 read at rotation 1 and g on H_8 at
 * rotation 2 are opened at `ω_4·ζ` and `ω_8²·ζ`, one field element, as two batches. The multi-point opening allows a
 * repeated point (its residue there is a γ-combination of both batches' errors): the honest proof verifies, every
 * changed proof element is rejected, and so is a wrong witness on either domain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  at,
  commitRows,
  polyIopProtocol,
  polyIopProver,
  proveBlock,
  rotatedAt,
  rowEvaluations,
  rowSlot,
  rowStatement,
  rowStatementSlots,
  term,
  verifyBlock,
  type Block,
  type BlockContext,
  type PolyIopSpec,
  type TensorSpec,
} from '../../blocks/index';
import { Fr } from '../../src/field';
import { interpolate } from '../../src/poly/interpolate';
import { rootOfUnity } from '../../src/poly/roots';
import { acceptedElementChanges } from '../helpers/tampered-elements';
import { context } from '../soundness/helpers';

const tensors: TensorSpec[] = [
  { name: 'f', rows: 1, domain: 4, role: 'input' },
  { name: 'u', rows: 1, domain: 4, role: 'output' },
  { name: 'g', rows: 1, domain: 8, role: 'input' },
  { name: 'v', rows: 1, domain: 8, role: 'output' },
];
const [f, u, g, v] = ['f', 'u', 'g', 'v'].map((t) => rowSlot(t, 0));
/** `u_i = f_(i+1)` on H_4 and `v_i = g_(i+2)` on H_8. */
const spec: PolyIopSpec = {
  foldKey: 'coinciding-points',
  statement: rowStatementSlots(tensors),
  slots: [],
  rounds: [],
  oracles: [
    { name: f, domain: 4, commitment: f },
    { name: u, domain: 4, commitment: u },
    { name: g, domain: 8, commitment: g },
    { name: v, domain: 8, commitment: v },
  ],
  publics: [],
  identities: [
    { name: 'u', domain: 4, terms: [term(1, at(u)), term(-1, rotatedAt(f, 1))] },
    { name: 'v', domain: 8, terms: [term(1, at(v)), term(-1, rotatedAt(g, 2))] },
  ],
};
const F = [1n, 2n, 3n, 4n];
const G = [5n, 6n, 7n, 8n, 9n, 10n, 11n, 12n];
const honest: Record<string, bigint[]> = { f: F, u: F.map((_, i) => F[(i + 1) % 4]), g: G, v: G.map((_, i) => G[(i + 2) % 8]) };

/** A proof of `spec` over the rows `rows` (the prover's checks bypassed, so a wrong witness gets a proof). */
async function proofOver(ctx: BlockContext, rows: Record<string, bigint[]>) {
  const commitments = Object.fromEntries(await Promise.all(tensors.map(async (t) => [t.name, await commitRows(ctx.kzg, [rows[t.name]], t.domain)] as const)));
  const statement = rowStatement(tensors, commitments);
  const protocol = polyIopProtocol(spec, ctx.kzg, ctx.engine);
  const polys = Object.fromEntries(tensors.map((t) => [rowSlot(t.name, 0), interpolate(rowEvaluations(rows[t.name], t.domain), ctx.engine)]));
  const carrier = { prover: (c: BlockContext) => polyIopProver(spec, c, { round: () => ({}), polynomials: () => polys }) } as unknown as Block;
  const proving = { ...ctx, allowInvalidWitness: true };
  return { protocol, statement, proof: await proveBlock(carrier, proving, protocol, statement, {}) };
}

test('ω_4·ζ = ω_8²·ζ: two batches at one point; the honest proof verifies and every changed element is rejected', async () => {
  const ctx = await context(64);
  const { protocol, statement, proof } = await proofOver(ctx, honest);
  const points = protocol.slots.filter((d) => /zeta\/\d+$/.test(d.name)).map((d) => d.name);
  assert.deepEqual(points, ['wzeta/4', 'w^2zeta/8']);
  assert.equal(Fr.pow(rootOfUnity(8), 2n), rootOfUnity(4), 'ω_8² = ω_4: the two points are one, whatever ζ');
  assert.deepEqual(await verifyBlock(ctx, protocol, statement, proof), { ok: true });
  assert.deepEqual(await acceptedElementChanges(ctx, protocol, statement, proof), []);
});

test('coinciding points: a wrong output cell on either domain is rejected', async () => {
  const ctx = await context(64);
  for (const [t, n] of [['u', 4], ['v', 8]] as const)
    for (let i = 0; i < n; i++) {
      const rows = { ...honest, [t]: honest[t].map((x, j) => (j === i ? x + 1n : x)) };
      const { protocol, statement, proof } = await proofOver(ctx, rows);
      assert.equal((await verifyBlock(ctx, protocol, statement, proof)).ok, false, `${t}[${i}] changed`);
    }
});
