/**
 * docs/soundness.md rule 8: pairing checks are combined with random, transcript-derived, non-unit weights.
 *
 * Two leaves of the linear block `c = a + b` whose residuals cancel: leaf 0 claims `c + e_0`, leaf 1 claims `c − e_0`
 * (e_0 the first unit vector), so `R_0 = −[e_0]₁` and `R_1 = +[e_0]₁`. Summed with weight 1 the two pairing equations
 * cancel and the batch check passes (control, computed here with the engine's multi-pairing); the direct batch
 * verifier and the folded verifier weight each equation with its own challenge and reject.
 *
 * Also covered elsewhere: `test/accumulation/adversarial.test.ts`, "unit weights accept two equations that cancel;
 * transcript weights reject them" (decider with explicit unit weights).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Transcript } from '../../src/transcript';
import { BlockfoldError, G1, G2, R, getDefaultEngine, pairingProductIsOne, pairingTerms, splitEquations, type ScaledPairing } from '../../src/index';
import { LinearBlock, leafLabel, proveLeaf, verifyInstances, type Tensors } from '../../blocks/index';
import { encodeFoldedProof, foldLeaves, verifyFolded, type LeafStatement } from '../../accumulation/index';
import { context, statementOf } from './helpers';

test('rule 8: two linear leaves whose residuals cancel pass with unit weights and fail with transcript weights', async () => {
  const ctx = await context(16, true);
  const block = new LinearBlock({ operation: { op: 'add' }, rows: 1, domain: 4 });
  const protocol = block.protocol(ctx);
  const base = Transcript.create('soundness/rule-8');
  const a = [[1n, 2n, 3n, 4n]];
  const b = [[10n, 20n, 30n, 40n]];
  const sum = [[11n, 22n, 33n, 44n]];
  const claims: Tensors[] = [
    { a, b, c: [sum[0].map((v, i) => (i === 0 ? v + 1n : v))] },
    { a, b, c: [sum[0].map((v, i) => (i === 0 ? v - 1n : v))] },
  ];
  const leaves = [];
  const statements: LeafStatement[] = [];
  for (const [i, t] of claims.entries()) {
    const statement = await statementOf(block, ctx, t);
    leaves.push((await proveLeaf(protocol, base.fork(leafLabel(protocol.foldKey, i)), ctx.engine, statement, block.prover(ctx, t))).instance);
    statements.push({ protocol, statement });
  }
  // Control: with weight 1 for every equation the two false claims pass together.
  const unit = leaves.flatMap((l) => splitEquations(l.protocol.equations).pairing.flatMap((eq) => pairingTerms(eq, l.values, 1n)));
  assert.equal(await pairingProductIsOne(ctx.engine, unit), true, 'unit weights accept the cancelling pair');
  // Each alone is false.
  for (const l of leaves) assert.equal((await verifyInstances(ctx.engine, [l], base)).ok, false);
  // Ours: random weights.
  assert.equal((await verifyInstances(ctx.engine, leaves, base)).ok, false, 'batch verifier (how verify decides a model argument)');
  const { proof } = await foldLeaves(ctx.engine, base, leaves);
  assert.equal((await verifyFolded(ctx.engine, base, statements, encodeFoldedProof(proof))).ok, false, 'folded path');
});

test('rule 8: the pairing batcher refuses one key for two different public points instead of merging them', async () => {
  // e(P, Q₁)·e(−P, Q₂) ≠ 1 for Q₁ ≠ Q₂. Grouped under one key as if Q₂ = Q₁, the batcher computed e(P − P, Q₁) = 1.
  const engine = getDefaultEngine();
  const p = G1.BASE.multiply(5n);
  const q1 = G2.BASE;
  const q2 = G2.BASE.multiply(2n);
  const terms: ScaledPairing[] = [
    { scalar: 1n, g1: p, g2: q1, g2Key: 'q' },
    { scalar: R - 1n, g1: p, g2: q2, g2Key: 'q' },
  ];
  await assert.rejects(pairingProductIsOne(engine, terms), (e) => e instanceof BlockfoldError && /key "q"/.test(e.message));
  const byP: ScaledPairing[] = [
    { scalar: 1n, g1: p, g2: q1, g1Key: 'p' },
    { scalar: R - 1n, g1: p.double(), g2: q1, g1Key: 'p' },
  ];
  await assert.rejects(pairingProductIsOne(engine, byP), (e) => e instanceof BlockfoldError && /key "p"/.test(e.message));
  // Distinct keys: the same terms are checked as they are, and the product is not one.
  assert.equal(await pairingProductIsOne(engine, [terms[0], { ...terms[1], g2Key: 'q2' }]), false);
  // Equal points under one key still group (same value, another object).
  assert.equal(await pairingProductIsOne(engine, [terms[0], { ...terms[1], g2: G2.BASE.multiply(1n) }]), true);
});
