/**
 * Stacked commitments (fflonk, Gabizon–Khovratovich, ePrint 2021/1167): k polynomials `t_0 … t_(k−1)` committed as one
 * `C(X) = Σ_{j<k} X^j·t_j(X^k)`.
 *
 * **Binding.** Every exponent e of C is `i·k + j` for exactly one pair (i, j) with j < k, so coefficient `i·k + j` of C
 * is coefficient i of t_j and nothing else: C has exactly one decomposition into k members, and `[C]₁`, which binds C
 * (KZG, q-SDH), binds every member. No two different tuples of members share a stack.
 *
 * **The remainder.** For any z, `X^k ≡ z (mod X^k − z)`, so `C ≡ r(X) := Σ_{j<k} X^j·t_j(z)`, of degree < k: C's
 * remainder by `X^k − z`. Claiming `t_j(z) = y_j` for every member is claiming `C ≡ Σ_j X^j·y_j (mod X^k − z)`, which the
 * multi-point opening checks as one stacked opening (`multi-open.ts`, `DenseOpening.power = k`, at a nonzero z); its
 * verifier reads the claimed remainder at its challenge x only, {@link stackRemainderAt}.
 *
 * **Hiding.** Each member is blinded as `t_j + Z_(H_n)·b_j` before stacking, with as many coefficients as an unstacked
 * row opened at the same points would get (`blocks/hiding.ts`): on H_n it is t_j, so every identity on H_n still holds,
 * and its values at its e opening points together with its share `τ^j·t_j(τ^k)` of the commitment are e + 1
 * evaluations of `Z_(H_n)·b_j` at distinct points (τ^k is none of them and no root of Z_(H_n), but with negligible
 * probability), e + 1 independent uniform combinations of b_j's e + 1 coefficients. So each member's values and share
 * are uniform and independent of its values on H_n and of the other members', and `[C]₁` is the sum of the shares: a
 * member's values at points are hidden as an unstacked row's are.
 *
 * **Committing.** `[C]₁ = Σ_j [τ^j·t_j(τ^k)]₁`, and for `t_j = interpolant(v) + Z_(H_n)·b`,
 * `τ^j·t_j(τ^k) = Σ_i v_i·τ^j·L_i(τ^k) + Σ_m b_m·(τ^(j + k·(n+m)) − τ^(j + k·m))`. With the key's stacked bases
 * (`KzgKey.stackBases`: a development SRS computes them from τ) a stack of members of one domain costs one MSM of their
 * values, short integers for a tensor, plus one of their blindings (`KzgKey.stackVanishingBases`). Without them (a ceremony's file has no such
 * sections) the members are interpolated, blinded, stacked and C is committed over the powers: an inverse transform
 * per member and an MSM of about k·n full-width scalars, most of C's coefficients, so several times slower.
 * @module
 */
import { G1, type G1Point } from '../curve';
import { PolyError, SrsError } from '../errors';
import { R } from '../field';
import { interpolateEach } from '../poly/domain';
import { isPowerOfTwo } from '../poly/roots';
import { addVanishingMultiple } from '../poly/vanishing-multiple';
import { commit } from './commit';
import type { KzgKey } from './key';

/**
 * `C(X) = Σ_{j<k} X^j·t_j(X^k)` for the k = polys.length ≥ 1 members `t_j = polys[j]` (coefficients lowest first):
 * coefficient `i·k + j` of C is `polys[j][i]` (0 past the end of polys[j]). C has k·max_j |t_j| coefficients, trailing
 * zeros not trimmed, so its length depends on the members' lengths only. A {@link PolyError} for no members.
 */
export function stackPolynomials(polys: readonly (readonly bigint[])[]): bigint[] {
  const k = polys.length;
  if (k < 1) throw new PolyError('a stack needs at least one member');
  const length = Math.max(...polys.map((t) => t.length));
  const out = new Array<bigint>(k * length).fill(0n);
  polys.forEach((t, j) => t.forEach((c, i) => (out[i * k + j] = c)));
  return out;
}

/**
 * `r(x) = Σ_{j<k} x^j·values[j] mod r` (Horner's rule; canonical Fr elements in and out), values[j] the claimed `t_j(z)`:
 * the value at x of the remainder a stack of k = values.length members has by `X^k − z` when the claims hold (module
 * comment), what a verifier subtracts for a stacked opening. A {@link PolyError} for no values.
 */
export function stackRemainderAt(values: readonly bigint[], x: bigint): bigint {
  if (values.length === 0) throw new PolyError('a stack needs at least one member value');
  let acc = 0n;
  for (let j = values.length - 1; j >= 0; j--) acc = (acc * x + values[j]) % R;
  return acc;
}

/**
 * A member of a stack: its values on H_n (n = values.length, a power of two) and the coefficients b of its blinding, the
 * member being `t = interpolant(values) + Z_(H_n)·b` (b may be empty: no blinding).
 */
export interface StackMember {
  readonly values: readonly bigint[];
  readonly blinding: readonly bigint[];
}

/**
 * `[C(τ)]₁` over the key's stacked bases, or undefined when it has none for some member's domain, or when they would
 * need more powers than C does (the bases of all k places of n cells, and of the longest blinding in every place,
 * reach beyond C's degree when its last places are empty or its blindings unequal). Members of one domain
 * (a pipeline's stacks) are one MSM of their values over `stackBases(n, k)` and one of their blindings (zero-padded to
 * the longest) over `stackVanishingBases(n, k, count)`; members of several, one pair per member at its place's offset.
 */
async function commitOverBases(key: KzgKey, members: readonly StackMember[], k: number): Promise<G1Point | undefined> {
  const count = Math.max(...members.map((m) => m.blinding.length));
  const powers = key.maxDegree + 1;
  if (members.some((m) => k * m.values.length > powers || (count > 0 && k - 1 + k * (m.values.length + count - 1) >= powers))) return undefined;
  const blinding = async (n: number, ms: readonly StackMember[], first: number): Promise<G1Point> => {
    if (count === 0) return G1.ZERO;
    const scalars = ms.flatMap((m) => [...m.blinding, ...new Array<bigint>(count - m.blinding.length).fill(0n)]);
    return key.engine.msmG1(await key.stackVanishingBases(n, k, count), scalars, first * count);
  };
  const n = members[0].values.length;
  if (members.every((m) => m.values.length === n)) {
    const bases = await key.stackBases(n, k);
    if (bases === undefined) return undefined;
    const [values, blinded] = await Promise.all([key.engine.msmG1(bases, members.flatMap((m) => m.values)), blinding(n, members, 0)]);
    return values.add(blinded);
  }
  const bases = await Promise.all(members.map((m) => key.stackBases(m.values.length, k)));
  if (bases.some((b) => b === undefined)) return undefined;
  const shares = await Promise.all(
    members.map(async (m, j) => {
      const [values, blinded] = await Promise.all([key.engine.msmG1(bases[j]!, m.values, j * m.values.length), blinding(m.values.length, [m], j)]);
      return values.add(blinded);
    }),
  );
  return shares.reduce((acc, p) => acc.add(p), G1.ZERO);
}

/**
 * `[C(τ)]₁ = Σ_j [τ^j·t_j(τ^k)]₁` for `C = Σ_{j<k} X^j·t_j(X^k)`, `t_j = interpolant(members[j].values) + Z_(H_n)·b_j`
 * for j below the member count m ≥ 1 and `t_j = 0` above it (k = `size` ≥ m, default m: a stack's trailing places may
 * be empty; the members may have different domains and blindings). With the key's stacked bases for
 * every member, one MSM of each member's values over `[τ^j·L_i(τ^k)]₁` and one of its blinding over
 * `[τ^(j + k·(n+m))]₁ − [τ^(j + k·m)]₁`; otherwise the coefficients of C over the powers (module comment: slower, the
 * same point). C's degree is read from the members' shapes, `max_j ((n_j + |b_j| − 1)·k + j)` (|t_j| = n_j + |b_j|):
 * an {@link SrsError} when the key has fewer powers than that degree needs, a
 * {@link PolyError} for no members or a member whose value count is not a power of two.
 */
export async function commitStack(key: KzgKey, members: readonly StackMember[], size = members.length): Promise<G1Point> {
  const k = size;
  if (members.length < 1) throw new PolyError('a stack needs at least one member');
  if (!Number.isSafeInteger(k) || k < members.length) throw new PolyError(`a stack of ${members.length} members in ${k} places`);
  members.forEach((m, j) => {
    if (!isPowerOfTwo(m.values.length)) throw new PolyError(`stack member ${j} has ${m.values.length} values, not a power of two`);
  });
  const needed = Math.max(...members.map((m, j) => (m.values.length + m.blinding.length - 1) * k + j + 1));
  if (needed > key.powers.length) throw new SrsError(`a stack of ${k} members needs ${needed} powers of τ, the key has ${key.powers.length}`);
  const overBases = await commitOverBases(key, members, k);
  if (overBases !== undefined) return overBases;
  const interpolants = await interpolateEach(members.map((m) => m.values), key.engine);
  const blinded = interpolants.map((t, j) => addVanishingMultiple(t, members[j].values.length, members[j].blinding));
  const stacked = stackPolynomials([...blinded, ...new Array<bigint[]>(k - members.length).fill([])]);
  return commit(key, stacked.slice(0, needed));
}
