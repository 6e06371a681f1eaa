// The field kernels against BigInt arithmetic on raw Montgomery limbs: every input in [0, 2p) (the
// semi-reduced range the kernels accept), outputs aliased with inputs, and the canonical conversions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Kernels } from '../../src/engine/wasm/kernels';
import { Fp, Fr, R } from '../../src/field';
import { rootOfUnity } from '../../src/poly/roots';
import { readWords, writeWords } from '../../src/engine/wasm/codec';

const kernels = new Kernels();
const RM = 1n << 261n;
const MASK = (1n << 29n) - 1n;

function writeLimbs(ptr: number, x: bigint): void {
  const view = kernels.view();
  for (let i = 0; i < 9; i++) view.setUint32(ptr + 4 * i, Number((x >> BigInt(29 * i)) & MASK), true);
}
function readLimbs(ptr: number): bigint {
  const view = kernels.view();
  let x = 0n;
  for (let i = 8; i >= 0; i--) {
    const limb = view.getUint32(ptr + 4 * i, true);
    assert.ok(limb < 2 ** 29, 'limbs stay normalized');
    x = (x << 29n) | BigInt(limb);
  }
  return x;
}
function modInv(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [a % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

for (const [name, p] of [['fp', Fp.ORDER], ['fr', R]] as const) {
  const e = kernels.exports;
  const mul3 = name === 'fp' ? e.fp_mul3 : e.fr_mul3;
  const ops = name === 'fp' ? { mul: e.fp_mul, add: e.fp_add, sub: e.fp_sub, canon: e.fp_canon, inv: e.fp_inv } : { mul: e.fr_mul, add: e.fr_add, sub: e.fr_sub, canon: e.fr_canon, inv: e.fr_inv };
  const rInv = modInv(RM % p, p);
  const semi = fc.oneof(fc.constantFrom(0n, 1n, p - 1n, p, p + 1n, 2n * p - 1n), fc.bigInt({ min: 0n, max: 2n * p - 1n }));

  test(`${name} kernels: mul, add, sub, canon on semi-reduced inputs, with aliasing`, () => {
    const a = kernels.allocResident(36);
    const b = kernels.allocResident(36);
    const out = kernels.allocResident(36);
    fc.assert(
      fc.property(semi, semi, fc.constantFrom('none', 'a', 'b'), (x, y, alias) => {
        for (const [op, want] of [
          ['mul', (x * y * rInv) % p],
          ['add', (x + y) % p],
          ['sub', (((x - y) % p) + p) % p],
        ] as const) {
          writeLimbs(a, x);
          writeLimbs(b, y);
          const target = alias === 'a' ? a : alias === 'b' ? b : out;
          ops[op](target, a, b);
          const got = readLimbs(target);
          assert.ok(got < 2n * p, `${op} output is semi-reduced`);
          assert.equal(got % p, want, op);
        }
        writeLimbs(a, x);
        ops.canon(a, a);
        assert.equal(readLimbs(a), x % p);
      }),
      { numRuns: 300 },
    );
  });

  test(`${name} kernels: ${name}_reduce2p takes every value below 4p to the same one mod p below 2p, in place or not`, () => {
    const reduce = name === 'fp' ? e.fp_reduce2p : e.fr_reduce2p;
    const a = kernels.allocResident(36);
    const out = kernels.allocResident(36);
    const below4p = fc.oneof(fc.constantFrom(0n, p - 1n, 2n * p - 1n, 2n * p, 3n * p, 4n * p - 1n), fc.bigInt({ min: 0n, max: 4n * p - 1n }));
    fc.assert(
      fc.property(below4p, fc.boolean(), (x, inPlace) => {
        writeLimbs(a, x);
        reduce(inPlace ? a : out, a);
        const got = readLimbs(inPlace ? a : out);
        assert.ok(got < 2n * p, 'semi-reduced');
        assert.equal(got % p, x % p);
      }),
      { numRuns: 300 },
    );
  });

  test(`${name} kernels: the square equals the product a·a on every input below 8p (the product's bound), aliased or not`, () => {
    const sqr = name === 'fp' ? e.fp_sqr : e.fr_sqr;
    const a = kernels.allocResident(36);
    const out = kernels.allocResident(36);
    const below8p = fc.oneof(fc.constantFrom(0n, 1n, p - 1n, 2n * p - 1n, 4n * p, 8n * p - 1n), fc.bigInt({ min: 0n, max: 8n * p - 1n }));
    fc.assert(
      fc.property(below8p, fc.boolean(), (x, alias) => {
        writeLimbs(a, x);
        const target = alias ? a : out;
        sqr(target, a);
        const got = readLimbs(target);
        assert.ok(got < 2n * p, 'sqr output is semi-reduced');
        assert.equal(got % p, (x * x * rInv) % p);
        writeLimbs(a, x);
        ops.mul(out, a, a);
        assert.equal(readLimbs(out) % p, got % p);
      }),
      { numRuns: 1000 },
    );
  });

  test(`${name} kernels: the 3-way SIMD + scalar product equals three products, outputs aliased`, () => {
    const buf = kernels.allocResident(9 * 36);
    const at = (i: number) => buf + 36 * i;
    fc.assert(
      fc.property(fc.array(semi, { minLength: 6, maxLength: 6 }), fc.boolean(), (xs, alias) => {
        xs.forEach((x, i) => writeLimbs(at(i), x));
        // With aliasing each output overwrites an input of another product: all inputs must be read first.
        const outs = alias ? [at(5), at(0), at(3)] : [at(6), at(7), at(8)];
        mul3(outs[0], at(0), at(1), outs[1], at(2), at(3), outs[2], at(4), at(5));
        for (let k = 0; k < 3; k++) {
          const got = readLimbs(outs[k]);
          assert.ok(got < 2n * p);
          assert.equal(got % p, (xs[2 * k] * xs[2 * k + 1] * rInv) % p);
        }
      }),
      { numRuns: 300 },
    );
  });

  // Only Fp has the three-way square (the decompression's roots).
  if (name === 'fp') test(`${name} kernels: the 3-way SIMD + scalar square equals three squares on inputs below 8p, outputs aliased`, () => {
    const sqr3 = e.fp_sqr3;
    const buf = kernels.allocResident(6 * 36);
    const at = (i: number) => buf + 36 * i;
    const below8p = fc.oneof(fc.constantFrom(0n, 1n, p - 1n, 2n * p - 1n, 4n * p, 8n * p - 1n), fc.bigInt({ min: 0n, max: 8n * p - 1n }));
    fc.assert(
      fc.property(fc.array(below8p, { minLength: 3, maxLength: 3 }), fc.boolean(), (xs, alias) => {
        xs.forEach((x, i) => writeLimbs(at(i), x));
        // Aliased, each output overwrites the input of another lane: all inputs must be read first.
        const outs = alias ? [at(1), at(2), at(0)] : [at(3), at(4), at(5)];
        sqr3(outs[0], at(0), outs[1], at(1), outs[2], at(2));
        for (let k = 0; k < 3; k++) {
          const got = readLimbs(outs[k]);
          assert.ok(got < 2n * p, 'sqr3 output is semi-reduced');
          assert.equal(got % p, (xs[k] * xs[k] * rInv) % p);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test(`${name} kernels: inversion and the canonical word conversions round-trip`, () => {
    const a = kernels.allocResident(36);
    const w = kernels.allocResident(32);
    const toM = name === 'fp' ? e.fp_fromWordsN : e.fr_fromWordsN;
    const fromM = name === 'fp' ? e.fp_toWordsN : e.fr_toWordsN;
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(0n, 1n, p - 1n), fc.bigInt({ min: 0n, max: p - 1n })), (x) => {
        writeWords(kernels.view(), w, x);
        toM(a, w, 1);
        assert.equal(readLimbs(a) % p, (x * RM) % p, 'Montgomery form');
        fromM(w, a, 1);
        assert.equal(readWords(kernels.view(), w), x);
        if (x !== 0n) {
          ops.inv(a, a);
          fromM(w, a, 1);
          assert.equal(readWords(kernels.view(), w), modInv(x, p));
        }
      }),
      { numRuns: 100 },
    );
  });

  test(`${name} kernels: ${name}_fromWordsN and ${name}_toWordsN convert a batch three at a time and the rest one by one`, () => {
    const toM = name === 'fp' ? e.fp_fromWordsN : e.fr_fromWordsN;
    const fromM = name === 'fp' ? e.fp_toWordsN : e.fr_toWordsN;
    const value = fc.oneof(fc.constantFrom(0n, 1n, p - 1n), fc.bigInt({ min: 0n, max: p - 1n }));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 10 }), (xs) => {
        kernels.scratch((alloc) => {
          const w = alloc(32 * xs.length + 32);
          const a = alloc(36 * xs.length + 36);
          xs.forEach((x, i) => writeWords(kernels.view(), w + 32 * i, x));
          toM(a, w, xs.length);
          xs.forEach((x, i) => assert.equal(readLimbs(a + 36 * i) % p, (x * RM) % p, `element ${i} of ${xs.length} in Montgomery form`));
          new Uint8Array(kernels.exports.memory.buffer, w, 32 * xs.length).fill(0xff);
          fromM(w, a, xs.length);
          assert.deepEqual(xs.map((_, i) => readWords(kernels.view(), w + 32 * i)), xs);
        });
      }),
      { numRuns: 100 },
    );
  });
}

test('fr_mulPeriodic multiplies by a vector repeating with its period, three products at a time and the rest one by one', () => {
  const e = kernels.exports;
  const value = fc.bigInt({ min: 0n, max: 2n * R - 1n });
  fc.assert(
    fc.property(fc.array(value, { maxLength: 11 }), fc.array(value, { minLength: 1, maxLength: 5 }), (xs, bs) => {
      kernels.scratch((alloc) => {
        const a = alloc(36 * xs.length + 36);
        const b = alloc(36 * bs.length);
        xs.forEach((x, i) => writeLimbs(a + 36 * i, x));
        bs.forEach((x, i) => writeLimbs(b + 36 * i, x));
        e.fr_mulPeriodic(a, xs.length, b, bs.length);
        const rInv = modInv(RM % R, R);
        xs.forEach((x, i) => {
          const got = readLimbs(a + 36 * i);
          assert.ok(got < 2n * R, 'semi-reduced');
          assert.equal(got % R, (x * bs[i % bs.length] * rInv) % R, `element ${i} of ${xs.length}, period ${bs.length}`);
        });
      });
    }),
    { numRuns: 300 },
  );
});

test('fr_gather copies every stride-th element into consecutive ones (stride 1 a block copy)', () => {
  const e = kernels.exports;
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.bigInt({ min: 0n, max: 2n * R - 1n }), { minLength: 24, maxLength: 24 }), (m, stride, xs) => {
      kernels.scratch((alloc) => {
        const from = alloc(36 * xs.length);
        const to = alloc(36 * (m + 1));
        xs.forEach((x, i) => writeLimbs(from + 36 * i, x));
        writeLimbs(to + 36 * m, 12345n);
        e.fr_gather(to, from, m, stride);
        for (let i = 0; i < m; i++) assert.equal(readLimbs(to + 36 * i), xs[i * stride], `element ${i}, stride ${stride}`);
        assert.equal(readLimbs(to + 36 * m), 12345n, 'nothing past the m values');
      });
    }),
    { numRuns: 200 },
  );
});

test('fr_ntt on semi-reduced inputs (up to 2p − 1, the bound every kernel passes on) equals the DFT at every count of nonzero leading values; its outputs are semi-reduced', () => {
  // The butterflies carry values below 4p between stages and reduce once after the last (wasm/ntt.ts): inputs at the
  // top of [0, 2p) are where a missed reduction would overflow a limb or leave an output at or above 2p.
  const e = kernels.exports;
  const semi = fc.oneof(fc.constantFrom(0n, 1n, R - 1n, R, 2n * R - 1n), fc.bigInt({ min: 0n, max: 2n * R - 1n }));
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 5 }).chain((log) => fc.tuple(fc.constant(log), fc.integer({ min: 0, max: 1 << log }), fc.array(semi, { minLength: 1 << log, maxLength: 1 << log }))),
      ([log, nonzero, xs]) => {
        const n = 1 << log;
        const values = xs.map((x, i) => (i < nonzero ? x : 0n));
        const omega = rootOfUnity(n);
        kernels.scratch((alloc) => {
          const a = alloc(36 * n);
          const tw = alloc(36 * Math.max(1, n / 2));
          const one = alloc(36);
          const w = alloc(36);
          writeLimbs(one, RM % R);
          writeLimbs(w, (omega * RM) % R);
          e.fr_powers(tw, one, w, Math.max(1, n / 2));
          values.forEach((x, i) => writeLimbs(a + 36 * i, x));
          e.fr_ntt(a, log, tw, nonzero);
          for (let k = 0; k < n; k++) {
            const want = values.reduce((s, x, j) => (s + x * Fr.pow(omega, BigInt(j * k))) % R, 0n);
            const got = readLimbs(a + 36 * k);
            assert.ok(got < 2n * R, `output ${k} of ${n} is semi-reduced`);
            assert.equal(got % R, want, `output ${k} of ${n}, ${nonzero} nonzero`);
          }
        });
      },
    ),
    { numRuns: 200 },
  );
});
