/**
 * Why the relink block hides (`blocks/relink.ts`, module comment): proven alone, its two messages (the quotient and
 * the opening) are functions of the public commitments. With y = x, δ = Z_H·r, the quotient is r and
 * `Z_H(τ)·[t]₁ = Δ = Σ_i ρ^i·(C_y,i − C_x,i)`; the linearized combination is `L = v·(δ/Z_H(ζ) − t)` (δ is never
 * evaluated), so `W = [L(τ)/(τ − ζ)]₁ = (v·(Z_H(τ)/Z_H(ζ) − 1)/(τ − ζ))·[t]₁`: a simulator holding τ computes both
 * from the statement alone. Checked on a key with known τ over shapes rows ∈ {1, 2, 5} × domain ∈ {1, 2, 8}, x
 * blinded with 2 coefficients and y with 2 or 3; every proof verifies.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { commitRows, type BlockContext } from '../../blocks/index';
import { proveLeaf } from '../../blocks/leaf';
import { RelinkBlock } from '../../blocks/relink';
import { verifyInstances } from '../../blocks/batch-verify';
import type { G1Point } from '../../src/curve';
import { getDefaultEngine } from '../../src/index';
import { frSlot } from '../../src/equations/evaluate';
import { Fr } from '../../src/field';
import { commitVanishingMultiple } from '../../src/kzg/commit';
import { EvaluationDomain } from '../../src/poly/domain';
import { Transcript } from '../../src/transcript';
import { TAU, testKey } from '../kzg/helpers';

const engine = getDefaultEngine();
const kzg = await testKey(engine, 2 * 8 + 4);

test('the quotient and the opening of an honest relink are computed from the statement and τ alone', async () => {
  let shapes = 0;
  for (const domain of [1, 2, 8])
    for (const rows of [1, 2, 5]) {
      const block = new RelinkBlock({ rows, domain });
      const x = Array.from({ length: rows }, (_, i) => Array.from({ length: domain }, (_, c) => BigInt(7 * i - 3 * c + 1)));
      const bx = x.map((_, i) => [BigInt(100 + i), BigInt(200 + i)]);
      const by = x.map((_, i) => Array.from({ length: 2 + (i % 2) }, (_, j) => BigInt(1000 * (i + 1) + j + 1)));
      const blinded = async (b: readonly (readonly bigint[])[]): Promise<G1Point[]> =>
        Promise.all((await commitRows(kzg, x, domain)).map(async (p, i) => p.add(await commitVanishingMultiple(kzg, domain, b[i]))));
      const cx = await blinded(bx);
      const cy = await blinded(by);
      const ctx: BlockContext = { engine, kzg, statementBlinding: (slot) => (slot.startsWith('x/') ? bx : by)[Number(slot.split('/')[1])] };
      const protocol = block.protocol(ctx);
      const transcript = Transcript.create('relink-hiding');
      const { instance } = await proveLeaf(protocol, transcript.fork('leaf'), engine, block.statement({ x: cx, y: cy }), block.prover(ctx, { x, y: x }));
      assert.equal((await verifyInstances(engine, [instance], transcript)).ok, true, `${rows}×${domain} verifies`);

      const v = instance.values;
      const rho = frSlot(v, 'rho');
      const zeta = frSlot(v, 'zeta');
      const h = new EvaluationDomain(domain);
      const zTau = h.vanishingAt(TAU);
      let delta = cy[0].subtract(cx[0]);
      for (let i = 1; i < rows; i++) delta = delta.add(cy[i].subtract(cx[i]).multiply(Fr.pow(rho, BigInt(i))));
      const t = v['[quotient]'] as G1Point;
      assert.ok(t.multiply(zTau).equals(delta), `${rows}×${domain}: Z_H(τ)·[t]₁ = Σ ρ^i·(C_y,i − C_x,i)`);
      const w = Fr.div(Fr.mul(frSlot(v, 'v'), Fr.sub(Fr.div(zTau, h.vanishingAt(zeta)), 1n)), Fr.sub(TAU, zeta));
      assert.ok((v['open/W'] as G1Point).equals(t.multiply(w)), `${rows}×${domain}: W = (v·(Z_H(τ)/Z_H(ζ) − 1)/(τ − ζ))·[t]₁`);
      shapes++;
    }
  assert.equal(shapes, 9);
});
