/**
 * The linearized tail of the poly-IOP compiler (docs/protocol.md, "Linearization"): which oracles go unevaluated at
 * ζ (a property over random specs), and a small spec proven through it: the honest proof verifies, every element
 * changed and every wrong witness cell is rejected, including a cell of a linearized oracle; and linear forms, alone,
 * squared and in a bundle whose terms the verifier multiplies by prefix and suffix products; a ζ in a domain of the
 * argument (forced through the transcript) refused by prover and verifier.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { commitRows, polyIopProtocol, polyIopProver, proveBlock, type Block, type BlockContext, type PolyIopProver, type PolyIopSpec } from '../../blocks/index';
import { at, linearForm, productsByOmission, shiftedAt, term, type Factor, type Identity, type IdentityTerm, type SumClaim } from '../../blocks/poly-iop';
import { sumClaim } from '../../blocks/running-sum';
import { EvaluationDomain } from '../../src/poly/domain';
import { Fr, frFromSigned } from '../../src/field';
import type { SlotValues } from '../../src/equations/equation';
import type { Protocol } from '../../blocks/protocol';
import { context, proveAndVerify, statementOf } from '../soundness/helpers';
import { leafLabel, runSchedule, type MessageSource } from '../../blocks/index';
import { MaxConstantBlock } from '../../blocks/max-constant';
import { BlockfoldError } from '../../src/errors';
import { Transcript } from '../../src/transcript';
import { acceptedElementChanges } from '../helpers/tampered-elements';

const N = 4;

/** Those of the oracles `o0 … o(k−1)` on H_4 that `identities` read (an unread oracle is refused), each committed as a statement slot. */
function specOf(k: number, identities: Identity[]): PolyIopSpec {
  const reads = (f: Factor, o: string): boolean => ('sum' in f ? f.sum.some((u: IdentityTerm) => u.factors.some((g) => reads(g, o))) : 'oracle' in f && f.oracle === o);
  const read = (o: string) => identities.some((id) => id.terms.some((t) => t.factors.some((f) => reads(f, o))));
  const names = Array.from({ length: k }, (_, i) => `o${i}`).filter(read);
  return {
    foldKey: 'linearization',
    statement: names.map((o) => ({ name: o.toUpperCase(), sort: 'g1' as const, origin: 'statement' as const })),
    slots: [],
    rounds: [],
    oracles: names.map((o) => ({ name: o, domain: N, commitment: o.toUpperCase() })),
    publics: [],
    identities,
  };
}

/** The oracles the compiled protocol evaluates at ζ (message slots `o@zeta`). */
function evaluatedAtZeta(protocol: Protocol): Set<string> {
  return new Set(protocol.slots.filter((d) => d.origin === 'message' && d.name.endsWith('@zeta')).map((d) => d.name.slice(0, -'@zeta'.length)));
}

test('linearized oracles: no term reads two of them (or one twice) unshifted, every other oracle could not join, and quotients are never evaluated', async () => {
  const ctx = await context(64);
  const factor = (k: number) => fc.record({ oracle: fc.integer({ min: 0, max: k - 1 }), shifted: fc.boolean() });
  const specs = fc.integer({ min: 1, max: 6 }).chain((k) =>
    fc.array(fc.array(fc.array(factor(k), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }).map((ids) => ({ k, ids })),
  );
  fc.assert(
    fc.property(specs, ({ k, ids }) => {
      const identities: Identity[] = ids.map((terms, j) => ({
        name: `id${j}`,
        domain: N,
        terms: terms.map((fs) => term(1, ...fs.map((f) => (f.shifted ? shiftedAt(`o${f.oracle}`) : at(`o${f.oracle}`))))),
      }));
      const spec = specOf(k, identities);
      const protocol = polyIopProtocol(spec, ctx.kzg, ctx.engine);
      const evaluated = evaluatedAtZeta(protocol);
      assert.ok(!evaluated.has('quotient'), 'the quotient is evaluated');
      const linear = spec.oracles.map((o) => o.name).filter((o) => !evaluated.has(o));
      const unshifted = (fs: (typeof ids)[number][number]) => fs.filter((f) => !f.shifted).map((f) => `o${f.oracle}`);
      for (const fs of ids.flat()) assert.ok(unshifted(fs).filter((o) => linear.includes(o)).length <= 1, `a term reads two linearized factors: ${unshifted(fs)}`);
      // Maximal: an evaluated oracle is squared in some term or shares a term with a linearized one.
      for (const o of evaluated) {
        const blocked = ids.flat().some((fs) => {
          const u = unshifted(fs);
          return u.includes(o) && (u.filter((x) => x === o).length > 1 || u.some((x) => x !== o && linear.includes(x)));
        });
        assert.ok(blocked, `${o} is evaluated but could have been linearized`);
      }
      // A function of the spec: compiling it again gives the same protocol slots.
      assert.deepEqual(polyIopProtocol(spec, ctx.kzg, ctx.engine).slots, protocol.slots);
    }),
    { numRuns: 200, seed: 5 },
  );
});

/** `c = a·b` and `d = a·a` on H_4, with `a` read shifted too (`e = a(ω·X)`): a is squared, so only a is evaluated. */
const identities: Identity[] = [
  { name: 'product', domain: N, terms: [term(1, at('o0'), at('o1')), term(-1, at('o2'))] },
  { name: 'square', domain: N, terms: [term(1, at('o0'), at('o0')), term(-1, at('o3'))] },
  { name: 'shift', domain: N, terms: [term(1, shiftedAt('o0')), term(-1, at('o4'))] },
];

function witness(a: readonly bigint[], b: readonly bigint[]): bigint[][] {
  return [a, b, a.map((x, i) => x * b[i]), a.map((x) => x * x), a.map((_, i) => a[(i + 1) % N])].map((r) => [...r]);
}

/** `spec` (the oracles `o<i>` committed as `O<i>`) compiled, and proven on `rows`. */
async function prove(ctx: BlockContext, rows: readonly (readonly bigint[])[], spec = specOf(5, identities)) {
  const protocol = polyIopProtocol(spec, ctx.kzg, ctx.engine);
  const statement: Record<string, SlotValues[string]> = {};
  for (const [i, row] of rows.entries()) statement[`O${i}`] = (await commitRows(ctx.kzg, [row], N))[0];
  const domain = new EvaluationDomain(N, ctx.engine);
  const block: PolyIopProver = {
    round: () => ({}),
    polynomials: () => Object.fromEntries(rows.map((row, i) => [`o${i}`, domain.ifft(row.map((x) => frFromSigned(x)))])),
  };
  const source = polyIopProver(spec, ctx, block);
  return { protocol, statement, source };
}

test('a spec proven through the linearized tail: only the squared oracle is evaluated; honest verifies, changed elements and cells are rejected', async () => {
  const ctx = await context(64);
  const rows = witness([3n, -1n, 4n, 2n], [5n, 0n, -2n, 7n]);
  const { protocol, statement, source } = await prove(ctx, rows);
  assert.deepEqual([...evaluatedAtZeta(protocol)], ['o0']);
  assert.deepEqual(await proveAndVerify(ctx, protocol, statement, source), { ok: true });
  const carrier = { prover: () => source } as unknown as Block;
  const bytes = await proveBlock(carrier, ctx, protocol, statement, {});
  // [t]₁, a(ζ), a(ω·ζ), W, W': no value of b, c, d, e or the quotient t at ζ.
  assert.equal(bytes.length, 5 * 32);
  assert.deepEqual(await acceptedElementChanges(ctx, protocol, statement, bytes), []);

  const cheating = await context(64, true);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: N - 1 }), fc.bigInt({ min: 1n, max: 50n }), async (row, cell, change) => {
      const bad = rows.map((r) => r.slice());
      bad[row][cell] += change;
      const p = await prove(cheating, bad);
      assert.equal((await proveAndVerify(cheating, p.protocol, p.statement, p.source)).ok, false, `o${row}[${cell}] + ${change}`);
    }),
    { numRuns: 12, seed: 9 },
  );
});

/**
 * The honest rows prove and verify, no changed proof element is accepted, and one changed cell of any row (the
 * prover's checks bypassed) is rejected.
 */
async function honestVerifiesAndChangesAreRejected(
  ctx: BlockContext,
  protocol: ReturnType<typeof polyIopProtocol>,
  rows: bigint[][],
  proveRows: (c: BlockContext, r: bigint[][]) => ReturnType<typeof prove>,
  runs: { numRuns: number; seed: number },
): Promise<void> {
  const honest = await proveRows(ctx, rows);
  assert.deepEqual(await proveAndVerify(ctx, protocol, honest.statement, honest.source), { ok: true });
  const carrier = { prover: () => honest.source } as unknown as Block;
  const bytes = await proveBlock(carrier, ctx, protocol, honest.statement, {});
  assert.deepEqual(await acceptedElementChanges(ctx, protocol, honest.statement, bytes), []);
  const cheating = await context(64, true);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: rows.length - 1 }), fc.integer({ min: 0, max: N - 1 }), fc.bigInt({ min: 1n, max: 50n }), async (row, cell, change) => {
      const bad = rows.map((r) => r.slice());
      bad[row][cell] += change;
      const p = await proveRows(cheating, bad);
      assert.equal((await proveAndVerify(cheating, protocol, p.statement, p.source)).ok, false, `o${row}[${cell}] + ${change}`);
    }),
    runs,
  );
}

test('linear forms: `(3 − o1)·(o0 + 2·o1) = o2` as a product of two forms verifies, its oracles are evaluated (never linearized), and changed cells or elements are rejected', async () => {
  const ctx = await context(64);
  const forms: Identity[] = [{ name: 'forms', domain: N, terms: [term(1, linearForm(term(3), term(-1, at('o1'))), linearForm(term(1, at('o0')), term(2, at('o1')))), term(-1, at('o2'))] }];
  const spec = specOf(3, forms);
  const protocol = polyIopProtocol(spec, ctx.kzg, ctx.engine);
  assert.deepEqual([...evaluatedAtZeta(protocol)].sort(), ['o0', 'o1'], 'the forms\' oracles are evaluated; o2 is linearized');
  const a = [3n, -1n, 4n, 2n];
  const b = [5n, 0n, -2n, 7n];
  const rows = [a, b, a.map((x, i) => (3n - b[i]) * (x + 2n * b[i]))];
  await honestVerifiesAndChangesAreRejected(ctx, protocol, rows, (c, r) => prove(c, r, spec), { numRuns: 8, seed: 3 });
});

test('a bundle of five linear forms, `o5·Π_k (10 − o_k) = Σ_k Π_(k′≠k) (10 − o_k′)` (every term all forms or all but one, multiplied by prefix and suffix products), and a form squared: honest verifies, changed elements and cells are rejected', async () => {
  const ctx = await context(64);
  const K = 5;
  const f = Array.from({ length: K }, (_, k) => linearForm(term(10), term(-1, at(`o${k}`))));
  const allBut = (k: number) => f.filter((_, j) => j !== k);
  const bundle: Identity[] = [
    { name: 'bundle', domain: N, terms: [term(1, at(`o${K}`), ...f), ...f.map((_, k) => term(-1, ...allBut(k)))] },
    { name: 'squared form', domain: N, terms: [term(1, f[0], f[0]), term(-1, at(`o${K + 1}`))] },
  ];
  const spec = specOf(K + 2, bundle);
  const protocol = polyIopProtocol(spec, ctx.kzg, ctx.engine);
  assert.deepEqual([...evaluatedAtZeta(protocol)].sort(), f.map((_, k) => `o${k}`), 'the forms\' oracles are evaluated; o5 and o6 are linearized');
  const cols = [
    [3n, -1n, 4n, 2n],
    [5n, 0n, -2n, 7n],
    [1n, 8n, 6n, -3n],
    [9n, 2n, -5n, 0n],
    [4n, 4n, 11n, 1n],
  ];
  const rows = [...cols, cols[0].map((_, i) => Fr.create(cols.reduce((acc, c) => acc + Fr.inv(Fr.create(10n - c[i])), 0n))), cols[0].map((x) => (10n - x) ** 2n)];
  await honestVerifiesAndChangesAreRejected(ctx, protocol, rows, (c, r) => prove(c, r, spec), { numRuns: 10, seed: 4 });
});

test('productsByOmission: a lookup bundle of k ≥ 5 forms (every term all forms or all but one, in any order) takes prefix and suffix products; fewer forms, a foreign or repeated form or two left out do not', () => {
  const bundle = (k: number) => {
    const all = Array.from({ length: k }, (_, j) => j);
    return [all, ...all.map((c) => all.filter((j) => j !== c))];
  };
  // The five-form bundle of the test above: 2·5 − 1 + 1 + 2·5 = 20 products against 5 + 5·4 = 25 read directly.
  assert.deepEqual(productsByOmission([[0, 1, 2, 3, 4], [1, 2, 3, 4], [0, 2, 3, 4], [0, 1, 3, 4], [0, 1, 2, 4], [0, 1, 2, 3]]), { shared: [0, 1, 2, 3, 4], omitted: [-1, 0, 1, 2, 3, 4] });
  assert.notEqual(productsByOmission(bundle(8)), undefined);
  assert.equal(productsByOmission(bundle(4)), undefined, 'four forms: 16 products either way');
  // The order of logUp's halving (blocks/logup-iop.ts): each term's forms permuted, the omissions read by position in shared.
  assert.deepEqual(productsByOmission([[0, 1, 2, 3, 4], [2, 1, 3, 4], [3, 4, 0, 2], [0, 1, 3, 4], [4, 0, 1, 2], [0, 1, 2, 3]]), { shared: [0, 1, 2, 3, 4], omitted: [-1, 0, 1, 2, 3, 4] });
  assert.equal(productsByOmission([[0, 1, 2, 3, 4], [1, 2, 3, 5], [0, 2, 3, 4], [0, 1, 3, 4], [0, 1, 2, 4], [0, 1, 2, 3]]), undefined, 'a form outside the longest term');
  assert.equal(productsByOmission([[0, 1, 2, 3, 3], [1, 2, 3, 3], [0, 2, 3, 3], [0, 1, 3, 3], [0, 1, 2, 3], [0, 1, 2, 3]]), undefined, 'a repeated form');
  assert.equal(productsByOmission([[0, 1, 2, 3, 4], [2, 3, 4], [0, 2, 3, 4], [0, 1, 3, 4], [0, 1, 2, 4], [0, 1, 2, 3]]), undefined, 'a term leaving out two forms');
});

test('linear forms are refused with two polynomial factors in one term, nested, or in a sum claim', async () => {
  const ctx = await context(64);
  const bad = (factor: Factor): Identity[] => [{ name: 'bad', domain: N, terms: [term(1, factor, at('o0')), term(-1, at('o1'))] }];
  assert.throws(() => polyIopProtocol(specOf(2, bad(linearForm(term(1, at('o0'), at('o1'))))), ctx.kzg, ctx.engine), /linear form with a term of two polynomial factors or a nested form/);
  assert.throws(() => polyIopProtocol(specOf(2, bad(linearForm(term(1, linearForm(term(1, at('o1'))))))), ctx.kzg, ctx.engine), /nested form/);
  const spec = specOf(2, [{ name: 'id', domain: N, terms: [term(1, at('o0')), term(-1, at('o1'))] }]);
  const claims = [sumClaim({ name: 's', domain: N, summand: [term(1, linearForm(term(1, at('o0')), term(1)))] })];
  assert.throws(() => polyIopProtocol({ ...spec, sums: claims }, ctx.kzg, ctx.engine), /sum claim "s" reads a linear form/);
});

test('an oracle no identity reads is refused (it would be committed and never opened)', async () => {
  const ctx = await context(64);
  const spec = specOf(5, identities);
  const unread = { ...spec, statement: [...spec.statement, { name: 'O9', sort: 'g1' as const, origin: 'statement' as const }], oracles: [...spec.oracles, { name: 'o9', domain: N, commitment: 'O9' }] };
  assert.throws(() => polyIopProtocol(unread, ctx.kzg, ctx.engine), /oracle "o9" is read by no identity/);
});

test('a block slot named as a slot of the compiler tail is refused (the prover tells rounds apart by slot name)', async () => {
  const ctx = await context(64);
  const spec = specOf(5, identities);
  assert.doesNotThrow(() => polyIopProtocol(spec, ctx.kzg, ctx.engine));
  for (const name of ['[quotient]', 'zeta', 'lambda', 'v', "open/W'"])
    assert.throws(
      () => polyIopProtocol({ ...spec, slots: [{ name, sort: 'fr', origin: 'message' }], rounds: [{ kind: 'message', slots: [name] }] }, ctx.kzg, ctx.engine),
      (e: Error) => e.message.includes(`slot "${name}" is a name of the compiler's tail`),
    );
  // An oracle named `lin` gives the evaluation slot `lin@zeta`, the name of the linearized combination's value.
  const lin = { ...spec, oracles: spec.oracles.map((o) => (o.name === 'o0' ? { ...o, name: 'lin' } : o)), identities: identities.map((id) => ({ ...id, terms: id.terms.map((t) => ({ ...t, factors: t.factors.map((f) => ('oracle' in f && f.oracle === 'o0' ? { ...f, oracle: 'lin' } : f)) })) })) };
  assert.throws(() => polyIopProtocol(lin, ctx.kzg, ctx.engine), /slot "lin@zeta" is a name of the compiler's tail/);
});

test('sum claims whose multipliers share a name but differ are refused (a group would prove one with the other\'s μ)', async () => {
  const ctx = await context(64);
  const claim = (name: string, rowLength: number) => sumClaim({ name, domain: 16, summand: [term(1, at('a'))], rowWeights: { challenge: 'alpha', rowLength } });
  const spec = (claims: SumClaim[]): PolyIopSpec => ({
    foldKey: 'multipliers',
    statement: [{ name: 'A', sort: 'g1', origin: 'statement' }],
    slots: [{ name: 'alpha', sort: 'fr', origin: 'challenge' }],
    rounds: [{ kind: 'challenge', slots: ['alpha'] }],
    oracles: [{ name: 'a', domain: 16, commitment: 'A' }],
    publics: [],
    identities: [],
    sums: claims,
  });
  assert.doesNotThrow(() => polyIopProtocol(spec([claim('s', 4), claim('t', 8)]), ctx.kzg, ctx.engine));
  // One μ per (α, domain, row length), so two claims of rows of 4 share it (and one running sum).
  assert.equal(claim('s', 4).multiplier, claim('t', 4).multiplier);
  assert.doesNotThrow(() => polyIopProtocol(spec([claim('s', 4), claim('t', 4)]), ctx.kzg, ctx.engine));
  // A claim with another polynomial under the name `mu/alpha/16/4` (rows of 8 cells).
  const impostor = { ...claim('t', 4), multiplier: { ...claim('t', 8).multiplier!, name: claim('s', 4).multiplier!.name } };
  assert.throws(() => polyIopProtocol(spec([claim('s', 4), impostor]), ctx.kzg, ctx.engine), /declared twice with different definitions/);
});

test('ζ in a domain of the argument is refused (Z_H(ζ) = 0 would drop its identities from the check at ζ), prover and verifier alike', async () => {
  // A transcript that draws a chosen ζ (probability n/r for a real one) and every other challenge as drawn.
  const ctx = await context(32);
  const block = new MaxConstantBlock({ rows: 1, domain: 4, length: 3, constant: 0n, bits: 8 });
  const x = [[-4n, 3n, 2n]];
  const tensors = { x, ...block.witness({ x }) };
  const p = block.protocol(ctx);
  const statement = await statementOf(block, ctx, tensors);
  const forcing = (zeta: bigint): Transcript => {
    const t = Transcript.create('linearization/zeta').fork(leafLabel(p.foldKey, 0));
    return new Proxy(t, { get: (target, prop) => (prop === 'challengeFr' ? (label: string) => (label === 'zeta' ? zeta : target.challengeFr(label)) : Reflect.get(target, prop, target)) });
  };
  const honest = await runSchedule(p, forcing(5n), ctx.engine, statement, block.prover(ctx, tensors));
  assert.equal(honest.zeta, 5n, 'the forced ζ is drawn');
  for (const zeta of [1n, new EvaluationDomain(4).omega, Fr.neg(1n)]) {
    const refused = (e: unknown) => e instanceof BlockfoldError && /ζ lies in H_4/.test(e.message);
    await assert.rejects(runSchedule(p, forcing(zeta), ctx.engine, statement, block.prover(ctx, tensors)), refused, `prover, ζ = ${zeta}`);
    const sent: MessageSource = (decls) => Object.fromEntries(decls.map((d) => [d.name, honest[d.name]]));
    await assert.rejects(runSchedule(p, forcing(zeta), ctx.engine, statement, sent), refused, `verifier, ζ = ${zeta}`);
  }
});
