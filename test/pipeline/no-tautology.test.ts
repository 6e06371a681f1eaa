/**
 * No identity of a bundled model's argument holds by construction: a check that cannot fail is a defect (a block's
 * linear check where the pipeline derives the rows it relates, a padding identity of a row with no padding). Each
 * identity of the model's spec (`modelSpecOf`, with its derived rows and the checks they make redundant left out) is
 * evaluated twice at a random point with every independent oracle a random polynomial, the derived oracles computed
 * from their relations (`PolyIopSpec.oracleRelations`), every challenge and public polynomial as the verifier has
 * them: an identity that is zero both times holds whatever the prover commits. The points are off H, so this finds
 * identities that vanish as polynomials; one that vanishes on H alone by its public polynomials' values there (say
 * `q·(1 − q)·f` for a boolean q) would need every point of H, which a reviewer ran once on these models and found none.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Factor, IdentityTerm, PolyIopSpec } from '../../blocks/poly-iop';
import type { SlotValues } from '../../src/equations/equation';
import { getDefaultEngine } from '../../src/engine/index';
import { Fr, randomFr } from '../../src/field';
import { compile } from '../../src/pipeline/compile';
import { derivedRows } from '../../src/pipeline/derived-rows';
import { blockContext } from '../../src/pipeline/keys';
import { modelSpecOf } from '../../src/pipeline/prove-verify';
import { EvaluationDomain } from '../../src/poly/domain';
import { testKzgKeyWithRange } from '../helpers/kzg';
import { fashionImages, modelFile } from '../model/fixtures';
import { compileSample } from '../soundness/pipeline';

/** The names of the identities of `spec` that vanish at two random points under two random assignments. */
function identitiesHoldingByConstruction(spec: PolyIopSpec): string[] {
  const engine = getDefaultEngine();
  const domains = new Map<number, EvaluationDomain>();
  const domain = (n: number) => domains.get(n) ?? domains.set(n, new EvaluationDomain(n, engine)).get(n)!;
  const publics = new Map(spec.publics.map((p) => [p.name, p]));
  const relations = new Map((spec.oracleRelations ?? []).map((r) => [r.oracle, r]));
  const trial = (): Map<string, bigint> => {
    const slots = new Proxy({} as Record<string, bigint>, { get: (t, k) => (typeof k === 'string' ? (t[k] ??= randomFr()) : undefined) }) as SlotValues;
    const polys = new Map(spec.oracles.map((o) => [o.name, [randomFr(), randomFr(), randomFr(), randomFr()]]));
    const oracleAt = (name: string, x: bigint): bigint => {
      const r = relations.get(name);
      if (!r) return polys.get(name)!.reduceRight((acc, a) => Fr.add(Fr.mul(acc, x), a), 0n);
      let y = r.terms.reduce((acc, t) => Fr.add(acc, Fr.mul(t.scalar, oracleAt(t.oracle, x))), 0n);
      for (const p of r.publics ?? []) y = Fr.add(y, Fr.mul(p.scalar, p.poly.evaluateAt(x, slots, domain(p.poly.domain))));
      return y;
    };
    const factorAt = (f: Factor, x: bigint, n: number): bigint => {
      // f(ω^s·X) at x, or f(X^k) at x (a composition, `blocks/poly-iop.ts`): f at x^k.
      if ('oracle' in f && f.power) return oracleAt(f.oracle, Fr.pow(x, BigInt(f.power)));
      if ('oracle' in f) return oracleAt(f.oracle, Fr.mul(x, Fr.pow(domain(n).omega, BigInt((((f.rotation ?? 0) % n) + n) % n))));
      if ('public' in f) return publics.get(f.public)!.evaluateAt(x, slots, domain(publics.get(f.public)!.domain));
      if ('scalar' in f) return slots[f.scalar] as bigint;
      return f.sum.reduce((acc, t) => Fr.add(acc, termAt(t, x, n)), 0n);
    };
    const termAt = (t: IdentityTerm, x: bigint, n: number): bigint => t.factors.reduce((acc, f) => Fr.mul(acc, factorAt(f, x, n)), t.coeff);
    const x = randomFr();
    return new Map(spec.identities.map((id) => [id.name, id.terms.reduce((acc, t) => Fr.add(acc, termAt(t, x, id.domain)), 0n)]));
  };
  const [a, b] = [trial(), trial()];
  return [...a].filter(([name, v]) => v === 0n && b.get(name) === 0n).map(([name]) => name);
}

async function specOf(model: ReturnType<typeof compile>): Promise<PolyIopSpec> {
  const kzg = await testKzgKeyWithRange(model.srsG1Powers, 1 << 16);
  return modelSpecOf('no-tautology', derivedRows(model.graph), blockContext(kzg, model.graph));
}

test('no identity of the bundled models’ arguments holds by construction (random oracles, derived rows as the verifier derives them)', async () => {
  const fashion = (name: string) => compile(readFileSync(modelFile(`${name}.onnx`)), fashionImages().images.slice(0, 8).map((input) => ({ input })));
  for (const [name, model] of [['sample MLP', compileSample()], ['Fashion MLP', fashion('fashion-mlp')], ['Fashion CNN', fashion('fashion-cnn')], ['attention', fashion('fashion-attn')]] as const) {
    const spec = await specOf(model);
    assert.ok(spec.identities.length > 0);
    assert.deepEqual(identitiesHoldingByConstruction(spec), [], `${name}: identities that cannot fail`);
  }
});
