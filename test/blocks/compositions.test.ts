/**
 * Compositions `f(X^k)` as factor reads of the poly-IOP compiler (`blocks/poly-iop.ts`, "Compositions"): a custom
 * block on H_8 (`test/helpers/compose-block.ts`) reads y of H_4 as `y(X^2)`, z of H_2 as `z(X^4)` inside a linear form,
 * and u at the rotation 1, in one identity. Proven and verified on the reference and wasm engines; the opening points
 * are ζ^2 and ζ^4, after the rotation's; each output cell, each input cell (through the verifier's own commitments)
 * and every proof element changed (the composed evaluations by name) is rejected; a composition of the wrong power,
 * one beside a rotation and one in a sum claim are refused; the block passes the conformance harness with y and z
 * blinded for their two points; its declared points size the graph's blinding; the block joins a model argument; a
 * composed evaluation forged with the quotient check at ζ kept (`test/helpers/composed-forgery.ts`) is rejected by its
 * ζ^k opening alone, and verifies once the test τ opens it anyway.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  at,
  checkConformance,
  composedAt,
  committedRotations,
  messageSlots,
  modelArgumentProtocol,
  modelArgumentProver,
  modelArgumentSpec,
  modelArgumentStatement,
  polyIopProtocol,
  proveBlock,
  rowSlot,
  term,
  verifyBlock,
  type BlockContext,
  type Tensors,
} from '../../blocks/index';
import { proveLeaf } from '../../blocks/leaf';
import { Transcript } from '../../src/transcript';
import { BlockfoldError } from '../../src/errors';
import { blindingSource } from '../../src/blinding';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { graphBlindingCoefficients, type BlockGraph } from '../../src/pipeline/block-graph';
import { ComposeBlock, N } from '../helpers/compose-block';
import { TapsBlock } from '../helpers/taps-block';
import { cheatingVerdict, context, proveAndVerify, statementOf } from '../soundness/helpers';
import { composedForger } from '../helpers/composed-forgery';
import { acceptedElementChanges } from '../helpers/tampered-elements';
import { replayAndVerify } from '../helpers/replay-verify';
import { testKey } from '../kzg/helpers';
import { power, rotations } from '../helpers/opening-points';

const INPUTS = { u: [[3n, -1n, 4n, 1n, -5n, 9n, 2n, 6n]], y: [[7n, -2n, 3n, 5n]], z: [[11n, -13n]] };
const wasm = createWasmEngine();
after(() => wasm.close());

const honest = (block: ComposeBlock): Tensors => ({ ...INPUTS, ...block.witness(INPUTS) });

test('compositions y(X^2) and z(X^4) (one inside a linear form) beside a rotation prove and verify on the reference and wasm engines, with byte-identical proofs', async () => {
  const proofs: Uint8Array[] = [];
  for (const engine of [createReferenceEngine(), wasm]) {
    const ctx: BlockContext = { engine, kzg: await testKey(engine, 63), blinding: blindingSource('compositions') };
    const block = new ComposeBlock();
    const tensors = honest(block);
    const protocol = block.protocol(ctx);
    const statement = await statementOf(block, ctx, tensors);
    const proof = await proveBlock(block, ctx, protocol, statement, tensors);
    assert.deepEqual(await verifyBlock(ctx, protocol, statement, proof), { ok: true }, engine.name);
    proofs.push(proof);
  }
  assert.deepEqual(proofs[0], proofs[1], 'one seed, one proof on both engines');
});

test('the tail opens y at ζ^2 and z at ζ^4, one batch each after the rotation\'s; the points are derived as powers of ζ', async () => {
  const ctx = await context(64);
  const protocol = new ComposeBlock().protocol(ctx);
  const messages = messageSlots(protocol).map((d) => d.name);
  const [u, y, z] = ['u', 'y', 'z'].map((t) => rowSlot(t, 0));
  assert.deepEqual(
    messages.filter((m) => m.includes('@')),
    [`${u}@zeta`, `${y}@zeta`, `${z}@zeta`, `${u}@wzeta`, `${y}@zeta^2`, `${z}@zeta^4`].filter((m) => messages.includes(m)),
  );
  assert.ok(messages.includes(`${y}@zeta^2`) && messages.includes(`${z}@zeta^4`) && messages.includes(`${u}@wzeta`));
  assert.ok(!messages.includes(`${y}@zeta`) && !messages.includes(`${z}@zeta`), 'read only composed: linearized, never evaluated at ζ');
  const points = protocol.slots.filter((d) => /^zeta\^\d+$/.test(d.name)).map((d) => [d.name, d.origin]);
  assert.deepEqual(points, [['zeta^2', 'derived'], ['zeta^4', 'derived']]);
  assert.deepEqual(committedRotations(new ComposeBlock().iopSpec()), new Map([[u, rotations(1)], [y, [power(2)]], [z, [power(4)]], [rowSlot('x', 0), []]]));
});

test('each changed cell of x, y, z or u is rejected (prover checks bypassed), and random changes too', async () => {
  const ctx = await context(64);
  const block = new ComposeBlock();
  const tensors = honest(block);
  assert.deepEqual(await cheatingVerdict(block, ctx, tensors), { ok: true }, 'the honest witness');
  for (const name of ['x', 'y', 'z', 'u'])
    for (let i = 0; i < tensors[name][0].length; i++) {
      const changed = { ...tensors, [name]: [tensors[name][0].map((v, j) => (j === i ? v + 1n : v))] };
      assert.equal((await cheatingVerdict(block, ctx, changed)).ok, false, `${name}[${i}] changed`);
    }
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('x', 'y', 'z', 'u'), fc.nat(), fc.bigInt({ min: 1n, max: 1n << 64n }), async (name, i, delta) => {
      const row = tensors[name][0];
      const changed = { ...tensors, [name]: [row.map((v, j) => (j === i % row.length ? v + delta : v))] };
      assert.equal((await cheatingVerdict(block, ctx, changed)).ok, false);
    }),
    { numRuns: 12 },
  );
});

test('every changed element of a proof with compositions is rejected, the composed evaluations by name', async () => {
  const ctx = await context(64);
  const block = new ComposeBlock();
  const tensors = honest(block);
  const protocol = block.protocol(ctx);
  const statement = await statementOf(block, ctx, tensors);
  const proof = await proveBlock(block, ctx, protocol, statement, tensors);
  assert.deepEqual(await acceptedElementChanges(ctx, protocol, statement, proof), []);
  const messages = messageSlots(protocol).map((d) => d.name);
  for (const name of [`${rowSlot('y', 0)}@zeta^2`, `${rowSlot('z', 0)}@zeta^4`]) {
    const e = messages.indexOf(name);
    assert.ok(e >= 0, name);
    const bytes = proof.slice();
    bytes[32 * e + 31] ^= 1;
    assert.equal((await verifyBlock(ctx, protocol, statement, bytes)).ok, false, `${name} changed`);
  }
});

test('a composition whose power does not lift its oracle onto the identity\'s domain, one beside a rotation, one of power 0 and one in a sum claim are refused; power 1 is the plain read', async () => {
  const ctx = await context(64);
  const spec = new ComposeBlock().iopSpec();
  const [u, y, x] = ['u', 'y', 'x'].map((t) => rowSlot(t, 0));
  const withTerm = (t: ReturnType<typeof term>) => ({ ...spec, identities: [{ ...spec.identities[0], terms: [...spec.identities[0].terms, t] }] });
  const refused = (s: typeof spec, message: RegExp) => assert.throws(() => polyIopProtocol(s, ctx.kzg, ctx.engine), (e: unknown) => e instanceof BlockfoldError && message.test(e.message));
  refused(withTerm(term(1, composedAt(y, 4))), /reads oracle ".*y\/0" of H_4 composed with X\^4, which reads an oracle of H_2 only/);
  refused(withTerm(term(1, { oracle: y, power: 2, rotation: 1 })), /read both composed \(power 2\) and rotated \(1\)/);
  refused(withTerm(term(1, composedAt(y, 0))), /power must be a positive safe integer, got 0/);
  refused({ ...spec, sums: [{ name: 'bad', domain: N, summand: [term(1, composedAt(y, 2))] }] }, /sum claim "bad" reads a composed oracle/);
  // Power 1 is f itself: the same protocol as the plain read.
  const plain = withTerm(term(1, at(u), at(x)));
  const one = withTerm(term(1, composedAt(u, 1), at(x)));
  assert.deepEqual(polyIopProtocol(one, ctx.kzg, ctx.engine).slots.map((d) => d.name), polyIopProtocol(plain, ctx.kzg, ctx.engine).slots.map((d) => d.name));
  // A rotation ≡ 0 beside a power is the composition alone.
  assert.deepEqual(committedRotations(withTerm(term(1, { oracle: y, power: 2, rotation: N }))).get(y), [power(2)]);
});

test('conformance: every proof element, output cell and statement slot tampered is rejected; y and z are blinded for their two points', async () => {
  const block = new ComposeBlock();
  const report = await checkConformance(block, await context(64), INPUTS, { numRuns: 3 });
  assert.ok(report.witnessTamperings > 0 && report.unblindedRowsRejected);
  assert.deepEqual(block.openingRotations(), { rows: { u: rotations(1), y: [power(2)], z: [power(4)] }, ownPoints: 1 });
});

test('graphBlindingCoefficients: a row read composed and rotated by two blocks is opened at the union of their points', () => {
  const block = new ComposeBlock();
  const taps = new TapsBlock(false);
  const graph = (nodes: BlockGraph['nodes']): BlockGraph =>
    ({ tensors: [{ id: 'u', rows: 1, domain: N, kind: 'input' }, { id: 'y', rows: 1, domain: 4, kind: 'input' }, { id: 'z', rows: 1, domain: 2, kind: 'input' }, { id: 'x', rows: 1, domain: N, kind: 'wire' }, { id: 't', rows: 1, domain: N, kind: 'wire' }], nodes }) as unknown as BlockGraph;
  // Alone: two points per row (the base of ζ and ω·ζ gives 3 coefficients).
  assert.equal(graphBlindingCoefficients(graph([{ block, bind: { u: 'u', y: 'y', z: 'z', x: 'x' } }] as unknown as BlockGraph['nodes'])), 3);
  // u read at the rotation 1 here and at 2, 5, 7 by the taps block: ζ and four rotations, 6 coefficients.
  const both = graph([{ block, bind: { u: 'u', y: 'y', z: 'z', x: 'x' } }, { block: taps, bind: { x: 'u', y: 't' } }] as unknown as BlockGraph['nodes']);
  assert.equal(graphBlindingCoefficients(both), 6);
});

test('model argument: the composing block beside the rotating one verifies; a changed output cell and a changed composed evaluation are rejected', async () => {
  const ctx: BlockContext = { ...(await context(64)), allowInvalidWitness: true };
  const blocks = [new ComposeBlock(), new TapsBlock(true)];
  const X = [3n, -1n, 4n, 1n, -5n, 9n, 2n, 6n];
  const run = async (tensors: Tensors[]) => {
    const spec = modelArgumentSpec('test-model', blocks, ctx);
    const protocol = modelArgumentProtocol(spec, ctx);
    const statements = [];
    for (let i = 0; i < blocks.length; i++) statements.push(await statementOf(blocks[i], ctx, tensors[i]));
    const statement = modelArgumentStatement(statements);
    const { messages } = await proveLeaf(protocol, Transcript.create('compositions-test'), ctx.engine, statement, modelArgumentProver(spec, blocks, ctx, tensors));
    return { protocol, statement, messages, verdict: await replayAndVerify(protocol, 'compositions-test', ctx.engine, statement, messages) };
  };
  const compose = honest(blocks[0] as ComposeBlock);
  const taps = { x: [X], ...blocks[1].witness({ x: [X] }) };
  const good = await run([compose, taps]);
  assert.deepEqual(good.verdict, { ok: true });
  const bad = await run([{ ...compose, x: [compose.x[0].map((v, i) => (i === 3 ? v + 1n : v))] }, taps]);
  assert.equal(bad.verdict.ok, false, 'x[3] changed');
  const names = messageSlots(good.protocol).map((d) => d.name);
  const e = names.findIndex((n) => n.endsWith(`${rowSlot('y', 0)}@zeta^2`));
  assert.ok(e >= 0);
  const bytes = Uint8Array.from(good.messages);
  bytes[32 * e + 31] ^= 1;
  assert.equal((await replayAndVerify(good.protocol, 'compositions-test', ctx.engine, good.statement, bytes)).ok, false, 'y at ζ^2 changed');
});

test('composedForger: y(ζ^2) or z(ζ^4) forged with the check at ζ kept (quotient t + 1) is rejected by its opening alone: opened at the false value with the test τ, the same forgery verifies', async () => {
  const ctx = await context(64);
  const block = new ComposeBlock();
  const tensors = honest(block);
  const protocol = block.protocol(ctx);
  const statement = await statementOf(block, ctx, tensors);
  const rejected = { ok: false, reason: 'the batched pairing check failed' };
  for (const slot of [`${rowSlot('y', 0)}@zeta^2`, `${rowSlot('z', 0)}@zeta^4`]) {
    const verdict = async (keepCheckAtZeta: boolean, openedAnyway: boolean) => {
      const forger = composedForger(ctx, protocol, block.prover(ctx, tensors), slot, { keepCheckAtZeta, openedAnyway });
      const result = await proveAndVerify(ctx, protocol, statement, forger.source);
      assert.ok(forger.solved(), 'y and z are read linearly: a forged value always exists');
      return result;
    };
    // The forgery is real: with its batch opened at the false value, nothing else notices it.
    assert.deepEqual(await verdict(true, true), { ok: true }, `${slot} forged, opened anyway`);
    // Its opening is what rejects it: every other point of the opening holds, and the pairing check fails.
    assert.deepEqual(await verdict(true, false), rejected, `${slot} forged, opened honestly`);
    // Without the quotient's compensation the check at ζ rejects the changed value even where its point opens it.
    assert.deepEqual(await verdict(false, true), rejected, `${slot} changed alone, opened anyway`);
    assert.deepEqual(await verdict(false, false), rejected, `${slot} changed alone`);
  }
});
