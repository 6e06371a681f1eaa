import { test } from 'node:test';
import assert from 'node:assert/strict';
import { G1, G1_ONE, G2_ONE } from '../../src/curve';
import { Fr } from '../../src/field';
import { EvaluationDomain } from '../../src/poly/domain';
import { rootOfUnity } from '../../src/poly/roots';
import { createReferenceEngine } from '../../src/engine/reference';
import { SrsError } from '../../src/errors';
import { createInsecureDevSrs, DEV_SRS_WARNING, devSrsTau, Srs, validateSrsStructure } from '../../src/srs/index';

const engine = createReferenceEngine();

test('the dev SRS has the structure of a ceremony file and passes the consistency checks', async () => {
  const srs = await createInsecureDevSrs(3, { engine, seed: 'structure', lagrange: 8 });
  assert.equal(srs.power, 3);
  assert.equal(srs.g1Count, 15);
  assert.equal(srs.g2Count, 8);
  assert.equal(srs.declaredG1Count, 15);
  assert.equal(srs.declaredG2Count, 8);
  assert.deepEqual(srs.lagrangeDomains, [1, 2, 4, 8]);
  await validateSrsStructure(srs, engine);
  const tau = devSrsTau('structure');
  assert.ok(srs.g1Powers[2].equals(G1_ONE.multiply((tau * tau) % G1.Fn.ORDER)));
  assert.ok(srs.g2Powers[1].equals(G2_ONE.multiply(tau)));
});

test('the dev SRS is labelled insecure in its name, flag and warning', async () => {
  const srs = await createInsecureDevSrs(2, { engine });
  assert.equal(srs.insecure, true);
  assert.match(srs.name, /INSECURE/);
  assert.equal(srs.warning, DEV_SRS_WARNING);
  assert.match(srs.warning!, /INSECURE/);
  assert.equal(srs.truncate(3, 2).insecure, true);
});

test('the dev SRS is deterministic in its seed', async () => {
  const a = await createInsecureDevSrs(3, { engine, seed: 'one' });
  const b = await createInsecureDevSrs(3, { engine, seed: 'one' });
  const c = await createInsecureDevSrs(3, { engine, seed: 'two' });
  const d = await createInsecureDevSrs(3, { engine, seed: new TextEncoder().encode('one') });
  assert.deepEqual(a.digest, b.digest);
  assert.deepEqual(a.digest, d.digest);
  assert.notDeepEqual(a.digest, c.digest);
  assert.notEqual(devSrsTau('one'), devSrsTau('two'));
});

test('materializing fewer G2 powers keeps the declared structure and equals a truncation', async () => {
  const full = await createInsecureDevSrs(3, { engine, seed: 's' });
  const light = await createInsecureDevSrs(3, { engine, seed: 's', g2Powers: 2 });
  assert.equal(light.g2Count, 2);
  assert.equal(light.declaredG2Count, 8);
  assert.deepEqual(light.digest, full.truncate(15, 2).digest);
  await validateSrsStructure(light, engine);
});

test('a tampered dev SRS fails validation', async () => {
  const srs = await createInsecureDevSrs(3, { engine, seed: 't', lagrange: 4 });
  const g1 = srs.g1Powers.slice();
  g1[5] = g1[5].double();
  await assert.rejects(validateSrsStructure(new Srs({ ...parts(srs), g1Powers: g1 }), engine), /G1 powers are not consecutive/);
  const g2 = srs.g2Powers.slice();
  [g2[6], g2[7]] = [g2[7], g2[6]];
  await assert.rejects(validateSrsStructure(new Srs({ ...parts(srs), g2Powers: g2 }), engine), /G2 powers are not consecutive/);
  const basis = srs.lagrangeG1(4)!.slice().reverse();
  const lagrange = new Map([[4, basis]]);
  await assert.rejects(validateSrsStructure(new Srs({ ...parts(srs), lagrangeG1: lagrange }), engine), /Lagrange basis/);
});

test('an SRS whose τ is a root of unity of a power-of-two order (consecutive powers of it in both groups) fails validation', async () => {
  const omega = rootOfUnity(4);
  const g1Powers = Array.from({ length: 7 }, (_, i) => G1_ONE.multiply(Fr.pow(omega, BigInt(i))));
  const g2Powers = [G2_ONE, G2_ONE.multiply(omega)];
  await assert.rejects(validateSrsStructure(new Srs({ g1Powers, g2Powers, power: 2, insecure: false, name: 'ω₄' }), engine), /τ\^4 = 1: τ is a root of unity/);
});

test('the dev SRS computes the Lagrange basis of a domain on first use, equal to the held one, within its bounds', async () => {
  const held = await createInsecureDevSrs(3, { engine, seed: 'lazy', lagrange: 8 });
  const lazy = await createInsecureDevSrs(3, { engine, seed: 'lazy' });
  assert.deepEqual(lazy.lagrangeDomains, []);
  for (const n of [1, 2, 4, 8]) {
    const want = held.lagrangeG1(n)!;
    const got = (await lazy.lagrangeBasis(n))!;
    assert.equal(got.length, n);
    got.forEach((p, i) => assert.ok(p.equals(want[i])));
    assert.equal(await lazy.lagrangeBasis(n), got, 'computed once, then kept');
    assert.equal(await lazy.truncate(n, 2).lagrangeBasis(n), got, 'a truncation shares what was computed');
  }
  // Beyond 2^power, beyond the G1 powers held, or not a power of two: no basis.
  assert.equal(await lazy.lagrangeBasis(16), undefined);
  assert.equal(await lazy.truncate(4, 2).lagrangeBasis(8), undefined);
  assert.equal(await lazy.lagrangeBasis(6), undefined);
  assert.equal(await lazy.lagrangeBasis(0), undefined);
});

test('the dev SRS computes the stacked bases [τ^j·L_i(τ^k)]₁ from τ, kept, shared with truncations, refused beyond its powers', async () => {
  const srs = await createInsecureDevSrs(4, { engine, seed: 'stacked' });
  const tau = devSrsTau('stacked');
  for (const [n, k] of [[1, 2], [2, 2], [4, 3], [4, 2], [8, 1]] as const) {
    const lagrange = new EvaluationDomain(n, engine).lagrangeAt(Fr.pow(tau, BigInt(k)));
    for (let j = 0; j < k; j++) {
      const got = (await srs.stackBasis(n, k, j))!;
      assert.equal(got.length, n);
      got.forEach((p, i) => assert.ok(p.equals(G1_ONE.multiply(Fr.mul(Fr.pow(tau, BigInt(j)), lagrange[i]))), `n = ${n}, k = ${k}, j = ${j}, i = ${i}`));
      assert.equal(await srs.stackBasis(n, k, j), got, 'computed once, then kept');
      assert.equal(await srs.truncate(j + k * (n - 1) + 1, 2).stackBasis(n, k, j), got, 'a truncation holding its powers shares it');
      await assert.rejects(srs.truncate(j + k * (n - 1), 2).stackBasis(n, k, j), SrsError);
    }
  }
  // k = 1, j = 0 is the Lagrange basis.
  const lagrange = (await srs.lagrangeBasis(8))!;
  (await srs.stackBasis(8, 1, 0))!.forEach((p, i) => assert.ok(p.equals(lagrange[i])));
  for (const [n, k, j] of [[3, 2, 0], [4, 2, 2], [4, 0, 0], [4, 2, -1], [16, 2, 1]]) await assert.rejects(srs.stackBasis(n, k, j), SrsError, `n = ${n}, k = ${k}, j = ${j}`);
  // A ceremony's SRS (no τ) has none.
  assert.equal(await new Srs(parts(srs)).stackBasis(4, 2, 1), undefined);
});

test('invalid dev SRS sizes are SrsErrors', async () => {
  await assert.rejects(createInsecureDevSrs(0, { engine }), SrsError);
  await assert.rejects(createInsecureDevSrs(3, { engine, g1Powers: 16 }), SrsError);
  await assert.rejects(createInsecureDevSrs(3, { engine, g2Powers: 9 }), SrsError);
  await assert.rejects(createInsecureDevSrs(3, { engine, g2Powers: 1 }), SrsError);
  await assert.rejects(createInsecureDevSrs(3, { engine, lagrange: 16 }), SrsError);
});

function parts(srs: Srs) {
  return {
    g1Powers: srs.g1Powers,
    g2Powers: srs.g2Powers,
    power: srs.power,
    insecure: srs.insecure,
    name: srs.name,
    lagrangeG1: new Map(srs.lagrangeDomains.map((n) => [n, srs.lagrangeG1(n)!])),
  };
}
