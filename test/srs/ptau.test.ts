import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { G1, G1_ONE } from '../../src/curve';
import { createReferenceEngine } from '../../src/engine/reference';
import { SrsError } from '../../src/errors';
import { bytesSource, PtauSection, readPtau, readPtauFile, readPtauLayout } from '../../src/srs/index';
import { ptauG1, ptauG2, twistPointOutsideSubgroup } from './points';

const engine = createReferenceEngine();
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/ptau/bn254-p4-${name}.ptau`, import.meta.url));
const PREPARED = new Uint8Array(readFileSync(fixture('prepared')));
const BEACON = new Uint8Array(readFileSync(fixture('beacon')));
const NEW = new Uint8Array(readFileSync(fixture('new')));

async function sectionOffset(bytes: Uint8Array, id: number): Promise<number> {
  const layout = await readPtauLayout(bytesSource(bytes));
  return layout.sections.find((s) => s.id === id)!.offset;
}

/** A copy of `bytes` changed by `edit`. */
function edited(bytes: Uint8Array, edit: (b: Uint8Array) => void): Uint8Array {
  const copy = bytes.slice();
  edit(copy);
  return copy;
}

async function rejects(bytes: Uint8Array, pattern: RegExp, options = {}): Promise<void> {
  await assert.rejects(readPtau(bytes, { engine, ...options }), (e: unknown) => {
    assert.ok(e instanceof SrsError, `expected SrsError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test('the prepared snarkjs fixture reads and validates, with Lagrange bases for every domain up to 2^power', async () => {
  const layout = await readPtauLayout(bytesSource(PREPARED));
  assert.equal(layout.power, 4);
  const srs = await readPtau(PREPARED, { engine });
  assert.equal(srs.power, 4);
  assert.equal(srs.insecure, false);
  assert.equal(srs.g1Count, 31);
  assert.equal(srs.g2Count, 16);
  assert.deepEqual(srs.lagrangeDomains, [1, 2, 4, 8, 16]);
  // Σ_i L_i(X) = 1 on every domain, independently of how the bases were validated.
  for (const n of srs.lagrangeDomains) {
    const sum = srs.lagrangeG1(n)!.reduce((a, p) => a.add(p), G1.ZERO);
    assert.ok(sum.equals(G1_ONE), `Σ L_i ≠ [1]₁ for n = ${n}`);
  }
  // Our snarkjs point encoding reproduces the file's bytes, so the Montgomery/LE reading is exact.
  const g1At = await sectionOffset(PREPARED, PtauSection.tauG1);
  const g2At = await sectionOffset(PREPARED, PtauSection.tauG2);
  assert.deepEqual(ptauG1(srs.g1Powers[7]), PREPARED.subarray(g1At + 7 * 64, g1At + 8 * 64));
  assert.deepEqual(ptauG2(srs.g2Powers[3]), PREPARED.subarray(g2At + 3 * 128, g2At + 4 * 128));
});

test('the unprepared file has the same powers (same digest) and no Lagrange bases', async () => {
  const prepared = await readPtau(PREPARED, { engine });
  const beacon = await readPtau(BEACON, { engine });
  assert.deepEqual(beacon.lagrangeDomains, []);
  assert.deepEqual(beacon.digest, prepared.digest);
  assert.equal(beacon.digest.length, 32);
});

test('reading a prefix from disk equals truncating the full SRS', async () => {
  const full = await readPtau(PREPARED, { engine });
  const part = await readPtauFile(fixture('prepared'), { engine, maxG1: 8, maxG2: 2 });
  assert.equal(part.g1Count, 8);
  assert.equal(part.g2Count, 2);
  assert.deepEqual(part.lagrangeDomains, [1, 2, 4, 8]);
  assert.deepEqual(part.digest, full.truncate(8, 2).digest);
  assert.notDeepEqual(part.digest, full.digest);
  assert.throws(() => part.truncate(9, 2), SrsError);
  assert.throws(() => part.truncate(8, 3), SrsError);
});

test('a file without any contribution (τ = 1) is rejected', async () => {
  await rejects(NEW, /τ = 1/);
});

test('asking for more powers than the file holds is an SrsError', async () => {
  await rejects(PREPARED, /holds 31 G1 and 16 G2 powers/, { maxG1: 32 });
  await rejects(PREPARED, /holds 31 G1 and 16 G2 powers/, { maxG2: 17 });
});

test('a truncated file is rejected', async () => {
  for (const cut of [0, 11, 40, PREPARED.length / 2, PREPARED.length - 1]) await rejects(PREPARED.subarray(0, cut), /truncated|not a \.ptau/);
  await rejects(new Uint8Array([...PREPARED, 0]), /trailing/);
});

test('a file for another curve (prime mismatch) is rejected', async () => {
  const header = await sectionOffset(PREPARED, PtauSection.header);
  await rejects(edited(PREPARED, (b) => (b[header + 4] ^= 1)), /wrong curve/);
  await rejects(edited(PREPARED, (b) => (b[header] = 48)), /wrong curve/);
});

test('a flipped byte in a G1 power, a G2 power or a Lagrange point is rejected', async () => {
  const g1 = await sectionOffset(PREPARED, PtauSection.tauG1);
  const g2 = await sectionOffset(PREPARED, PtauSection.tauG2);
  const lagrange = await sectionOffset(PREPARED, PtauSection.lagrangeG1);
  await rejects(edited(PREPARED, (b) => (b[g1 + 5 * 64 + 3] ^= 0x10)), /tauG1 point 5/);
  await rejects(edited(PREPARED, (b) => (b[g2 + 2 * 128 + 70] ^= 0x01)), /tauG2 point 2/);
  await rejects(edited(PREPARED, (b) => (b[lagrange + 7 * 64 + 40] ^= 0x80)), /lagrangeG1\[8\] point 0/);
  await rejects(edited(PREPARED, (b) => b.fill(0, g1 + 64, g1 + 128)), /point at infinity/);
  await rejects(edited(PREPARED, (b) => b.fill(0xff, g1 + 64, g1 + 96)), /not below q/);
});

test('a G2 point on the twist but outside the prime-order subgroup is rejected', async () => {
  const g2 = await sectionOffset(PREPARED, PtauSection.tauG2);
  const bad = twistPointOutsideSubgroup();
  await rejects(edited(PREPARED, (b) => b.set(ptauG2(bad), g2 + 5 * 128)), /tauG2 point 5: not in the prime-order subgroup/);
});

test('valid points that are not consecutive powers fail the pairing checks', async () => {
  const g1 = await sectionOffset(PREPARED, PtauSection.tauG1);
  const g2 = await sectionOffset(PREPARED, PtauSection.tauG2);
  const lagrange = await sectionOffset(PREPARED, PtauSection.lagrangeG1);
  const swap = (b: Uint8Array, at: number, size: number, i: number, j: number) => {
    const a = b.slice(at + i * size, at + (i + 1) * size);
    b.copyWithin(at + i * size, at + j * size, at + (j + 1) * size);
    b.set(a, at + j * size);
  };
  await rejects(edited(PREPARED, (b) => swap(b, g1, 64, 3, 4)), /G1 powers are not consecutive/);
  await rejects(edited(PREPARED, (b) => swap(b, g1, 64, 29, 30)), /G1 powers are not consecutive/);
  await rejects(edited(PREPARED, (b) => b.set(ptauG1(G1_ONE.multiply(5n)), g1 + 9 * 64)), /G1 powers are not consecutive/);
  await rejects(edited(PREPARED, (b) => swap(b, g2, 128, 2, 3)), /G2 powers are not consecutive/);
  // Domain 8 starts at point 7 of section 12.
  await rejects(edited(PREPARED, (b) => swap(b, lagrange, 64, 7 + 1, 7 + 2)), /Lagrange basis/);
  // Unread data does not matter: with maxG1 = 4 the swapped powers 29, 30 are never read.
  const srs = await readPtau(edited(PREPARED, (b) => swap(b, g1, 64, 29, 30)), { engine, maxG1: 4, maxG2: 2 });
  assert.equal(srs.g1Count, 4);
});

test('random byte corruption gives an SrsError or a valid SRS, never another exception', async () => {
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: PREPARED.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, mask) => {
      const bytes = edited(PREPARED, (b) => (b[at] ^= mask));
      try {
        const srs = await readPtau(bytes, { engine, maxG1: 8, maxG2: 2 });
        assert.equal(srs.g1Count, 8);
      } catch (e) {
        assert.ok(e instanceof SrsError, `byte ${at} ^ ${mask}: ${String(e)}`);
      }
    }),
    { numRuns: 40 },
  );
});
