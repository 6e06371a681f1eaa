/**
 * Protocols defined for the accumulation tests, on a tiny SRS from a known τ (insecure by design).
 *
 * - `kzg`: one KZG opening, `e(C,[1]₂) − y·e([1]₁,[1]₂) + ζ·e(π,[1]₂) − e(π,[τ]₂) = 0` (degree 2, two G1 cells).
 * - `cubic`: a degree-3 field equation `x·x·x − y = 0` and a degree-3 pairing equation
 *   `u·x·e(W,[1]₂) − u·e(C,[1]₂) = 0` (the prover sends `W = C / x`).
 * - `g2`: a G2 message `B = [b]₂` and `D = [a·b]₁`: `v·e(A, B) − v·e(D, [1]₂) = 0` (a GT cell and a G1
 *   cell) and `e([1]₁, B) − e(Bg, [1]₂) = 0` with `Bg = [b]₁` (a G2 cell and a G1 cell).
 * - `pair`: two equations `e(X,[1]₂) − e(C,[1]₂) = 0` and `e(Y,[1]₂) − e(D,[1]₂) = 0`, for the
 *   unit-weight cheat `X = C + Δ`, `Y = D − Δ`.
 */
import { G1_ONE, G2_ONE, type G1Point, type G2Point } from '../../src/curve';
import { createReferenceEngine } from '../../src/engine/reference';
import type { Engine } from '../../src/engine/engine';
import type { SlotValues } from '../../src/equations/equation';
import { Fr, R } from '../../src/field';
import { Transcript } from '../../src/transcript';
import { leafLabel, proveLeaf, type LeafInstance } from '../../blocks/leaf';
import type { Protocol } from '../../blocks/protocol';
import type { MessageSource } from '../../blocks/schedule';
import type { LeafStatement } from '../../accumulation/leaves';

export const TAU = 0x1234567890abcdefn;
export const ONE1 = { key: 'g1/1', point: G1_ONE };
export const ONE2 = { key: 'g2/1', point: G2_ONE };
export const TAU2 = { key: 'g2/tau', point: G2_ONE.multiply(TAU) };
const neg = (x: bigint) => (R - (x % R)) % R;
const g1 = (k: bigint): G1Point => G1_ONE.multiplyUnsafe(((k % R) + R) % R);
const g2 = (k: bigint): G2Point => G2_ONE.multiplyUnsafe(((k % R) + R) % R);

export const kzgProtocol: Protocol = {
  foldKey: 'test-kzg',
  maxDegree: 2,
  slots: [
    { name: 'C', sort: 'g1', origin: 'statement' },
    { name: 'zeta', sort: 'fr', origin: 'challenge' },
    { name: 'y', sort: 'fr', origin: 'message' },
    { name: 'pi', sort: 'g1', origin: 'message' },
  ],
  equations: [
    {
      kind: 'pairing',
      name: 'opening',
      terms: [
        { coeff: 1n, scalars: [], g1: 'C', g2: ONE2 },
        { coeff: neg(1n), scalars: ['y'], g1: ONE1, g2: ONE2 },
        { coeff: 1n, scalars: ['zeta'], g1: 'pi', g2: ONE2 },
        { coeff: neg(1n), scalars: [], g1: 'pi', g2: TAU2 },
      ],
    },
  ],
  schedule: [
    { kind: 'statement', slots: ['C'] },
    { kind: 'challenge', slots: ['zeta'] },
    { kind: 'message', slots: ['y', 'pi'] },
  ],
};

/** Statement and honest prover of a KZG opening of the polynomial with coefficients `coeffs`. */
export function kzgWitness(coeffs: readonly bigint[]): { statement: SlotValues; prover: MessageSource } {
  const at = (x: bigint) => coeffs.reduceRight((acc, c) => (acc * x + c) % R, 0n);
  return {
    statement: { C: g1(at(TAU)) },
    prover: (_slots, v) => {
      const zeta = v.zeta as bigint;
      const y = at(zeta);
      return { y, pi: g1(Fr.div((at(TAU) - y + R) % R, (TAU - zeta + R) % R)) };
    },
  };
}

export const cubicProtocol: Protocol = {
  foldKey: 'test-cubic',
  maxDegree: 3,
  slots: [
    { name: 'x', sort: 'fr', origin: 'statement' },
    { name: 'C', sort: 'g1', origin: 'statement' },
    { name: 'y', sort: 'fr', origin: 'message' },
    { name: 'W', sort: 'g1', origin: 'message' },
    { name: 'u', sort: 'fr', origin: 'challenge' },
  ],
  equations: [
    { kind: 'field', name: 'cube', terms: [{ coeff: 1n, scalars: ['x', 'x', 'x'] }, { coeff: neg(1n), scalars: ['y'] }] },
    {
      kind: 'pairing',
      name: 'quotient',
      terms: [
        { coeff: 1n, scalars: ['u', 'x'], g1: 'W', g2: ONE2 },
        { coeff: neg(1n), scalars: ['u'], g1: 'C', g2: ONE2 },
      ],
    },
  ],
  schedule: [
    { kind: 'statement', slots: ['x', 'C'] },
    { kind: 'message', slots: ['y', 'W'] },
    { kind: 'challenge', slots: ['u'] },
  ],
};

export function cubicWitness(x: bigint, w: bigint): { statement: SlotValues; prover: MessageSource } {
  return { statement: { x, C: g1(w * x) }, prover: () => ({ y: (x * x * x) % R, W: g1(w) }) };
}

export const g2Protocol: Protocol = {
  foldKey: 'test-g2',
  maxDegree: 3,
  slots: [
    { name: 'A', sort: 'g1', origin: 'statement' },
    { name: 'B', sort: 'g2', origin: 'message' },
    { name: 'Bg', sort: 'g1', origin: 'message' },
    { name: 'D', sort: 'g1', origin: 'message' },
    { name: 'v', sort: 'fr', origin: 'challenge' },
  ],
  equations: [
    {
      kind: 'pairing',
      name: 'product',
      terms: [
        { coeff: 1n, scalars: ['v'], g1: 'A', g2: 'B' },
        { coeff: neg(1n), scalars: ['v'], g1: 'D', g2: ONE2 },
      ],
    },
    {
      kind: 'pairing',
      name: 'same-b',
      terms: [
        { coeff: 1n, scalars: [], g1: ONE1, g2: 'B' },
        { coeff: neg(1n), scalars: [], g1: 'Bg', g2: ONE2 },
      ],
    },
  ],
  schedule: [
    { kind: 'statement', slots: ['A'] },
    { kind: 'message', slots: ['B', 'Bg', 'D'] },
    { kind: 'challenge', slots: ['v'] },
  ],
};

export function g2Witness(a: bigint, b: bigint): { statement: SlotValues; prover: MessageSource } {
  return { statement: { A: g1(a) }, prover: () => ({ B: g2(b), Bg: g1(b), D: g1(a * b) }) };
}

export const pairProtocol: Protocol = {
  foldKey: 'test-pair',
  maxDegree: 1,
  slots: [
    { name: 'C', sort: 'g1', origin: 'statement' },
    { name: 'D', sort: 'g1', origin: 'statement' },
    { name: 'X', sort: 'g1', origin: 'message' },
    { name: 'Y', sort: 'g1', origin: 'message' },
  ],
  equations: [
    { kind: 'pairing', name: 'x', terms: [{ coeff: 1n, scalars: [], g1: 'X', g2: ONE2 }, { coeff: neg(1n), scalars: [], g1: 'C', g2: ONE2 }] },
    { kind: 'pairing', name: 'y', terms: [{ coeff: 1n, scalars: [], g1: 'Y', g2: ONE2 }, { coeff: neg(1n), scalars: [], g1: 'D', g2: ONE2 }] },
  ],
  schedule: [
    { kind: 'statement', slots: ['C', 'D'] },
    { kind: 'message', slots: ['X', 'Y'] },
  ],
};

/** The unit-weight cheat: `X = C + Δ`, `Y = D − Δ` (each equation off by ±Δ, their plain sum exact). */
export function pairCheat(c: bigint, d: bigint, delta: bigint): { statement: SlotValues; prover: MessageSource } {
  return { statement: { C: g1(c), D: g1(d) }, prover: () => ({ X: g1(c + delta), Y: g1(d - delta) }) };
}

/** A witness: statement and prover. */
export type Witness = { statement: SlotValues; prover: MessageSource };

/** A proven leaf with what the verifier knows of it. */
export interface TestLeaf {
  readonly instance: LeafInstance;
  readonly statement: LeafStatement;
}

/** Proves leaves in order; leaf `i` of a key on the fork `leaf/<key>/<i>` of `base`. */
export async function proveLeaves(engine: Engine, base: Transcript, specs: readonly { protocol: Protocol; witness: Witness }[]): Promise<TestLeaf[]> {
  const counts = new Map<string, number>();
  const out: TestLeaf[] = [];
  for (const { protocol, witness } of specs) {
    const i = counts.get(protocol.foldKey) ?? 0;
    counts.set(protocol.foldKey, i + 1);
    const { instance } = await proveLeaf(protocol, base.fork(leafLabel(protocol.foldKey, i)), engine, witness.statement, witness.prover);
    out.push({ instance, statement: { protocol, statement: witness.statement } });
  }
  return out;
}

export const newEngine = (): Engine => createReferenceEngine();
export const baseTranscript = (label = 'blockfold/test/accumulation'): Transcript => Transcript.create(label);

/** A mix of all three foldable test protocols: `n` KZG leaves, two cubic and two G2 leaves. */
export function mixedSpecs(n: number): { protocol: Protocol; witness: Witness }[] {
  const specs: { protocol: Protocol; witness: Witness }[] = [];
  for (let i = 0; i < n; i++) specs.push({ protocol: kzgProtocol, witness: kzgWitness([BigInt(i + 3), 5n, BigInt(7 * i + 1)]) });
  specs.push({ protocol: cubicProtocol, witness: cubicWitness(3n, 11n) }, { protocol: g2Protocol, witness: g2Witness(5n, 9n) });
  specs.push({ protocol: cubicProtocol, witness: cubicWitness(7n, 13n) }, { protocol: g2Protocol, witness: g2Witness(6n, 10n) });
  return specs;
}
