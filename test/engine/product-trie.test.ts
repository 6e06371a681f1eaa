// The factor-trie evaluation of cosetIdentities' identities (src/engine/wasm/product-trie.ts, wasm/products.ts):
// the same values as the reference's term-by-term sum on identities whose terms share prefixes (the shape the
// quotient's expanded products have), on part sizes that exercise the three-point blocks and the one-by-one tail,
// and one multiplication per trie edge.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { plainFactorProgram, productTrieProgram } from '../../src/engine/wasm/product-trie';
import type { ProductTerm } from '../../src/engine/engine';
import { Fr, R } from '../../src/field';

const reference = createReferenceEngine();
const wasm = createWasmEngine();
after(() => wasm.close());

const value = fc.oneof(fc.constantFrom(0n, 1n, R - 1n, R - 2n), fc.bigInt({ min: 0n, max: R - 1n }));

/**
 * Terms that share prefixes: each extends a prefix of an earlier term (or starts afresh) by a few factors drawn
 * from a handful of polynomials, so the trie has deep shared paths, repeated factors, duplicate terms (whose
 * coefficients merge, also to 0) and constant terms.
 */
function sharedTermsArb(count: number): fc.Arbitrary<ProductTerm[]> {
  const step = fc.record({ from: fc.nat(), keep: fc.nat({ max: 5 }), extra: fc.array(fc.integer({ min: 0, max: count - 1 }), { maxLength: 3 }), coeff: value, negateLast: fc.boolean() });
  return fc.array(step, { maxLength: 40 }).map((steps) => {
    const terms: ProductTerm[] = [];
    for (const { from, keep, extra, coeff, negateLast } of steps) {
      const base = terms.length === 0 ? [] : terms[from % terms.length].factors.slice(0, keep);
      const factors = [...base, ...extra];
      // A duplicate of the previous term with the opposite coefficient cancels it: the merged leaf carries 0.
      const last = terms[terms.length - 1];
      terms.push(negateLast && last ? { coeff: (R - last.coeff) % R, factors: last.factors } : { coeff, factors });
    }
    return terms;
  });
}

const partArb = (count: number) =>
  fc.record({
    size: fc.constantFrom(1, 2, 4, 8, 16),
    terms: sharedTermsArb(count),
    scale: fc.constant([1n]),
  });

test('cosetIdentities on the factor trie equals the reference on identities with shared prefixes, merged and cancelling terms, sizes 1 to 16', async () => {
  const arb = fc.integer({ min: 1, max: 5 }).chain((count) =>
    fc.record({
      parts: fc.array(partArb(count), { minLength: 1, maxLength: 3 }),
      polys: fc.array(fc.array(value, { minLength: 0, maxLength: 1 }), { minLength: count, maxLength: count }),
      shift: fc.constantFrom(1n, 5n, R - 1n),
    }),
  );
  await fc.assert(
    fc.asyncProperty(arb, async ({ parts, polys, shift }) => {
      assert.deepEqual(await wasm.cosetIdentities(shift, polys, parts), await reference.cosetIdentities(shift, polys, parts));
    }),
    { numRuns: 150 },
  );
});

test('the factor trie has one multiplication per distinct non-empty prefix of the better order and evaluates to the term-by-term sum', () => {
  const v = [3n, 7n, R - 2n, 11n, 0n];
  const evaluate = (terms: readonly ProductTerm[]) => terms.reduce((acc, t) => (acc + t.factors.reduce((p, f) => (p * v[f]) % R, t.coeff)) % R, 0n);
  fc.assert(
    fc.property(sharedTermsArb(v.length), (terms) => {
      const program = productTrieProgram(terms);
      // Prefixes as given, and with each term's factors by decreasing occurrence (ties by index): the fewer count.
      const occurrences = (f: number) => terms.reduce((k, t) => k + t.factors.filter((g) => g === f).length, 0);
      const prefixes = (order: (fs: number[]) => number[]) =>
        new Set(terms.flatMap((t) => order([...t.factors]).map((_, i, fs) => fs.slice(0, i + 1).join(',')))).size;
      const fewest = Math.min(prefixes((fs) => fs), prefixes((fs) => fs.sort((a, b) => occurrences(b) - occurrences(a) || a - b)));
      const ops = [...program.words.filter((_, i) => i % 4 === 0)];
      assert.equal(ops.filter((op) => op !== 0).length, fewest);
      assert.equal(program.registers, Math.max(0, ...terms.map((t) => t.factors.length)) + 1);
      // A direct interpreter of the instruction set the kernel runs, on scalars.
      const regs = new Array<bigint>(program.registers + 1).fill(0n);
      for (let i = 0; i < program.words.length; i += 4) {
        const [op, d, f, c] = program.words.slice(i, i + 4);
        const product = (op === 1 || op === 2 ? regs[d + 1] : program.coeffs[c]) * v[f];
        if (op === 0) regs[d] = program.coeffs[c];
        else if (op === 1 || op === 3) regs[d] = product % R;
        else regs[d] = (regs[d] + product) % R;
      }
      assert.equal(regs[0], evaluate(terms));
    }),
    { numRuns: 200 },
  );
  // [0,1] and [0,2] share the edge 0: three multiplications instead of four; [1,0] and [2,0] too, read with the
  // common factor first; no term is the constant 0.
  const products = (terms: ProductTerm[]) => productTrieProgram(terms).words.filter((w, i) => i % 4 === 0 && w !== 0).length;
  assert.equal(products([{ coeff: 2n, factors: [0, 1] }, { coeff: 3n, factors: [0, 2] }]), 3);
  assert.equal(products([{ coeff: 2n, factors: [1, 0] }, { coeff: 3n, factors: [2, 0] }]), 3);
  assert.deepEqual([...productTrieProgram([]).words], [0, 0, 0, 0]);
  assert.deepEqual(productTrieProgram([]).coeffs, [0n]);
});

test('plainFactorProgram: with plain factors and Montgomery products the program ends at the plain value of the identity', () => {
  // The kernels' arithmetic in bigints: a coefficient is read in Montgomery form (x·R), a product of two operands is
  // a·b·R^(−1), a factor is its plain value.
  const M = Fr.create(1n << 261n);
  const mont = (a: bigint, b: bigint) => Fr.mul(Fr.mul(a, b), Fr.inv(M));
  const v = [3n, 7n, R - 2n, 11n, 0n];
  const evaluate = (terms: readonly ProductTerm[]) => terms.reduce((acc, t) => (acc + t.factors.reduce((p, f) => (p * v[f]) % R, t.coeff)) % R, 0n);
  const run = (program: { words: Uint32Array; coeffs: readonly bigint[]; registers: number }) => {
    const coeff = (c: number) => Fr.mul(program.coeffs[c], M);
    const regs = new Array<bigint>(program.registers + 1).fill(0n);
    for (let i = 0; i < program.words.length; i += 4) {
      const [op, d, f, c] = program.words.slice(i, i + 4);
      const product = mont(op === 1 || op === 2 ? regs[d + 1] : coeff(c), v[f]);
      if (op === 0) regs[d] = coeff(c);
      else if (op === 1 || op === 3) regs[d] = product;
      else regs[d] = Fr.add(regs[d], product);
    }
    return regs[0];
  };
  fc.assert(
    fc.property(sharedTermsArb(v.length), (terms) => {
      const program = productTrieProgram(terms);
      const plain = plainFactorProgram(program);
      assert.equal(run(plain), evaluate(terms));
      assert.deepEqual([...plain.words].filter((_, i) => i % 4 !== 3), [...program.words].filter((_, i) => i % 4 !== 3), 'the same instructions');
    }),
    { numRuns: 200 },
  );
  // Unscaled, a term of two factors and a constant come out divided by R and times R^(−1)·R = 1 resp. R^(−1):
  // 5·v_0·v_1 + 4 is wrong read plainly, right once scaled.
  const terms: ProductTerm[] = [{ coeff: 5n, factors: [0, 1] }, { coeff: 4n, factors: [] }];
  assert.notEqual(run(productTrieProgram(terms)), 5n * 3n * 7n + 4n);
  assert.equal(run(plainFactorProgram(productTrieProgram(terms))), 5n * 3n * 7n + 4n);
});
