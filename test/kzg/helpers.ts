/**
 * A small KZG key from a known τ (so commitments can be checked as `[f(τ)]₁`), and a checker that evaluates
 * equations on slot values the way a verifier does: random weights, one multi-pairing.
 */
import { randomBytes } from 'node:crypto';
import { G1_ONE, G2_ONE, type G1Point } from '../../src/curve';
import type { Engine } from '../../src/engine/engine';
import type { PairingEquation, SlotValues } from '../../src/equations/equation';
import { pairingTerms } from '../../src/equations/evaluate';
import { pairingProductIsOne } from '../../src/equations/pairing-check';
import { Fr, R } from '../../src/field';
import { createKzgKey, type KzgKey } from '../../src/kzg/key';
import { EvaluationDomain } from '../../src/poly/domain';

export const TAU = 0x2b3f_6a1c_9d4e_8f70_1234_5678_9abc_def0_0fed_cba9_8765_4321n % R;

/** `[τ^0]₁ … [τ^(count−1)]₁` for the known {@link TAU}. */
export async function tauPowers(engine: Engine, count: number): Promise<G1Point[]> {
  const exps = [1n];
  for (let i = 1; i < count; i++) exps.push(Fr.mul(exps[i - 1], TAU));
  return engine.fixedBaseG1(G1_ONE, exps);
}

/**
 * A key with powers `[τ^0]₁ … [τ^maxDegree]₁`, and with the Lagrange bases `[L_i(τ)]₁` of the domain sizes
 * listed in `lagrangeSizes`.
 */
export async function testKey(engine: Engine, maxDegree: number, lagrangeSizes: readonly number[] = []): Promise<KzgKey> {
  const g1Powers = await tauPowers(engine, maxDegree + 1);
  const lagrange = new Map<number, G1Point[]>();
  for (const n of lagrangeSizes) lagrange.set(n, await engine.fixedBaseG1(G1_ONE, new EvaluationDomain(n, engine).lagrangeAt(TAU)));
  return createKzgKey(engine, g1Powers, G2_ONE, G2_ONE.multiply(TAU), lagrange);
}

function randomNonZeroFr(): bigint {
  let x = 0n;
  for (const b of randomBytes(64)) x = (x << 8n) | BigInt(b);
  return (x % (R - 1n)) + 1n;
}

/** True when every equation holds on `values`, decided by one weighted multi-pairing (docs/soundness.md rule 8). */
export async function holds(engine: Engine, equations: readonly PairingEquation[], values: SlotValues): Promise<boolean> {
  const terms = equations.flatMap((eq) => pairingTerms(eq, values, randomNonZeroFr()));
  return pairingProductIsOne(engine, terms);
}
