/**
 * Derived evaluations (`blocks/poly-iop.ts`, "Derived evaluations"; `PolyIopSpec.oracleRelations`): a row whose
 * commitment is a combination of others' (a derived wire row) is not evaluated from the proof when the others are
 * evaluated at ζ; the verifier computes its value. The tests: the value leaves the proof (one message fewer) and an
 * honest proof verifies; the verifier really reads the computed value (a false relation rejects the honest proof);
 * every message element tampered is rejected; relations that cannot be used are refused or left out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Transcript } from '../../src/transcript';
import type { SlotValues } from '../../src/equations/equation';
import type { G1Point } from '../../src/curve';
import { BlockfoldError } from '../../src/errors';
import { proveLeaf } from '../../blocks/leaf';
import { commitRows, LookupBlock, rangeTable } from '../../blocks/index';
import { linearPublicSelector } from '../../blocks/linear-relation';
import { modelArgumentProtocol, modelArgumentProver, modelArgumentSpec, modelArgumentStatement, type DerivedRowRelation } from '../../blocks/model-argument';
import type { Protocol } from '../../blocks/protocol';
import { replayAndVerify } from '../helpers/replay-verify';
import { context } from '../soundness/helpers';

// c = a + b + 5 on the three real cells (0 on the padding): `c = a + b + 5·q`, q the selector of the real cells.
const a = [1n, 2n, 3n];
const b = [4n, 5n, 6n];
const c = a.map((x, i) => x + b[i] + 5n);
const block = new LookupBlock(
  rangeTable(0n, 16n),
  ['a', 'b', 'c'].map((input) => ({ input, rows: 1, domain: 4, length: 3 })),
);
const tensors = { a: [a], b: [b], c: [c] };
const q = linearPublicSelector({ constant: 5n, domain: 4, length: 3 })!;
const relation = (scalar = 1n): DerivedRowRelation => ({ row: 'c[0]', terms: [{ row: 'a[0]', scalar: 1n }, { row: 'b[0]', scalar }], publics: [{ poly: q, scalar: 5n }] });
const nameOf = (_: number, slot: string) => slot;

async function argument(relations: readonly DerivedRowRelation[]) {
  const ctx = await context();
  const spec = modelArgumentSpec('derived-evaluations', [block], ctx, nameOf, relations);
  const protocol = modelArgumentProtocol(spec, ctx);
  const commitments: Record<string, G1Point[]> = {};
  for (const t of block.tensors) commitments[t.name] = await commitRows(ctx.kzg, tensors[t.name as 'a'], t.domain);
  const statement = modelArgumentStatement([block.statement(commitments)]);
  return { ctx, spec, protocol, statement };
}

async function proveWith(relations: readonly DerivedRowRelation[]) {
  const { ctx, spec, protocol, statement } = await argument(relations);
  const { messages } = await proveLeaf(protocol, Transcript.create('derived-evaluations'), ctx.engine, statement, modelArgumentProver(spec, [block], ctx, [tensors]));
  return { ctx, protocol, statement, messages };
}

async function verdict(protocol: Protocol, statement: SlotValues, messages: Uint8Array): Promise<boolean> {
  return (await replayAndVerify(protocol, 'derived-evaluations', (await context()).engine, statement, messages)).ok;
}

const messageSlots = (p: Protocol) => p.slots.filter((d) => d.origin === 'message').map((d) => d.name);

test('a row whose relation terms are evaluated at ζ: its value is computed, not sent, and the proof verifies', async () => {
  const without = await proveWith([]);
  const withRelation = await proveWith([relation()]);
  const derived = withRelation.protocol.slots.filter((d) => d.origin === 'derived' && d.name.endsWith('c[0]@zeta')).map((d) => d.name);
  assert.equal(derived.length, 1, 'c(ζ) is a derived slot');
  assert.ok(messageSlots(without.protocol).includes(derived[0]), 'without the relation c(ζ) is a message');
  assert.equal(messageSlots(withRelation.protocol).length, messageSlots(without.protocol).length - 1);
  assert.equal(withRelation.messages.length, without.messages.length - 32, 'one field element fewer');
  assert.ok(await verdict(without.protocol, without.statement, without.messages));
  assert.ok(await verdict(withRelation.protocol, withRelation.statement, withRelation.messages));
});

test('the verifier reads the computed value: a false relation (c = a + 2b + 5q) rejects the honest proof', async () => {
  const honest = await proveWith([relation()]);
  const { protocol } = await argument([relation(2n)]);
  assert.equal(await verdict(protocol, honest.statement, honest.messages), false);
  // And the public part counts: without it the value is off by 5·q(ζ).
  const { protocol: noPublic } = await argument([{ ...relation(), publics: undefined }]);
  assert.equal(await verdict(noPublic, honest.statement, honest.messages), false);
});

test('every byte of the proof with a derived evaluation tampered is rejected', async () => {
  const { protocol, statement, messages } = await proveWith([relation()]);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: messages.length - 1 }), fc.integer({ min: 1, max: 255 }), async (i, x) => {
      const bad = Uint8Array.from(messages);
      bad[i] ^= x;
      assert.equal(await verdict(protocol, statement, bad), false, `byte ${i}`);
    }),
    { numRuns: 40 },
  );
});

test('relations that cannot be used: an undeclared row is left out, an oracle of a later relation is refused', async () => {
  // A relation naming a row no oracle opens: nothing derived.
  const { protocol } = await argument([{ row: 'c[0]', terms: [{ row: 'z[0]', scalar: 1n }] }]);
  assert.ok(!protocol.slots.some((d) => d.origin === 'derived' && d.name.endsWith('c[0]@zeta')));
  // b computed from c, then c from b: the first reads the oracle of a later relation (values are computed in order).
  await assert.rejects(
    () => argument([{ row: 'b[0]', terms: [{ row: 'c[0]', scalar: 1n }] }, relation()]),
    (e: unknown) => e instanceof BlockfoldError && /later relation/.test(e.message),
  );
  // A relation of a row on itself.
  await assert.rejects(
    () => argument([{ row: 'c[0]', terms: [{ row: 'c[0]', scalar: 1n }] }]),
    (e: unknown) => e instanceof BlockfoldError && /reads itself/.test(e.message),
  );
});
