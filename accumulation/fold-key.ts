/**
 * The fold key descriptor: everything the folder needs from a protocol (docs/folding.md §3–§4).
 *
 * For each equation `k` of degree `d_k` it lists the **homogenized monomials** — a monomial of degree
 * `j` is multiplied by `μ^(d_k − j)`, so `F_k(x, μ)` is homogeneous of degree `d_k` — and the **cells**
 * its error `E_k` lives in: one G1 cell per public G2 point `Q`, one G2 cell per public G1 point `P` that
 * meets a G2 slot, one GT cell for slot×slot pairings, one Fr cell for a field equation.
 *
 * Leaves of one fold key must share slots, equations and public points: the descriptor carries a
 * fingerprint (Keccak-256 of its canonical encoding, public points by key **and** value) and
 * {@link descriptorsByFoldKey} rejects a leaf whose fingerprint differs.
 * @module
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { G1Point, G2Point } from '../src/curve';
import { ByteReader, ByteWriter } from '../src/encoding/bytes';
import { decodeFr, decodeG1, decodeG2, encodeFr, encodeG1, encodeG2, G1_BYTES, G2_BYTES } from '../src/encoding/points';
import {
  EquationError,
  equationDegree,
  monomialDegree,
  type Equation,
  type FieldMonomial,
  type G1Factor,
  type G2Factor,
  type PairingMonomial,
  type SlotDecl,
  type SlotOrigin,
  type SlotSort,
  validateEquations,
} from '../src/equations/equation';
import type { Protocol } from '../blocks/protocol';
import { validateProtocol } from '../blocks/protocol';

/** A public G1 point with the key that groups it in a multi-pairing: its canonical encoding, so equal points share a Miller loop whatever their names. */
export interface PublicG1Ref {
  readonly key: string;
  readonly point: G1Point;
  readonly group: string;
}
/** A public G2 point; see {@link PublicG1Ref}. */
export interface PublicG2Ref {
  readonly key: string;
  readonly point: G2Point;
  readonly group: string;
}

/** Where (part of) an equation's error lives. */
export type CellDecl =
  | { readonly kind: 'g1'; readonly q: PublicG2Ref }
  | { readonly kind: 'g2'; readonly p: PublicG1Ref }
  | { readonly kind: 'gt' }
  | { readonly kind: 'fr' };

/** One factor of a homogenized monomial; the monomial is `coeff · Π factors` (pairing factors bilinearly). */
export type Factor =
  | { readonly kind: 'fr'; readonly slot: string }
  | { readonly kind: 'mu' }
  | { readonly kind: 'g1'; readonly slot: string }
  | { readonly kind: 'g2'; readonly slot: string };

/**
 * A homogenized monomial `coeff · μ^muPower · Π scalars · [e(P, Q)]` with exactly `d_k` factors;
 * `p`/`q` are set (slot name or public point) for a pairing monomial. `cell` indexes the equation's cells.
 */
export interface HomogeneousMonomial {
  readonly coeff: bigint;
  readonly factors: readonly Factor[];
  readonly p?: string | PublicG1Ref;
  readonly q?: string | PublicG2Ref;
  readonly cell: number;
}

/** An equation as the folder sees it. */
export interface EquationShape {
  readonly name: string;
  readonly kind: 'pairing' | 'field';
  /** `d_k ≥ 1`. */
  readonly degree: number;
  readonly cells: readonly CellDecl[];
  readonly monomials: readonly HomogeneousMonomial[];
}

/** Everything the folder, fold verifier and decider need about one fold key. */
export interface FoldKeyDescriptor {
  readonly foldKey: string;
  readonly maxDegree: number;
  readonly slots: readonly SlotDecl[];
  readonly equations: readonly EquationShape[];
  /** Canonical encoding of slots and equations (sent to fold workers). */
  readonly wire: Uint8Array;
  /** Hex Keccak-256 of {@link wire}. */
  readonly fingerprint: string;
}

function g1Ref(f: { key: string; point: G1Point }): PublicG1Ref {
  return { key: f.key, point: f.point, group: 'g1:' + bytesToHex(encodeG1(f.point)) };
}
function g2Ref(f: { key: string; point: G2Point }): PublicG2Ref {
  return { key: f.key, point: f.point, group: 'g2:' + bytesToHex(encodeG2(f.point)) };
}

/** Public points met so far in one descriptor: a key names exactly one point. */
class PublicPoints {
  private readonly g1 = new Map<string, PublicG1Ref>();
  private readonly g2 = new Map<string, PublicG2Ref>();
  constructor(private readonly foldKey: string) {}

  g1Of(f: { key: string; point: G1Point }): PublicG1Ref {
    const ref = g1Ref(f);
    const seen = this.g1.get(f.key);
    if (seen && seen.group !== ref.group) throw new EquationError(`${this.foldKey}: public G1 key "${f.key}" names two different points`);
    this.g1.set(f.key, ref);
    return ref;
  }
  g2Of(f: { key: string; point: G2Point }): PublicG2Ref {
    const ref = g2Ref(f);
    const seen = this.g2.get(f.key);
    if (seen && seen.group !== ref.group) throw new EquationError(`${this.foldKey}: public G2 key "${f.key}" names two different points`);
    this.g2.set(f.key, ref);
    return ref;
  }
}

function shapeEquation(eq: Equation, points: PublicPoints, foldKey: string): EquationShape {
  const degree = equationDegree(eq);
  if (degree < 1) throw new EquationError(`${foldKey}: equation "${eq.name}" has no slot (degree 0): it cannot be relaxed`);
  const cells: CellDecl[] = [];
  const cellIndex = new Map<string, number>();
  const cellOf = (id: string, decl: CellDecl) => {
    let i = cellIndex.get(id);
    if (i === undefined) {
      i = cells.length;
      cells.push(decl);
      cellIndex.set(id, i);
    }
    return i;
  };
  const monomials = eq.terms.map((m): HomogeneousMonomial => {
    const mu: Factor[] = Array.from({ length: degree - monomialDegree(m) }, () => ({ kind: 'mu' }) as const);
    const scalars: Factor[] = m.scalars.map((slot) => ({ kind: 'fr', slot }));
    if (eq.kind === 'field') return { coeff: m.coeff, factors: [...scalars, ...mu], cell: cellOf('fr', { kind: 'fr' }) };
    const pm = m as PairingMonomial;
    const p = typeof pm.g1 === 'string' ? pm.g1 : points.g1Of(pm.g1);
    const q = typeof pm.g2 === 'string' ? pm.g2 : points.g2Of(pm.g2);
    const groupFactors: Factor[] = [];
    if (typeof p === 'string') groupFactors.push({ kind: 'g1', slot: p });
    if (typeof q === 'string') groupFactors.push({ kind: 'g2', slot: q });
    let cell: number;
    if (typeof q !== 'string') cell = cellOf(q.group, { kind: 'g1', q });
    else if (typeof p !== 'string') cell = cellOf(p.group, { kind: 'g2', p });
    else cell = cellOf('gt', { kind: 'gt' });
    return { coeff: pm.coeff, factors: [...scalars, ...groupFactors, ...mu], p, q, cell };
  });
  return { name: eq.name, kind: eq.kind, degree, cells, monomials };
}

function writeG1Factor(w: ByteWriter, f: G1Factor): void {
  if (typeof f === 'string') w.u8(0).string(f);
  else w.u8(1).string(f.key).write(encodeG1(f.point));
}
function writeG2Factor(w: ByteWriter, f: G2Factor): void {
  if (typeof f === 'string') w.u8(0).string(f);
  else w.u8(1).string(f.key).write(encodeG2(f.point));
}

const SORTS: readonly SlotSort[] = ['g1', 'g2', 'fr'];
const ORIGINS: readonly SlotOrigin[] = ['statement', 'message', 'challenge', 'derived'];

/** Canonical encoding of a fold key's slots and equations (public points by key and value). */
function encodeFoldKeyData(foldKey: string, maxDegree: number, slots: readonly SlotDecl[], equations: readonly Equation[]): Uint8Array {
  const w = new ByteWriter();
  w.string(foldKey).u8(maxDegree).u32(slots.length);
  for (const s of slots) w.string(s.name).u8(SORTS.indexOf(s.sort)).u8(ORIGINS.indexOf(s.origin));
  w.u32(equations.length);
  for (const eq of equations) {
    w.string(eq.name).u8(eq.kind === 'pairing' ? 0 : 1).u32(eq.terms.length);
    for (const m of eq.terms) {
      w.write(encodeFr(m.coeff)).u32(m.scalars.length);
      for (const s of m.scalars) w.string(s);
      if (eq.kind === 'pairing') {
        writeG1Factor(w, (m as PairingMonomial).g1);
        writeG2Factor(w, (m as PairingMonomial).g2);
      }
    }
  }
  return w.bytes();
}

/** Builds a descriptor from slots and equations (validated: sorts, degrees ≤ maxDegree ≤ 3, public points). */
export function descriptorFromEquations(foldKey: string, maxDegree: number, slots: readonly SlotDecl[], equations: readonly Equation[]): FoldKeyDescriptor {
  if (!Number.isInteger(maxDegree) || maxDegree < 1 || maxDegree > 3) throw new EquationError(`${foldKey}: maximum degree ${maxDegree} outside 1..3`);
  validateEquations(slots, equations, maxDegree);
  const points = new PublicPoints(foldKey);
  const shaped = equations.map((eq) => shapeEquation(eq, points, foldKey));
  const wire = encodeFoldKeyData(foldKey, maxDegree, slots, equations);
  return { foldKey, maxDegree, slots, equations: shaped, wire, fingerprint: bytesToHex(keccak_256(wire)) };
}

const cache = new WeakMap<Protocol, FoldKeyDescriptor>();

/** The descriptor of a protocol, after {@link validateProtocol} (degree ≤ 3, schedule well formed); cached per protocol object. */
export function descriptorOf(protocol: Protocol): FoldKeyDescriptor {
  let d = cache.get(protocol);
  if (!d) {
    validateProtocol(protocol);
    cache.set(protocol, (d = descriptorFromEquations(protocol.foldKey, protocol.maxDegree, protocol.slots, protocol.equations)));
  }
  return d;
}

/** Rebuilds a descriptor from {@link FoldKeyDescriptor.wire} (in a fold worker). */
export function descriptorFromWire(wire: Uint8Array): FoldKeyDescriptor {
  const r = new ByteReader(wire);
  const foldKey = r.string('fold key');
  const maxDegree = r.u8('max degree');
  const slots: SlotDecl[] = [];
  for (let n = r.count(1 << 20, 'slot count'), i = 0; i < n; i++) {
    slots.push({ name: r.string('slot name'), sort: SORTS[r.u8('sort')], origin: ORIGINS[r.u8('origin')] });
  }
  const equations: Equation[] = [];
  for (let n = r.count(1 << 20, 'equation count'), i = 0; i < n; i++) {
    const name = r.string('equation name');
    const kind = r.u8('equation kind') === 0 ? 'pairing' : 'field';
    const terms: (PairingMonomial | FieldMonomial)[] = [];
    for (let t = r.count(1 << 24, 'term count'), j = 0; j < t; j++) {
      const coeff = decodeFr(r.take(32, 'coefficient'));
      const scalars: string[] = [];
      for (let s = r.count(3, 'scalar count'), k = 0; k < s; k++) scalars.push(r.string('scalar'));
      if (kind === 'field') {
        terms.push({ coeff, scalars });
        continue;
      }
      const g1: G1Factor = r.u8('g1 tag') === 0 ? r.string('g1 slot') : { key: r.string('g1 key'), point: decodeG1(r.take(G1_BYTES)) };
      const g2: G2Factor = r.u8('g2 tag') === 0 ? r.string('g2 slot') : { key: r.string('g2 key'), point: decodeG2(r.take(G2_BYTES)) };
      terms.push({ coeff, scalars, g1, g2 });
    }
    equations.push(kind === 'pairing' ? { kind, name, terms: terms as PairingMonomial[] } : { kind, name, terms });
  }
  r.finish('fold key descriptor');
  return descriptorFromEquations(foldKey, maxDegree, slots, equations);
}

/**
 * Groups protocols by fold key (in order of first appearance) with one descriptor per key; throws an
 * {@link EquationError} when two protocols of one key differ in slots, equations or public points.
 */
export function descriptorsByFoldKey(protocols: readonly Protocol[]): Map<string, FoldKeyDescriptor> {
  const out = new Map<string, FoldKeyDescriptor>();
  for (const p of protocols) {
    const d = descriptorOf(p);
    const first = out.get(p.foldKey);
    if (!first) out.set(p.foldKey, d);
    else if (first.fingerprint !== d.fingerprint)
      throw new EquationError(`${p.foldKey}: leaves of one fold key differ in slots, equations or public points`);
  }
  return out;
}
