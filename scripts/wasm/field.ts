/**
 * Generator of the AssemblyScript Montgomery field kernels for a prime modulus p < 2^254.
 *
 * Representation: an element is 9 little-endian u32 limbs of 29 bits (36 bytes), value x·R mod p with
 * R = 2^261, kept *semi-reduced* in [0, 2p). Because 64·p < R, the Montgomery product of two semi-reduced
 * inputs is again semi-reduced without a final subtraction, and 18 products of 58 bits plus carries fit in
 * a u64 accumulator, so carries are propagated once per multiplication ("lazy carries").
 * @module
 */

/** Limb width in bits. */
export const LIMB_BITS = 29;
/** Number of limbs. */
export const LIMBS = 9;
/** Bytes per field element in WASM memory. */
export const FIELD_BYTES = 4 * LIMBS;
const MASK = (1n << BigInt(LIMB_BITS)) - 1n;
const R_BITS = BigInt(LIMB_BITS * LIMBS);

/** Splits x < 2^261 into 9 limbs of 29 bits. */
export function toLimbs(x: bigint): number[] {
  const out: number[] = [];
  for (let i = 0; i < LIMBS; i++) out.push(Number((x >> BigInt(LIMB_BITS * i)) & MASK));
  return out;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [((a % m) + m) % m, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/**
 * AssemblyScript source of the field `name` (functions `${name}_mul`, `${name}_add`, …) for modulus `p`.
 * Every function takes pointers and may alias its output with an input: inputs are read into locals first.
 */
export function fieldSource(name: string, p: bigint): string {
  if (p >> 254n !== 0n || p % 2n === 0n) throw new Error('the generator needs an odd modulus below 2^254');
  const R = 1n << R_BITS;
  const P = toLimbs(p);
  const P2 = toLimbs(2n * p);
  const mu = (-modInverse(p, 1n << BigInt(LIMB_BITS)) + (1n << BigInt(LIMB_BITS))) & MASK;
  const r2 = (R * R) % p;
  const one = R % p;
  const exponent = p - 2n;
  const expWords = range(8).map((i) => Number((exponent >> BigInt(32 * i)) & 0xffffffffn));
  const m = `0x${MASK.toString(16)}`;
  const loadA = range(LIMBS).map((i) => `  const a${i} = <u64>load<u32>(a, ${4 * i});`).join('\n');
  const loadB = range(LIMBS).map((i) => `  const b${i} = <u64>load<u32>(b, ${4 * i});`).join('\n');

  // Montgomery product, operand scanning: per limb a_i, add a_i·b, pick q so the low limb vanishes, add q·p, shift.
  const mulBody: string[] = [];
  for (let i = 0; i < LIMBS; i++) {
    mulBody.push(`  t0 += a${i} * b0;`);
    mulBody.push(`  q = ((t0 & ${m}) * ${mu}) & ${m};`);
    mulBody.push(`  t0 = (t0 + q * ${P[0]}) >> ${LIMB_BITS};`);
    for (let j = 1; j < LIMBS; j++) {
      const prev = j === 1 ? 't0 + t1' : `t${j}`;
      const term = `a${i} * b${j} + q * ${P[j]}`;
      if (j === 1) mulBody.push(`  t0 = ${prev} + ${term};`);
      else if (j < LIMBS - 1) mulBody.push(`  t${j - 1} = ${prev} + ${term};`);
      else mulBody.push(`  t${j - 1} = ${term};`);
    }
  }
  const carryOut: string[] = [];
  for (let j = 0; j < LIMBS - 1; j++) {
    carryOut.push(`  store<u32>(out, <u32>(t${j} & ${m}), ${4 * j});`);
    carryOut.push(j < LIMBS - 2 ? `  t${j + 1} += t${j} >> ${LIMB_BITS};` : `  store<u32>(out, <u32>(t${LIMBS - 2} >> ${LIMB_BITS}), ${4 * (LIMBS - 1)});`);
  }
  const decl = range(LIMBS - 1).map((j) => `t${j}: u64 = 0`).join(', ');

  // s := s − M if s ≥ M (limbs s0..s8 normalized), else s. Written to out.
  const condSub = (Mlimbs: number[]): string => {
    const lines: string[] = [];
    lines.push(`  let d: i32 = 0;`);
    for (let i = 0; i < LIMBS; i++) {
      lines.push(`  const d${i}: i32 = <i32>s${i} - ${Mlimbs[i]} + d;`);
      lines.push(`  d = d${i} >> ${LIMB_BITS};`);
    }
    lines.push(`  if (d < 0) {`);
    for (let i = 0; i < LIMBS; i++) lines.push(`    store<u32>(out, s${i}, ${4 * i});`);
    lines.push(`  } else {`);
    for (let i = 0; i < LIMBS; i++) lines.push(`    store<u32>(out, <u32>(d${i} & ${m}), ${4 * i});`);
    lines.push(`  }`);
    return lines.join('\n');
  };
  // s := s − M when s ≥ M, on the let-locals s0..s8 (normalized limbs), branch on the final borrow.
  let condId = 0;
  const condSubLocals = (Mlimbs: number[]): string => {
    const id = condId++;
    const lines: string[] = [`  let e${id}: i32 = 0;`];
    for (let i = 0; i < LIMBS; i++) {
      lines.push(`  const f${id}_${i}: i32 = <i32>s${i} - ${Mlimbs[i]} + e${id};`);
      lines.push(`  e${id} = f${id}_${i} >> ${LIMB_BITS};`);
    }
    lines.push(`  if (e${id} >= 0) {`);
    for (let i = 0; i < LIMBS; i++) lines.push(`    s${i} = <u32>(f${id}_${i} & ${m});`);
    lines.push(`  }`);
    return lines.join('\n');
  };
  const storeLocals = (): string => range(LIMBS).map((i) => `  store<u32>(out, s${i}, ${4 * i});`).join('\n');
  const normalize = (signed: boolean): string =>
    range(LIMBS - 1)
      .map((i) => `  s${i + 1} += ${signed ? `<u32>(<i32>s${i} >> ${LIMB_BITS})` : `s${i} >> ${LIMB_BITS}`}; s${i} &= ${m};`)
      .join('\n');

  const words = range(LIMBS).map((k) => {
    const bit = LIMB_BITS * k;
    const w = bit >> 5;
    const sh = bit & 31;
    const hi = w + 1 < 8 ? `(<u64>load<u32>(inp, ${4 * (w + 1)}) << 32) | ` : '';
    return `  store<u32>(T_LIMBS, <u32>(((${hi}<u64>load<u32>(inp, ${4 * w})) >> ${sh}) & ${m}), ${4 * k});`;
  });
  const packWords = range(8).map((w) => {
    const bit = 32 * w;
    const k = Math.floor(bit / LIMB_BITS);
    const sh = bit - k * LIMB_BITS;
    const parts = [`(<u64>load<u32>(T_LIMBS, ${4 * k}) >> ${sh})`];
    for (let kk = k + 1; kk < LIMBS && LIMB_BITS * kk - bit < 32; kk++) parts.push(`(<u64>load<u32>(T_LIMBS, ${4 * kk}) << ${LIMB_BITS * kk - bit})`);
    return `  store<u32>(out, <u32>(${parts.join(' | ')}), ${4 * w});`;
  });

  const mul3 = mul3Source(name, P, mu);
  // Only the decompression's square roots (in Fp) square three at once; Fr gets no three-way square it would not call.
  const sqr3 = name === 'fp' ? sqr3Source(name, P, mu) : '';

  // Montgomery square, product scanning: the 17 columns of a² (each cross product once, doubled: 45 products, not
  // 81), then 9 reduction rounds (pick q so column i vanishes, add q·p from column i, carry into column i + 1).
  // Column bound: at most 4 doubled products and one square (< 2^61.2), 9 products q·p_j (< 2^61.2) and a carry.
  const sqrBody: string[] = [];
  sqrBody.push(range(LIMBS).map((i) => `  const d${i} = a${i} << 1;`).join('\n'));
  for (let k = 0; k <= 2 * LIMBS - 2; k++) {
    const terms: string[] = [];
    for (let i = Math.max(0, k - (LIMBS - 1)); 2 * i < k; i++) terms.push(`d${i} * a${k - i}`);
    if (k % 2 === 0) terms.push(`a${k / 2} * a${k / 2}`);
    sqrBody.push(`  let c${k}: u64 = ${terms.join(' + ')};`);
  }
  sqrBody.push('  let q: u64;');
  for (let i = 0; i < LIMBS; i++) {
    sqrBody.push(`  q = ((c${i} & ${m}) * ${mu}) & ${m};`);
    sqrBody.push(`  c${i + 1} += (c${i} + q * ${P[0]}) >> ${LIMB_BITS};`);
    for (let j = 1; j < LIMBS; j++) sqrBody.push(`  c${i + j} += q * ${P[j]};`);
  }
  for (let j = 0; j < LIMBS - 1; j++) {
    sqrBody.push(`  store<u32>(out, <u32>(c${LIMBS + j} & ${m}), ${4 * j});`);
    sqrBody.push(j < LIMBS - 2 ? `  c${LIMBS + j + 1} += c${LIMBS + j} >> ${LIMB_BITS};` : `  store<u32>(out, <u32>(c${2 * LIMBS - 2} >> ${LIMB_BITS}), ${4 * (LIMBS - 1)});`);
  }

  return `// Generated by scripts/wasm/field.ts for p = 0x${p.toString(16)}. Do not edit.
// Elements: 9 limbs of 29 bits, Montgomery form with R = 2^261, semi-reduced in [0, 2p).

const T_LIMBS = memory.data(${FIELD_BYTES});
const T_POW = memory.data(${FIELD_BYTES});
const T_LIMBS3 = memory.data(${3 * FIELD_BYTES});
const ZERO = memory.data(${FIELD_BYTES});
const R2 = memory.data<u32>([${toLimbs(r2).join(', ')}]);
const RAW_ONE = memory.data<u32>([${toLimbs(1n).join(', ')}]);
const EXP_WORDS = memory.data<u32>([${expWords.join(', ')}]);

/** Montgomery one (R mod p). */
export const ${name}_ONE = memory.data<u32>([${toLimbs(one).join(', ')}]);

/** out = a·b·R^-1 mod p, semi-reduced; inputs below 8p. */
export function ${name}_mul(out: usize, a: usize, b: usize): void {
${loadA}
${loadB}
  let ${decl};
  let q: u64;
${mulBody.join('\n')}
${carryOut.join('\n')}
}

${mul3}

${sqr3}

/** out = a²·R^-1 mod p, semi-reduced; input below 8p (the bounds of {@link ${name}_mul}, with 45 products instead of 81). */
export function ${name}_sqr(out: usize, a: usize): void {
${loadA}
${sqrBody.join('\n')}
}

/** out = a + b mod 2p (semi-reduced inputs and output). */
export function ${name}_add(out: usize, a: usize, b: usize): void {
${range(LIMBS).map((i) => `  let s${i}: u32 = load<u32>(a, ${4 * i}) + load<u32>(b, ${4 * i});`).join('\n')}
${normalize(false)}
${condSub(P2)}
}

/** out = a − b mod 2p (semi-reduced inputs and output). */
export function ${name}_sub(out: usize, a: usize, b: usize): void {
${range(LIMBS).map((i) => `  let s${i}: u32 = <u32>(<i32>load<u32>(a, ${4 * i}) - <i32>load<u32>(b, ${4 * i}) + ${P2[i]});`).join('\n')}
${normalize(true)}
${condSub(P2)}
}

/**
 * The NTT's butterfly without reducing its outputs: (u, v) ← (u′ + t, u′ − t + 2p) for u below 4p (u′ = u mod 2p, one
 * conditional subtraction) and t below 2p, so both outputs are below 4p. A product accepts inputs below 8p, so a
 * transform's stages pass values below 4p from one to the next and reduce once after the last: one conditional
 * subtraction per butterfly instead of two.
 */
export function ${name}_butterfly(u: usize, v: usize, t: usize): void {
${range(LIMBS).map((i) => `  let s${i}: u32 = load<u32>(u, ${4 * i});`).join('\n')}
${range(LIMBS).map((i) => `  const y${i}: u32 = load<u32>(t, ${4 * i});`).join('\n')}
${condSubLocals(P2)}
${range(LIMBS).map((i) => `  const x${i}: u32 = s${i};`).join('\n')}
  {
${range(LIMBS).map((i) => `  let s${i}: u32 = <u32>(<i32>x${i} - <i32>y${i} + ${P2[i]});`).join('\n')}
${normalize(true)}
${range(LIMBS).map((i) => `  store<u32>(v, s${i}, ${4 * i});`).join('\n')}
  }
  {
${range(LIMBS).map((i) => `  let s${i}: u32 = x${i} + y${i};`).join('\n')}
${normalize(false)}
${range(LIMBS).map((i) => `  store<u32>(u, s${i}, ${4 * i});`).join('\n')}
  }
}

/** out = a − b + p without reduction: for canonical b, a value in [0, a + p) (so below 2p for canonical a). */
export function ${name}_subP(out: usize, a: usize, b: usize): void {
${range(LIMBS).map((i) => `  let s${i}: u32 = <u32>(<i32>load<u32>(a, ${4 * i}) - <i32>load<u32>(b, ${4 * i}) + ${P[i]});`).join('\n')}
${normalize(true)}
${storeLocals()}
}

/** out = (a − b) mod p, canonical, for a < 3p and canonical b (a − b + p is below 4p: two conditional subtractions). */
export function ${name}_subCanon(out: usize, a: usize, b: usize): void {
${range(LIMBS).map((i) => `  let s${i}: u32 = <u32>(<i32>load<u32>(a, ${4 * i}) - <i32>load<u32>(b, ${4 * i}) + ${P[i]});`).join('\n')}
${normalize(true)}
${condSubLocals(P2)}
${condSubLocals(P)}
${storeLocals()}
}

/** out = (a − b − c) mod p, canonical, for a < 2p and canonical b, c (a − b − c + 2p is below 4p). */
export function ${name}_sub2Canon(out: usize, a: usize, b: usize, c: usize): void {
${range(LIMBS).map((i) => `  let s${i}: u32 = <u32>(<i32>load<u32>(a, ${4 * i}) - <i32>load<u32>(b, ${4 * i}) - <i32>load<u32>(c, ${4 * i}) + ${P2[i]});`).join('\n')}
${normalize(true)}
${condSubLocals(P2)}
${condSubLocals(P)}
${storeLocals()}
}

/**
 * out = a mod 2p for a below 4p (normalized limbs): one conditional subtraction of 2p, back to the semi-reduced range
 * every other kernel takes. The NTT's butterflies pass values below 4p between stages ({@link ${name}_butterfly}).
 */
export function ${name}_reduce2p(out: usize, a: usize): void {
${range(LIMBS).map((i) => `  const s${i}: u32 = load<u32>(a, ${4 * i});`).join('\n')}
${condSub(P2)}
}

/** out = a mod p: the canonical representative of a semi-reduced a. */
export function ${name}_canon(out: usize, a: usize): void {
${range(LIMBS).map((i) => `  const s${i}: u32 = load<u32>(a, ${4 * i});`).join('\n')}
${condSub(P)}
}

/** True when the semi-reduced a is 0 mod p (limbs equal 0 or p). */
export function ${name}_isZero(a: usize): bool {
  let z: u32 = 0;
  let e: u32 = 0;
${range(LIMBS).map((i) => `  z |= load<u32>(a, ${4 * i}); e |= load<u32>(a, ${4 * i}) ^ ${P[i]};`).join('\n')}
  return z == 0 || e == 0;
}

/** True when the canonical a and b are equal. */
export function ${name}_eqCanon(a: usize, b: usize): bool {
  let e: u32 = 0;
${range(LIMBS).map((i) => `  e |= load<u32>(a, ${4 * i}) ^ load<u32>(b, ${4 * i});`).join('\n')}
  return e == 0;
}

/** out = a. */
export function ${name}_copy(out: usize, a: usize): void {
  v128.store(out, v128.load(a), 0);
  v128.store(out, v128.load(a, 16), 16);
  store<u32>(out, load<u32>(a, 32), 32);
}

/** out = −a mod 2p. */
export function ${name}_neg(out: usize, a: usize): void {
  ${name}_sub(out, ZERO, a);
}

/** out = a^(p−2) = a^-1 (Fermat), for a ≠ 0; the result is semi-reduced. */
export function ${name}_inv(out: usize, a: usize): void {
  memory.copy(T_POW, ${name}_ONE, ${FIELD_BYTES});
  for (let i = 255; i >= 0; i--) {
    ${name}_sqr(T_POW, T_POW);
    if ((load<u32>(EXP_WORDS + ((<usize>i >> 5) << 2)) >> (<u32>i & 31)) & 1) ${name}_mul(T_POW, T_POW, a);
  }
  memory.copy(out, T_POW, ${FIELD_BYTES});
}

/** out (Montgomery) = the canonical integer given as 8 little-endian u32 words at inp, times R, mod p. */
export function ${name}_fromWords(out: usize, inp: usize): void {
${words.join('\n')}
  ${name}_mul(out, T_LIMBS, R2);
}

/** out (8 little-endian u32 words) = the canonical integer of the Montgomery element a. */
export function ${name}_toWords(out: usize, a: usize): void {
  ${name}_mul(T_LIMBS, a, RAW_ONE);
  ${name}_canon(T_LIMBS, T_LIMBS);
${packWords.join('\n')}
}

/**
 * Converts n elements: 8-word canonical integers at inp → Montgomery elements at out. Three at a time, their products
 * by R² in one ${name}_mul3.
 */
export function ${name}_fromWordsN(out: usize, inp: usize, n: u32): void {
  let i: u32 = 0;
  for (; i + 3 <= n; i += 3) {
    const o = out + <usize>i * ${FIELD_BYTES};
    const w = inp + <usize>i * 32;
    ${name}_unpack(T_LIMBS3, w);
    ${name}_unpack(T_LIMBS3 + ${FIELD_BYTES}, w + 32);
    ${name}_unpack(T_LIMBS3 + ${2 * FIELD_BYTES}, w + 64);
    ${name}_mul3(o, T_LIMBS3, R2, o + ${FIELD_BYTES}, T_LIMBS3 + ${FIELD_BYTES}, R2, o + ${2 * FIELD_BYTES}, T_LIMBS3 + ${2 * FIELD_BYTES}, R2);
  }
  for (; i < n; i++) ${name}_fromWords(out + <usize>i * ${FIELD_BYTES}, inp + <usize>i * 32);
}

/**
 * Converts n Montgomery elements at a → 8-word canonical integers at out. Three at a time, their products by 1 (out of
 * Montgomery form) in one ${name}_mul3.
 */
export function ${name}_toWordsN(out: usize, a: usize, n: u32): void {
  let i: u32 = 0;
  for (; i + 3 <= n; i += 3) {
    const x = a + <usize>i * ${FIELD_BYTES};
    ${name}_mul3(T_LIMBS3, x, RAW_ONE, T_LIMBS3 + ${FIELD_BYTES}, x + ${FIELD_BYTES}, RAW_ONE, T_LIMBS3 + ${2 * FIELD_BYTES}, x + ${2 * FIELD_BYTES}, RAW_ONE);
    ${name}_pack(out + <usize>i * 32, T_LIMBS3);
    ${name}_pack(out + <usize>(i + 1) * 32, T_LIMBS3 + ${FIELD_BYTES});
    ${name}_pack(out + <usize>(i + 2) * 32, T_LIMBS3 + ${2 * FIELD_BYTES});
  }
  for (; i < n; i++) ${name}_toWords(out + <usize>i * 32, a + <usize>i * ${FIELD_BYTES});
}

/**
 * Unpacks n canonical integers (8 words each) into limbs *without* the Montgomery factor ("plain" form).
 * A linear map whose constants are in Montgomery form keeps plain values plain (mul(x, c·R) = x·c), so
 * NTTs run on plain values and skip two conversions per element.
 */
export function ${name}_unpackN(out: usize, inp: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const w = inp + <usize>i * 32;
    ${name}_unpack(out + <usize>i * ${FIELD_BYTES}, w);
  }
}

function ${name}_unpack(out: usize, inp: usize): void {
${words.join('\n')}
  ${name}_copy(out, T_LIMBS);
}

/** Packs n plain semi-reduced elements into canonical integers (8 words each): the inverse of unpackN. */
export function ${name}_packN(out: usize, a: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) ${name}_pack(out + <usize>i * 32, a + <usize>i * ${FIELD_BYTES});
}

function ${name}_pack(out: usize, a: usize): void {
  ${name}_canon(T_LIMBS, a);
${packWords.join('\n')}
}
`;
}

/**
 * Three independent Montgomery products at once: the first two in the two 64-bit lanes of SIMD vectors
 * (i64x2.extmul_low_i32x4_u), the third on the scalar multiplier, statements interleaved so both
 * multipliers work in parallel. Same algorithm and bounds as the scalar product, lane by lane; the
 * quotient digit q = (t mod 2^29)·μ mod 2^29 only needs the low 32 bits of the lane product (i32x4.mul).
 */
function mul3Source(name: string, P: number[], mu: bigint): string {
  const m = `0x${MASK.toString(16)}`;
  const vec: string[][] = [];
  const sca: string[][] = [];
  for (let i = 0; i < LIMBS; i++) {
    const v: string[] = [];
    const c: string[] = [];
    v.push(`va = i32x4.replace_lane(i32x4.splat(load<u32>(a1, ${4 * i})), 1, load<u32>(a2, ${4 * i}));`);
    c.push(`ca = <u64>load<u32>(a3, ${4 * i});`);
    v.push(`v0 = i64x2.add(v0, i64x2.extmul_low_i32x4_u(va, vb0));`);
    c.push(`c0 += ca * cb0;`);
    v.push(`vq = v128.and(i32x4.mul(v0, VMU), VQMASK);`);
    c.push(`cq = ((c0 & ${m}) * ${mu}) & ${m};`);
    v.push(`vq = i8x16.shuffle(vq, vq, 0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11);`);
    c.push(`c0 = (c0 + cq * ${P[0]}) >> ${LIMB_BITS};`);
    v.push(`v0 = i64x2.shr_u(i64x2.add(v0, i64x2.extmul_low_i32x4_u(vq, VP0)), ${LIMB_BITS});`);
    for (let j = 1; j < LIMBS; j++) {
      const prod = `i64x2.add(i64x2.extmul_low_i32x4_u(va, vb${j}), i64x2.extmul_low_i32x4_u(vq, VP${j}))`;
      const sprod = `ca * cb${j} + cq * ${P[j]}`;
      if (j === 1) {
        v.push(`v0 = i64x2.add(i64x2.add(v0, v1), ${prod});`);
        c.push(`c0 = c0 + c1 + ${sprod};`);
      } else if (j < LIMBS - 1) {
        v.push(`v${j - 1} = i64x2.add(v${j}, ${prod});`);
        c.push(`c${j - 1} = c${j} + ${sprod};`);
      } else {
        v.push(`v${j - 1} = ${prod};`);
        c.push(`c${j - 1} = ${sprod};`);
      }
    }
    vec.push(v);
    sca.push(c);
  }
  const body: string[] = [];
  for (let i = 0; i < LIMBS; i++) {
    const v = vec[i];
    const c = sca[i];
    for (let k = 0; k < Math.max(v.length, c.length); k++) {
      if (k < v.length) body.push(`  ${v[k]}`);
      if (k < c.length) body.push(`  ${c[k]}`);
    }
  }
  const carry = (src: (j: number) => string, out: string): string[] => {
    const lines = [`  u = ${src(0)};`, `  store<u32>(${out}, <u32>(u & ${m}), 0);`];
    for (let j = 1; j < LIMBS - 1; j++) {
      lines.push(`  u = ${src(j)} + (u >> ${LIMB_BITS});`);
      lines.push(`  store<u32>(${out}, <u32>(u & ${m}), ${4 * j});`);
    }
    lines.push(`  store<u32>(${out}, <u32>(u >> ${LIMB_BITS}), ${4 * (LIMBS - 1)});`);
    return lines;
  };
  return `const VMU = i32x4(${mu}, ${mu}, ${mu}, ${mu});
const VQMASK = i32x4(${m}, 0, ${m}, 0);
${P.map((x, j) => `const VP${j} = i32x4(${x}, ${x}, ${x}, ${x});`).join('\n')}

/** o1 = a1·b1, o2 = a2·b2, o3 = a3·b3 (Montgomery), as ${name}_mul; outputs may alias inputs. */
export function ${name}_mul3(o1: usize, a1: usize, b1: usize, o2: usize, a2: usize, b2: usize, o3: usize, a3: usize, b3: usize): void {
${range(LIMBS).map((j) => `  const vb${j} = i32x4.replace_lane(i32x4.splat(load<u32>(b1, ${4 * j})), 1, load<u32>(b2, ${4 * j}));`).join('\n')}
${range(LIMBS).map((j) => `  const cb${j} = <u64>load<u32>(b3, ${4 * j});`).join('\n')}
  let ${range(LIMBS - 1).map((j) => `v${j} = i64x2.splat(0)`).join(', ')};
  let ${range(LIMBS - 1).map((j) => `c${j}: u64 = 0`).join(', ')};
  let va: v128, vq: v128, ca: u64, cq: u64;
${body.join('\n')}
  let u: u64;
${carry((j) => `<u64>i64x2.extract_lane(v${j}, 0)`, 'o1').join('\n')}
${carry((j) => `<u64>i64x2.extract_lane(v${j}, 1)`, 'o2').join('\n')}
${carry((j) => `c${j}`, 'o3').join('\n')}
}`;
}

/**
 * Three independent Montgomery squares at once, lanes as in {@link mul3Source} (the first two in the 64-bit lanes of
 * SIMD vectors, the third on the scalar multiplier, statements interleaved), each lane the algorithm of the scalar
 * square: the 17 columns of a² from 45 products (each cross product once, doubled), then 9 reduction rounds. Lane
 * arithmetic is u64 arithmetic, so every lane's bounds are the scalar square's and its result is the same.
 */
function sqr3Source(name: string, P: number[], mu: bigint): string {
  const m = `0x${MASK.toString(16)}`;
  const vec: string[] = [];
  const sca: string[] = [];
  for (let k = 0; k <= 2 * LIMBS - 2; k++) {
    const v: string[] = [];
    const c: string[] = [];
    for (let i = Math.max(0, k - (LIMBS - 1)); 2 * i < k; i++) {
      v.push(`i64x2.extmul_low_i32x4_u(vd${i}, va${k - i})`);
      c.push(`cd${i} * ca${k - i}`);
    }
    if (k % 2 === 0) {
      v.push(`i64x2.extmul_low_i32x4_u(va${k / 2}, va${k / 2})`);
      c.push(`ca${k / 2} * ca${k / 2}`);
    }
    vec.push(`  let v${k} = ${v.reduce((acc, t) => `i64x2.add(${acc}, ${t})`)};`);
    sca.push(`  let c${k}: u64 = ${c.join(' + ')};`);
  }
  for (let i = 0; i < LIMBS; i++) {
    vec.push(`  vq = v128.and(i32x4.mul(v${i}, VMU), VQMASK);`);
    sca.push(`  cq = ((c${i} & ${m}) * ${mu}) & ${m};`);
    vec.push('  vq = i8x16.shuffle(vq, vq, 0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11);');
    sca.push(`  c${i + 1} += (c${i} + cq * ${P[0]}) >> ${LIMB_BITS};`);
    vec.push(`  v${i + 1} = i64x2.add(v${i + 1}, i64x2.shr_u(i64x2.add(v${i}, i64x2.extmul_low_i32x4_u(vq, VP0)), ${LIMB_BITS}));`);
    sca.push('');
    for (let j = 1; j < LIMBS; j++) {
      vec.push(`  v${i + j} = i64x2.add(v${i + j}, i64x2.extmul_low_i32x4_u(vq, VP${j}));`);
      sca.push(`  c${i + j} += cq * ${P[j]};`);
    }
  }
  const body: string[] = [];
  for (let k = 0; k < Math.max(vec.length, sca.length); k++) {
    if (k < vec.length) body.push(vec[k]);
    if (k < sca.length && sca[k] !== '') body.push(sca[k]);
  }
  const carry = (col: (k: number) => string, out: string): string[] => {
    const lines = [`  u = ${col(LIMBS)};`];
    for (let j = 0; j < LIMBS - 1; j++) {
      lines.push(`  store<u32>(${out}, <u32>(u & ${m}), ${4 * j});`);
      lines.push(j < LIMBS - 2 ? `  u = ${col(LIMBS + j + 1)} + (u >> ${LIMB_BITS});` : `  store<u32>(${out}, <u32>(u >> ${LIMB_BITS}), ${4 * (LIMBS - 1)});`);
    }
    return lines;
  };
  return `/** o1 = a1², o2 = a2², o3 = a3² (Montgomery), as ${name}_sqr; outputs may alias inputs. */
export function ${name}_sqr3(o1: usize, a1: usize, o2: usize, a2: usize, o3: usize, a3: usize): void {
${range(LIMBS).map((i) => `  const va${i} = i32x4.replace_lane(i32x4.splat(load<u32>(a1, ${4 * i})), 1, load<u32>(a2, ${4 * i}));`).join('\n')}
${range(LIMBS).map((i) => `  const vd${i} = i32x4.shl(va${i}, 1);`).join('\n')}
${range(LIMBS).map((i) => `  const ca${i} = <u64>load<u32>(a3, ${4 * i});`).join('\n')}
${range(LIMBS).map((i) => `  const cd${i} = ca${i} << 1;`).join('\n')}
  let vq: v128, cq: u64;
${body.join('\n')}
  let u: u64;
${carry((k) => `<u64>i64x2.extract_lane(v${k}, 0)`, 'o1').join('\n')}
${carry((k) => `<u64>i64x2.extract_lane(v${k}, 1)`, 'o2').join('\n')}
${carry((k) => `c${k}`, 'o3').join('\n')}
}`;
}
