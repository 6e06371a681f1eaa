import { test } from 'node:test';
import assert from 'node:assert/strict';
import { G2_ONE } from '../../src/curve';
import { EquationError, type PairingEquation } from '../../src/equations/equation';
import { Transcript } from '../../src/transcript';
import { descriptorFromWire, descriptorOf, descriptorsByFoldKey } from '../../accumulation/fold-key';
import { crossTermBytes } from '../../accumulation/cross-terms';
import { accumulatorBytes } from '../../accumulation/relaxed';
import { cubicProtocol, g2Protocol, kzgProtocol, ONE2, TAU2 } from './fixtures';

test('cells follow the public points: G1 per public Q, G2 per public P, GT for slot×slot, Fr per field equation', () => {
  const kzg = descriptorOf(kzgProtocol);
  assert.deepEqual(kzg.equations[0].cells.map((c) => c.kind), ['g1', 'g1']);
  assert.equal(kzg.equations[0].degree, 2);
  // C·μ, −y·μ·[1]₁, ζ·π, −π·μ: every monomial has exactly d = 2 factors.
  assert.deepEqual(kzg.equations[0].monomials.map((m) => m.factors.map((f) => f.kind).join(' ')), ['g1 mu', 'fr mu', 'fr g1', 'g1 mu']);
  // 4 slots (G1 32, Fr 32, Fr 32, G1 32) + μ + 2 G1 cells; one cross term per cell.
  assert.equal(accumulatorBytes(kzg), 4 * 32 + 32 + 2 * 32);
  assert.equal(crossTermBytes(kzg), 2 * 32);
  const g2 = descriptorOf(g2Protocol);
  assert.deepEqual(g2.equations.map((eq) => eq.cells.map((c) => c.kind)), [['gt', 'g1'], ['g2', 'g1']]);
  // Equation "product" has degree 3 (v·A·B): two cross terms per cell; "same-b" is linear: none.
  assert.equal(crossTermBytes(g2), 2 * (384 + 32));
  const cubic = descriptorOf(cubicProtocol);
  assert.deepEqual(cubic.equations.map((eq) => [eq.degree, eq.cells.map((c) => c.kind)]), [[3, ['fr']], [3, ['g1']]]);
});

test('the wire form rebuilds the same descriptor', () => {
  for (const p of [kzgProtocol, cubicProtocol, g2Protocol]) {
    const d = descriptorOf(p);
    const back = descriptorFromWire(d.wire);
    assert.equal(back.fingerprint, d.fingerprint);
    assert.deepEqual(back.equations.map((e) => e.cells.map((c) => c.kind)), d.equations.map((e) => e.cells.map((c) => c.kind)));
  }
});

test('leaves of one fold key must agree on public points, by key and by value', () => {
  const otherTau = { key: TAU2.key, point: G2_ONE.multiply(99n) };
  const renamed = { key: 'g2/tau-renamed', point: TAU2.point };
  const opening = kzgProtocol.equations[0] as PairingEquation;
  const withQ = (q: typeof TAU2) => ({ ...kzgProtocol, equations: [{ ...opening, terms: opening.terms.map((t, i) => (i === 3 ? { ...t, g2: q } : t)) }] });
  assert.throws(() => descriptorsByFoldKey([kzgProtocol, withQ(otherTau)]), EquationError);
  assert.throws(() => descriptorsByFoldKey([kzgProtocol, withQ(renamed)]), EquationError);
  assert.equal(descriptorsByFoldKey([kzgProtocol, withQ(TAU2)]).size, 1);
  // One key naming two points inside one protocol.
  assert.throws(() => descriptorOf(withQ({ key: ONE2.key, point: TAU2.point })), /names two different points/);
});

test('degrees above 3 and equations without slots are rejected', () => {
  const quartic = { ...cubicProtocol, maxDegree: 4 };
  assert.throws(() => descriptorOf(quartic), EquationError);
  const constant = { ...kzgProtocol, equations: [...kzgProtocol.equations, { kind: 'field' as const, name: 'const', terms: [{ coeff: 1n, scalars: [] }] }] };
  assert.throws(() => descriptorOf(constant), /degree 0/);
});

test('a transcript rebuilt from a fork state behaves as the fork', () => {
  const base = Transcript.create('x').absorbString('a', 'b');
  const fork = base.fork('fold/k/1/0');
  const copy = Transcript.fromState(fork.digest());
  fork.absorbString('m', 'n');
  copy.absorbString('m', 'n');
  assert.equal(copy.challengeFr('g'), fork.challengeFr('g'));
  assert.deepEqual(copy.fork('z').digest(), fork.fork('z').digest());
});
