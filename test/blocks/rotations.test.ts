/**
 * Rotations `f(ω_n^s·X)` as factor reads of the poly-IOP compiler (`blocks/poly-iop.ts`, "Rotations"): a custom block
 * on H_8 reads its input x at s ∈ {2, −1, n − 3} in an identity (one read inside a linear form) and in a sum claim
 * whose summand is the convolution's shape `Σ_t c_t·scalar(a)·pub(mask)·x(ω^(s_t)·X)`, plain or row-weighted. Proven
 * and verified on the reference and wasm engines; the opening points and slots are those of each distinct rotation
 * (mod n), after the shift's; a wrong output cell, a total from a wrong input cell, and every changed proof element
 * (the rotated evaluations by name) are rejected; the block passes the conformance harness with x blinded for its
 * 4 opening points; its declared rotations size the graph's blinding and SRS.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConformance, messageSlots, polyIopProtocol, polyIopProver, proveBlock, rowSlot, verifyBlock, type Block, type BlockContext, type PolyIopSpec } from '../../blocks/index';
import { MASK, N, TAPS, TapsBlock } from '../helpers/taps-block';
import { Fr } from '../../src/field';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { graphBlindingCoefficients, keyG1Powers, type BlockGraph } from '../../src/pipeline/block-graph';
import { hidingSrsSlack } from '../../blocks/hiding';
import { specOpeningRotations } from '../../blocks/poly-iop-block';
import { cheatingVerdict, context, statementOf } from '../soundness/helpers';
import { acceptedElementChanges } from '../helpers/tampered-elements';
import { testKey } from '../kzg/helpers';
import { rotations } from '../helpers/opening-points';

const X = [3n, -1n, 4n, 1n, -5n, 9n, 2n, 6n];
const wasm = createWasmEngine();
after(() => wasm.close());

test('rotations 2, −1 and n − 3 in an identity (one inside a linear form) and in a sum claim, plain and row-weighted, prove and verify on the reference and wasm engines', async () => {
  for (const engine of [createReferenceEngine(), wasm]) {
    const ctx: BlockContext = { engine, kzg: await testKey(engine, 63) };
    for (const weighted of [false, true]) {
      const block = new TapsBlock(weighted);
      const tensors = { x: [X], ...block.witness({ x: [X] }) };
      const protocol = block.protocol(ctx);
      const statement = await statementOf(block, ctx, tensors);
      const proof = await proveBlock(block, ctx, protocol, statement, tensors);
      assert.deepEqual(await verifyBlock(ctx, protocol, statement, proof), { ok: true }, `${engine.name}, weighted ${weighted}`);
    }
  }
});

test('the tail opens x at each distinct rotation mod n once, after the accumulator\'s shift: points ω^2·ζ, ω^5·ζ, ω^7·ζ of H_8, slots named by the rotation in [0, n)', async () => {
  const ctx = await context(64);
  const protocol = new TapsBlock(true).protocol(ctx);
  const messages = messageSlots(protocol).map((d) => d.name);
  const x = rowSlot('x', 0);
  const rotated = messages.filter((m) => m.includes('zeta') && m.includes('@w'));
  assert.deepEqual(rotated, ['Z/sum/0@wzeta', `${x}@w^2zeta`, `${x}@w^5zeta`, `${x}@w^7zeta`]);
  const points = protocol.slots.filter((d) => /zeta\/8$/.test(d.name)).map((d) => [d.name, d.origin]);
  assert.deepEqual(points, [['wzeta/8', 'derived'], ['w^2zeta/8', 'derived'], ['w^5zeta/8', 'derived'], ['w^7zeta/8', 'derived']]);
});

test('a wrong output cell, seen only through the rotated reads of its neighbours, is rejected in every cell (prover checks bypassed)', async () => {
  const ctx = await context(64);
  for (const weighted of [false, true]) {
    const block = new TapsBlock(weighted);
    const y = block.witness({ x: [X] }).y[0];
    assert.deepEqual(await cheatingVerdict(block, ctx, { x: [X], y: [y] }), { ok: true }, 'the honest witness');
    for (let i = 0; i < N; i++) {
      const verdict = await cheatingVerdict(block, ctx, { x: [X], y: [y.map((v, j) => (j === i ? v + 1n : v))] });
      assert.equal(verdict.ok, false, `y[${i}] changed, weighted ${weighted}`);
    }
  }
});

test('a sum claim whose total is computed from one wrong input cell is rejected, for every cell a tap reads through the mask', async () => {
  const ctx = await context(64);
  const tensors = (b: Block) => ({ x: [X], ...b.witness({ x: [X] }) });
  for (const weighted of [false, true]) {
    // x_j is read by the tap of rotation s at the cell i = j − s, where the mask must be 1.
    const read = Array.from({ length: N }, (_, j) => j).filter((j) => TAPS.some(([, , s]) => MASK[(((j - s) % N) + N) % N] === 1n));
    assert.ok(read.length > 0);
    for (const j of read) {
      const block = new TapsBlock(weighted, (xs) => xs.map((v, k) => (k === j ? Fr.add(v, 1n) : v)));
      assert.equal((await cheatingVerdict(block, ctx, tensors(block))).ok, false, `x[${j}] off by one in T, weighted ${weighted}`);
    }
  }
});

test('every changed element of a proof with rotations is rejected, the rotated evaluations among them', async () => {
  const ctx = await context(64);
  const block = new TapsBlock(true);
  const tensors = { x: [X], ...block.witness({ x: [X] }) };
  const protocol = block.protocol(ctx);
  const statement = await statementOf(block, ctx, tensors);
  const proof = await proveBlock(block, ctx, protocol, statement, tensors);
  assert.deepEqual(await verifyBlock(ctx, protocol, statement, proof), { ok: true });
  assert.deepEqual(await acceptedElementChanges(ctx, protocol, statement, proof), []);
  // By name: each rotated evaluation is one 32-byte element of the proof, and changing it is rejected.
  const messages = messageSlots(protocol).map((d) => d.name);
  for (const s of [2, 5, 7]) {
    const e = messages.indexOf(`${rowSlot('x', 0)}@w^${s}zeta`);
    assert.ok(e >= 0);
    const bytes = proof.slice();
    bytes[32 * e + 31] ^= 1;
    assert.equal((await verifyBlock(ctx, protocol, statement, bytes)).ok, false, `x at ω^${s}·ζ changed`);
  }
});

test('conformance: every proof element, output cell and statement slot tampered is rejected; x is blinded for its 4 opening points', async () => {
  const block = new TapsBlock(true);
  const report = await checkConformance(block, await context(64), { x: [X] }, { numRuns: 3 });
  assert.ok(report.witnessTamperings > 0 && report.unblindedRowsRejected);
  assert.ok(report.blindedEvaluations > 0, 'x or y evaluated at ζ over blinded rows');
});

test('specOpeningRotations and graphBlindingCoefficients: x read at 3 rotations takes 5 coefficients; two blocks rotating one tensor differently add up; the key grows by 3 powers a coefficient', () => {
  const block = new TapsBlock(false);
  assert.deepEqual(block.openingRotations(), { rows: { x: rotations(2, 5, 7) }, ownPoints: 2 }, 'the accumulator at ζ and ω·ζ');
  assert.deepEqual(specOpeningRotations(block.iopSpec(), block.tensors), block.openingRotations());
  const graph = (nodes: BlockGraph['nodes']): BlockGraph => ({ tensors: [{ id: 'in', rows: 1, domain: N, kind: 'input' }, { id: 'out', rows: 1, domain: N, kind: 'wire' }, { id: 'out2', rows: 1, domain: N, kind: 'wire' }], nodes }) as unknown as BlockGraph;
  const one = graph([{ block, bind: { x: 'in', y: 'out' } }] as unknown as BlockGraph['nodes']);
  assert.equal(graphBlindingCoefficients(one), 5);
  assert.equal(keyG1Powers(one), 2 * N + hidingSrsSlack(5));
  assert.equal(hidingSrsSlack(5) - hidingSrsSlack(3), 6);
  // A second reader of the same tensor at rotations {1, 3}: the model opens it at ζ and {1, 2, 3, 5, 7}, 6 points.
  const other = { tensors: [{ name: 'u', rows: 1, domain: N, role: 'input' }], openingRotations: () => ({ rows: { u: rotations(1, 3) }, ownPoints: 1 }) } as unknown as Block;
  const two = graph([{ block, bind: { x: 'in', y: 'out' } }, { block: other, bind: { u: 'in' } }] as unknown as BlockGraph['nodes']);
  assert.equal(graphBlindingCoefficients(two), 7);
  const apart = graph([{ block, bind: { x: 'in', y: 'out' } }, { block: other, bind: { u: 'out2' } }] as unknown as BlockGraph['nodes']);
  assert.equal(graphBlindingCoefficients(apart), 5, 'rotations of different tensors do not add up');
  assert.equal(graphBlindingCoefficients(graph([])), 3, 'the base: ζ and ω·ζ');
});

test('polyIopProtocol and polyIopProver agree on a spec whose rotations are written differently: s and s ± n are one read', async () => {
  const ctx = await context(64);
  const block = new TapsBlock(false);
  const spec = block.iopSpec();
  const x = rowSlot('x', 0);
  // The same spec with every rotation written as s + n or s − 2n: the same protocol slots, and the proof verifies.
  const shift = (f: { oracle: string; rotation?: number }, k: number) => (f.rotation === undefined ? f : { oracle: f.oracle, rotation: f.rotation + k * N });
  const respelled: PolyIopSpec = {
    ...spec,
    identities: spec.identities.map((id) => ({ ...id, terms: id.terms.map((t) => ({ ...t, factors: t.factors.map((f) => ('oracle' in f ? shift(f, 1) : f)) })) })),
    sums: spec.sums!.map((c) => ({ ...c, summand: c.summand.map((t) => ({ ...t, factors: t.factors.map((f) => ('oracle' in f ? shift(f, -2) : f)) })) })),
  };
  const protocol = polyIopProtocol(respelled, ctx.kzg, ctx.engine);
  assert.deepEqual(protocol.slots.map((d) => d.name), polyIopProtocol(spec, ctx.kzg, ctx.engine).slots.map((d) => d.name));
  const tensors = { x: [X], ...block.witness({ x: [X] }) };
  const statement = await statementOf(block, ctx, tensors);
  const carrier = { prover: (c: BlockContext) => polyIopProver(respelled, c, block.iopProver(c, tensors)) } as unknown as Block;
  const proof = await proveBlock(carrier, ctx, protocol, statement, tensors);
  assert.deepEqual(await verifyBlock(ctx, protocol, statement, proof), { ok: true });
  assert.ok(messageSlots(protocol).some((d) => d.name === `${x}@w^7zeta`));
});
