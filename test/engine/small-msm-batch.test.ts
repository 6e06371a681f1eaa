/**
 * The small MSMs of an engine with workers (16 to 511 points, src/engine/wasm/engine.ts): asked together, they are
 * gathered and shared between the free workers (one task of several MSMs each, over the plain or GLV bases) and the
 * calling thread (over its window or shifted tables). Every result must be the calling-thread engine's point,
 * whichever thread computed it: full-width, short signed and repeated scalars, G1 and G2, offsets, a zero scalar,
 * one MSM asked alone, and a batch asked while the workers are busy (the calling thread then computes all of it).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { G1_ONE, G2_ONE, type G1Point, type G2Point } from '../../src/curve';
import { R } from '../../src/field';

const wasm = createWasmEngine();
const pooled = createWasmEngine({ workers: 2 });
after(async () => {
  await wasm.close();
  await pooled.close();
});

const scalar = (i: number, k: number) => (BigInt(i + 1) * 0xc2b2ae3d27d4eb4f165667b19e3779f9n + BigInt(k) * 0x9e3779b97f4a7c15n) % R;

/** The scalars of MSM k: full-width, short signed (±small), repeated values, or with zeros, by k mod 4. */
function scalarsOf(k: number, n: number): bigint[] {
  return Array.from({ length: n }, (_, i) => {
    if (k % 4 === 1) return i % 3 === 0 ? R - BigInt(i + k) : BigInt(i * 7 + k);
    if (k % 4 === 2) return scalar(i % 5, k);
    if (k % 4 === 3 && i % 4 === 0) return 0n;
    return scalar(i, k);
  });
}

test('small MSMs asked together on an engine with workers: each the calling-thread engine\'s point, in G1 and G2, at offsets', async () => {
  const n = 600;
  const points = await wasm.fixedBaseG1(G1_ONE, Array.from({ length: n }, (_, i) => BigInt(i * i + 11) * 0x9e3779b97f4a7c15n));
  const g2 = await wasm.fixedBaseG2(G2_ONE, Array.from({ length: 64 }, (_, i) => BigInt(i + 3) * 0xc2b2ae3d27d4eb4fn));
  const [b0, b2] = [await wasm.loadG1Bases(points), await pooled.loadG1Bases(points)];
  const [h0, h2] = [await wasm.loadG2Bases(g2), await pooled.loadG2Bases(g2)];
  const calls = Array.from({ length: 24 }, (_, k) => ({ n: 16 + ((k * 37) % 480), offset: (k * 13) % 80, k }));
  const want = await Promise.all(calls.map(({ n, offset, k }) => wasm.msmG1(b0, scalarsOf(k, n), offset)));
  const got = await Promise.all(calls.map(({ n, offset, k }) => pooled.msmG1(b2, scalarsOf(k, n), offset)));
  got.forEach((p: G1Point, k) => assert.ok(p.equals(want[k]), `MSM ${k}`));
  const g2Want = await Promise.all([0, 1, 2, 3].map((k) => wasm.msmG2(h0, scalarsOf(k, 40 + k), k)));
  const g2Got = await Promise.all([0, 1, 2, 3].map((k) => pooled.msmG2(h2, scalarsOf(k, 40 + k), k)));
  g2Got.forEach((p: G2Point, k) => assert.ok(p.equals(g2Want[k]), `G2 MSM ${k}`));
  // One asked alone, and a batch asked while a large MSM keeps the workers busy.
  assert.ok((await pooled.msmG1(b2, scalarsOf(0, 300))).equals(await wasm.msmG1(b0, scalarsOf(0, 300))));
  const busy = pooled.msmG1(b2, scalarsOf(0, n));
  const during = await Promise.all(calls.slice(0, 6).map(({ n, offset, k }) => pooled.msmG1(b2, scalarsOf(k, n), offset)));
  during.forEach((p, k) => assert.ok(p.equals(want[k]), `MSM ${k} while the workers are busy`));
  assert.ok((await busy).equals(await wasm.msmG1(b0, scalarsOf(0, n))));
});
