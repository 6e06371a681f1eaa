/**
 * Relinked rows (`src/pipeline/relinked-rows.ts`): a relinked copy y of a fixed-blinding row x is sent as
 * `E = [y]₁ − [x]₁`, honestly `[Z_H·(b_y − b_x)]₁`, and both sides set `[y]₁ = [x]₁ + E`.
 *
 * The prover's E is always the difference of the two commitments (honest or not, padding included), so the verifier's
 * `[x]₁ + E` is the commitment the former protocol sent, and every E is absorbed before the first challenge (E + G
 * changes the transcript state after the wire section). A relink of anything but a weight or an input is refused.
 * On the sample MLP with its input hashed (copies of the input, whose source is the statement's commitment, and of
 * both biases, whose source is the model commitment), an honest proof verifies; every E changed (plus a point,
 * swapped with another row's, the point at infinity) is rejected, and so is a copy with one changed cell (a real one
 * and a padding one) proven with the prover's checks bypassed: those two are rejected by the blocks reading the copy
 * (they would be with the relink identity removed too). What the identity itself binds is shown by the consistent
 * forgeries, every later tensor recomputed from the changed copy: a bias copy changed by one (another output
 * claimed) and the hashed input's copy changed in cell 0 (the output computed from another input than the hashed
 * one) are rejected, and accepted once the identity is removed (the control).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlockContext } from '../../blocks/block';
import { commitRows } from '../../blocks/commit-rows';
import { rowSlot, type PolyIopSpec } from '../../blocks/poly-iop';
import { RelinkBlock } from '../../blocks/relink';
import { G1, G1_ONE } from '../../src/curve';
import { decodeG1s, encodeG1, G1_BYTES } from '../../src/encoding/points';
import { Fr } from '../../src/field';
import { commitVanishingMultiple } from '../../src/kzg/commit';
import { BlockGraphError } from '../../src/pipeline/block-graph';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { derivedRows } from '../../src/pipeline/derived-rows';
import { computeGraphWitness, sentWires } from '../../src/pipeline/graph-proof';
import { blockContext } from '../../src/pipeline/keys';
import { prove, readArgumentStatement, verify } from '../../src/pipeline/prove-verify';
import { relinkedRows, relinkMessages, withRelinkedRows } from '../../src/pipeline/relinked-rows';
import { sampleMlpInput } from '../model/fixtures';
import { assertTamperRejected, keysFor, sampleBytes } from '../soundness/pipeline';

/** The byte offset of the wire section in a model proof: magic, version, kind, zk flag, u32 length. */
const WIRE_SECTION = 4 + 1 + 1 + 1 + 4;

const feeds = { input: sampleMlpInput() };
const hashed = compile(sampleBytes(), [feeds], { visibility: { inputs: { input: 'hashed' } } });
const hashedPk = await keysFor(hashed);
const hashedInputs = quantizeFeeds(hashed, feeds);

/** The byte offset in a proof of every relinked copy's row: `[copy id, row, offset]`. */
function copyOffsets(model: typeof hashed): [string, number, number][] {
  const g = model.graph;
  const relinked = relinkedRows(g);
  const out: [string, number, number][] = [];
  let offset = WIRE_SECTION;
  for (const t of sentWires(g, derivedRows(g).ids))
    for (let r = 0; r < t.rows; r++, offset += G1_BYTES) if (relinked.has(t.id)) out.push([t.id, r, offset]);
  return out;
}

test('the copies of the hashed sample MLP: the input and both biases, each read from the row it copies', () => {
  const g = hashed.graph;
  const relinked = relinkedRows(g);
  const kind = new Map(g.tensors.map((t) => [t.id, t.kind]));
  assert.deepEqual([...relinked.values()].map((x) => kind.get(x)).sort(), ['input', 'weight', 'weight']);
  for (const [y, x] of relinked) {
    assert.equal(y, `${x}~link`);
    assert.ok(g.nodes.some((n) => n.block instanceof RelinkBlock && n.bind.x === x && n.bind.y === y));
  }
  assert.equal(relinkedRows(g), relinked, 'computed once per graph');
});

test("E is [y]₁ − [x]₁ for any y (padding included), honestly [Z_H·(b_y − b_x)]₁; [x]₁ + E is the copy's commitment", async () => {
  const pk = hashedPk;
  const g = hashed.graph;
  const ctx: BlockContext = blockContext(pk.vk.kzg);
  const relinked = relinkedRows(g);
  const values = computeGraphWitness(g, { ...hashedInputs, ...hashed.weights });
  // Arbitrary blindings: 3 coefficients for the copies, 2 for the sources (the solver's widths).
  const blinding = (row: string) => Array.from({ length: row.includes('~link') ? 3 : 2 }, (_, j) => BigInt(7 * row.length + 13 * j + 1));
  const committed = async (rows: readonly (readonly bigint[])[], id: string, n: number) =>
    Promise.all((await commitRows(pk.vk.kzg, rows, n)).map(async (c, r) => c.add(await commitVanishingMultiple(pk.vk.kzg, n, blinding(rowSlot(id, r))))));
  const domain = (id: string) => g.tensors.find((t) => t.id === id)!.domain;
  const sources = async (vals: typeof values) => Object.fromEntries(await Promise.all([...relinked.values()].map(async (x) => [x, await committed(vals[x], x, domain(x))] as const)));

  const honest = await relinkMessages(ctx, g, relinked, values, blinding);
  for (const [y, x] of relinked) {
    for (let r = 0; r < values[y].length; r++) {
      const e = blinding(rowSlot(y, r)).map((b, j) => Fr.sub(b, blinding(rowSlot(x, r))[j] ?? 0n));
      assert.ok(honest[y][r].equals(await commitVanishingMultiple(pk.vk.kzg, domain(y), e)), `${y}[${r}]: the vanishing multiple alone`);
    }
  }
  const table = await withRelinkedRows(ctx, relinked, { ...(await sources(values)), ...honest });
  for (const y of relinked.keys()) {
    const expected = await committed(values[y], y, domain(y));
    table[y].forEach((c, r) => assert.ok(c.equals(expected[r]), `${y}[${r}] = [x]₁ + E`));
  }

  // A copy changed in one real cell and in its last padding cell: E still makes [x]₁ + E the commitment of that copy.
  for (const y of relinked.keys()) {
    for (const cell of [0, domain(y) - 1]) {
      const changed = { ...values, [y]: values[y].map((row, r) => (r === 0 ? Array.from({ length: domain(y) }, (_, c) => (row[c] ?? 0n) + (c === cell ? 5n : 0n)) : row)) };
      const messages = await relinkMessages(ctx, g, new Map([[y, relinked.get(y)!]]), changed, blinding);
      const derived = await withRelinkedRows(ctx, new Map([[y, relinked.get(y)!]]), { ...(await sources(values)), ...messages });
      assert.ok(derived[y][0].equals((await committed(changed[y], y, domain(y)))[0]), `${y}[0][${cell}] + 5`);
      assert.ok(!derived[y][0].equals(table[y][0]));
    }
  }
});

test('hashed sample MLP: an honest proof verifies; each E changed by a point, swapped with another, or the point at infinity is rejected', async () => {
  const { statement, proof } = await prove(hashedPk, hashedInputs);
  assert.equal((await verify(hashedPk.vk, statement, proof.bytes)).ok, true);
  const offsets = copyOffsets(hashed);
  assert.equal(offsets.length, [...relinkedRows(hashed.graph).keys()].reduce((n, y) => n + hashed.graph.tensors.find((t) => t.id === y)!.rows, 0));
  const at = (offset: number) => decodeG1s([proof.bytes.subarray(offset, offset + G1_BYTES)])[0];
  const replaced = (offset: number, encoding: Uint8Array) => {
    const bytes = Uint8Array.from(proof.bytes);
    bytes.set(encoding, offset);
    return bytes;
  };
  for (const [k, [id, r, offset]] of offsets.entries()) {
    const E = at(offset);
    const other = at(offsets[(k + 1) % offsets.length][2]);
    assert.ok(!E.equals(other), 'the rows send distinct differences');
    for (const [what, point] of [
      ['+ G', E.add(G1_ONE)],
      ['swapped', other],
      ['infinity', G1.ZERO],
    ] as const) {
      const v = await verify(hashedPk.vk, statement, replaced(offset, encodeG1(point)));
      assert.equal(v.ok, false, `${id}[${r}] ${what}`);
    }
  }
});

test('every E is absorbed before the first challenge: E + G changes the transcript state after the wire section', async () => {
  const { statement, proof } = await prove(hashedPk, hashedInputs);
  const state = async (bytes: Uint8Array) => (await readArgumentStatement(hashedPk.vk, statement, bytes)).base.fork('x').digest();
  const honest = await state(proof.bytes);
  for (const [id, r, offset] of copyOffsets(hashed)) {
    const bytes = Uint8Array.from(proof.bytes);
    const E = decodeG1s([bytes.subarray(offset, offset + G1_BYTES)])[0];
    bytes.set(encodeG1(E.add(G1_ONE)), offset);
    assert.notDeepEqual(await state(bytes), honest, `${id}[${r}]: E is absorbed`);
  }
});

test('a relink must copy a weight or an input into a wire that one relink block writes: anything else is a typed error', () => {
  const g = hashed.graph;
  const wire = g.tensors.find((t) => t.kind === 'wire' && !t.id.endsWith('~link'))!.id;
  const output = g.tensors.find((t) => t.kind === 'output')!.id;
  const rebound = (bind: (b: Record<string, string>) => Record<string, string>) => ({
    tensors: g.tensors,
    nodes: g.nodes.map((n) => (n.block instanceof RelinkBlock && n.bind.y === 't4~link' ? { block: n.block, bind: bind(n.bind) } : n)),
  });
  for (const [what, graph] of [
    ['x a wire', rebound((b) => ({ ...b, x: wire }))],
    ['x an output', rebound((b) => ({ ...b, x: output }))],
    ['y a weight', rebound((b) => ({ ...b, y: 't11' }))],
    ['y written twice', rebound((b) => ({ ...b, y: 't0~link' }))],
  ] as const)
    assert.throws(() => relinkedRows(graph), (e: Error) => e instanceof BlockGraphError && /relink: the copy/.test(e.message), what);
});

test('hashed sample MLP: a copy with one changed cell (a real one, a padding one), prover checks bypassed, is rejected', async () => {
  for (const y of relinkedRows(hashed.graph).keys()) {
    const t = hashed.graph.tensors.find((x) => x.id === y)!;
    await assertTamperRejected(hashedPk, hashedInputs, y, 0, 0, 1n);
    await assertTamperRejected(hashedPk, hashedInputs, y, t.rows - 1, t.domain - 1, 3n);
  }
});

/** `model` with every relink block's identity δ = 0 (and δ, which only it reads) removed: nothing ties a copy to its row. */
function unlinked<M extends { readonly graph: typeof hashed.graph }>(model: M): M {
  const nodes = model.graph.nodes.map((n) => {
    if (!(n.block instanceof RelinkBlock)) return n;
    // A relink block of its own class (the architecture codec refuses subclasses) whose spec lacks the identity.
    const block = new RelinkBlock(n.block.options);
    const spec: PolyIopSpec = { ...block.iopSpec(), oracles: [], identities: [] };
    Object.defineProperty(block, 'spec', { value: spec });
    return { block, bind: n.bind };
  });
  return { ...model, graph: { tensors: model.graph.tensors, nodes } };
}

/**
 * Proves `model` with the consistent forgery `forged` in place of the honest witness (prover checks bypassed) and
 * verifies it: rejected when the relink identity is there, accepted (the control) once it is removed, so what
 * rejects is the identity binding the copy to its row, not a block reading the copy.
 */
async function assertIdentityRejectsForgery(model: typeof hashed, inputs: typeof hashedInputs, forged: Record<string, readonly (readonly bigint[])[]>) {
  for (const m of [model, unlinked(model)]) {
    const pk = await keysFor(m);
    const { statement, proof } = await prove(pk, inputs, { allowInvalidWitness: true, tamper: (values) => void Object.assign(values, forged) });
    const v = await verify(pk.vk, statement, proof.bytes);
    if (m === model) assert.equal(v.ok, false, 'the relink identity rejects a copy that is not its row');
    else assert.equal(v.ok, true, 'control: without the identity the forged copy verifies');
  }
}

/** `model`'s witness with cell `cell` of row 0 of `copy` changed by one and every later tensor recomputed from it. */
function forgedCopy(model: typeof hashed, inputs: typeof hashedInputs, copy: string, cell: number) {
  const original = computeGraphWitness(model.graph, { ...inputs, ...model.weights });
  const changed = original[copy].map((row, r) => row.map((v, c) => (r === 0 && c === cell ? v + 1n : v)));
  return computeGraphWitness(model.graph, { ...inputs, ...model.weights, [copy]: changed });
}

test('a bias copy changed by one with every later tensor recomputed is rejected, and accepted once the relink identity is removed', async () => {
  const model = compile(sampleBytes(), [feeds]);
  const inputs = quantizeFeeds(model, feeds);
  const original = computeGraphWitness(model.graph, { ...inputs, ...model.weights });
  const outputs = model.graph.tensors.filter((t) => t.kind === 'output').map((t) => t.id);
  // The first cell of a bias copy whose change by one reaches the output (a ReLU or a rescale may absorb it).
  const forged = [...relinkedRows(model.graph).keys()]
    .flatMap((bias) => original[bias][0].map((_, cell) => forgedCopy(model, inputs, bias, cell)))
    .find((w) => outputs.some((id) => w[id].some((row, r) => row.some((v, c) => v !== original[id][r][c]))));
  assert.ok(forged, 'some bias cell reaches the output');
  await assertIdentityRejectsForgery(model, inputs, forged);
});

test("a hashed input's copy changed in cell 0 with every later tensor recomputed is rejected, and accepted once the relink identity is removed", async () => {
  // The statement binds the hashed input x; the forgery computes from another input (on this input the first ReLU
  // zeroes every cell, so the output is the same: the claim is still about an input other than the hashed one).
  const kind = new Map(hashed.graph.tensors.map((t) => [t.id, t.kind]));
  const copies = [...relinkedRows(hashed.graph)].filter(([, x]) => kind.get(x) === 'input').map(([y]) => y);
  assert.deepEqual(copies, ['t0~link']);
  const forged = forgedCopy(hashed, hashedInputs, copies[0], 0);
  assert.notDeepEqual(forged['t2'], computeGraphWitness(hashed.graph, { ...hashedInputs, ...hashed.weights })['t2'], 'the matrix product reads the forged copy');
  await assertIdentityRejectsForgery(hashed, hashedInputs, forged);
});
