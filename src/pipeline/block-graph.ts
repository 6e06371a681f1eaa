/**
 * The block graph: global tensors and the block instances that constrain them.
 *
 * Every tensor is one of: a public `input` or `output` of the model (the verifier commits to the claimed
 * values itself), a `weight` (committed once at setup, part of the model commitment), or a `wire` (an
 * intermediate value committed by the prover). Every `output` and `wire` tensor must be written by exactly
 * one block, and every tensor must be read or written by some block: {@link validateBlockGraph} refuses a
 * graph with an unconstrained value (docs/soundness.md rule 6).
 * @module
 */
import type { Block, DifferenceRange, OpeningRotations, TensorRange } from '../../blocks/block';
import { BASE_OPENING_POINTS, blindingCoefficients, hidingSrsSlack } from '../../blocks/hiding';
import { LookupBlock } from '../../blocks/lookup';
import { distinctOpeningPoints, type OpeningPoint } from '../../blocks/opening-point';
import { rowSlot } from '../../blocks/poly-iop';
import { RangeBlock } from '../../blocks/range';
import { tableDomain } from '../../blocks/tables';
import { BlockfoldError } from '../errors';
import { graphRelations, type RowRelation } from './row-relations';

/** Where a tensor's commitment comes from. */
export type TensorKind = 'input' | 'output' | 'weight' | 'wire';

/** A tensor of the block graph: `rows` rows, each committed over a domain of size `domain`. */
export interface GraphTensor {
  readonly id: string;
  readonly kind: TensorKind;
  readonly rows: number;
  readonly domain: number;
}

/** A block instance and the global tensor bound to each of its tensor names. */
export interface BlockNode {
  readonly block: Block;
  /** `block tensor name → global tensor id`. */
  readonly bind: Readonly<Record<string, string>>;
}

/** The compiled block graph, in proving order. */
export interface BlockGraph {
  readonly tensors: readonly GraphTensor[];
  readonly nodes: readonly BlockNode[];
}

/** A block graph that is inconsistent or leaves a value unconstrained. */
export class BlockGraphError extends BlockfoldError {
  constructor(message: string) {
    super('COMPILE', message);
  }
}

/**
 * Checks shapes and constraint coverage: each bound tensor exists with the rows and domain the block
 * declares, each `output`/`wire` tensor is written by exactly one block, `input`/`weight` tensors are never
 * written, a tensor a block declares `fixed` is a weight (a block may rely on the model commitment for it,
 * docs/soundness.md rule 5), and no tensor is left untouched. Order does not matter for soundness: every commitment is in the
 * transcript before any block's first challenge.
 */
export function validateBlockGraph(g: BlockGraph): void {
  const byId = new Map(g.tensors.map((t) => [t.id, t]));
  if (byId.size !== g.tensors.length) throw new BlockGraphError('duplicate tensor ids in the block graph');
  const written = new Map<string, number>();
  const touched = new Set<string>();
  g.nodes.forEach((node, i) => {
    const where = `block ${i} (${node.block.foldKey})`;
    for (const spec of node.block.tensors) {
      const id = node.bind[spec.name];
      if (id === undefined) throw new BlockGraphError(`${where}: tensor "${spec.name}" is not bound`);
      const t = byId.get(id);
      if (!t) throw new BlockGraphError(`${where}: tensor "${spec.name}" bound to unknown tensor "${id}"`);
      if (t.rows !== spec.rows || t.domain !== spec.domain)
        throw new BlockGraphError(`${where}: tensor "${id}" is ${t.rows}×${t.domain}, the block expects ${spec.rows}×${spec.domain}`);
      touched.add(id);
      if (spec.fixed && t.kind !== 'weight')
        throw new BlockGraphError(`${where}: fixed tensor "${spec.name}" is bound to ${t.kind} tensor "${id}"; only a weight is bound by the model commitment`);
      if (spec.role === 'output') {
        if (t.kind === 'input' || t.kind === 'weight') throw new BlockGraphError(`${where}: writes ${t.kind} tensor "${id}"`);
        if (written.has(id)) throw new BlockGraphError(`${where}: tensor "${id}" is already written by block ${written.get(id)}`);
        written.set(id, i);
      }
    }
  });
  for (const t of g.tensors) {
    if (!touched.has(t.id)) throw new BlockGraphError(`tensor "${t.id}" is not constrained by any block`);
    if ((t.kind === 'wire' || t.kind === 'output') && !written.has(t.id))
      throw new BlockGraphError(`${t.kind} tensor "${t.id}" is never written by a block: its value would be unconstrained`);
  }
  checkRangeObligations(g);
}

/** An interval, as the graph knows it for some cells of a tensor. */
interface Interval {
  readonly lo: bigint;
  readonly hi: bigint;
}

/** The facts about one tensor: `cells → [lo, hi]`, each holding on cells `0 … cells − 1` of every row. */
type CellFacts = Map<number, Interval>;

/**
 * What the facts say about cells `0 … cells − 1`: every fact on at least that many cells holds there, so their
 * intersection does; facts on fewer cells say nothing about the last ones.
 */
function rangeOn(facts: CellFacts | undefined, cells: number): Interval | undefined {
  let out: Interval | undefined;
  for (const [c, r] of facts ?? []) {
    if (c < cells) continue;
    out = out ? { lo: r.lo > out.lo ? r.lo : out.lo, hi: r.hi < out.hi ? r.hi : out.hi } : r;
  }
  return out;
}

/**
 * The ranges the graph proves, by global tensor id: facts of the blocks' `provenRanges`, iterated to a fixed
 * point (a limb split proves its input's range once its limbs' ranges are proven). Each fact says which cells
 * of each row it covers ({@link TensorRange}); facts on the same cells intersect. A block is shown, for each
 * cell count some fact of its tensors has, what holds on that many cells.
 */
export function provenRanges(g: BlockGraph): Map<string, TensorRange[]> {
  const known = new Map<string, CellFacts>();
  for (let changed = true, round = 0; changed && round < 64; round++) {
    changed = false;
    for (const node of g.nodes) {
      if (!node.block.provenRanges) continue;
      const bound = Object.entries(node.bind);
      const counts = new Set(bound.flatMap(([, id]) => [...(known.get(id)?.keys() ?? [])]));
      for (const cells of counts.size > 0 ? counts : [0]) {
        const local = new Map<string, TensorRange>();
        for (const [name, id] of bound) {
          const r = rangeOn(known.get(id), cells);
          if (r) local.set(name, { tensor: name, ...r, cells });
        }
        for (const r of node.block.provenRanges(local)) {
          const id = node.bind[r.tensor];
          let facts = known.get(id);
          if (!facts) known.set(id, (facts = new Map()));
          const old = facts.get(r.cells);
          const next = old ? { lo: r.lo > old.lo ? r.lo : old.lo, hi: r.hi < old.hi ? r.hi : old.hi } : { lo: r.lo, hi: r.hi };
          if (!old || next.lo !== old.lo || next.hi !== old.hi) {
            facts.set(r.cells, next);
            changed = true;
          }
        }
      }
    }
  }
  const out = new Map<string, TensorRange[]>();
  for (const [id, facts] of known) out.set(id, [...facts].map(([cells, r]) => ({ tensor: id, ...r, cells })));
  return out;
}

/**
 * Refuses a graph in which a block's range obligation (a rescale remainder, a max difference) is not proven on
 * every cell it covers, or a difference obligation (`Block.differenceObligations`) is not proven of the same two global
 * tensors and power, within its interval, by some block's `provenDifferenceRanges`.
 */
function checkRangeObligations(g: BlockGraph): void {
  const known = provenRanges(g);
  const differenceKey = (bind: Readonly<Record<string, string>>, d: DifferenceRange) => JSON.stringify([bind[d.minuend], bind[d.subtrahend], d.power]);
  const differences = new Map<string, DifferenceRange[]>();
  for (const node of g.nodes)
    for (const d of node.block.provenDifferenceRanges?.() ?? []) {
      const key = differenceKey(node.bind, d);
      differences.set(key, [...(differences.get(key) ?? []), d]);
    }
  g.nodes.forEach((node, i) => {
    for (const ob of node.block.differenceObligations?.() ?? []) {
      const facts = differences.get(differenceKey(node.bind, ob)) ?? [];
      if (!facts.some((f) => f.lo >= ob.lo && f.hi <= ob.hi))
        throw new BlockGraphError(
          `block ${i} (${node.block.foldKey}) needs "${node.bind[ob.minuend]}"(X^${ob.power}) − "${node.bind[ob.subtrahend]}" in [${ob.lo}, ${ob.hi}] on every cell; the graph proves ${facts.length > 0 ? facts.map((f) => `[${f.lo}, ${f.hi}]`).join(', ') : 'no range'} there`,
        );
    }
    for (const ob of node.block.rangeObligations?.() ?? []) {
      const id = node.bind[ob.tensor];
      const facts = new Map((known.get(id) ?? []).map((f) => [f.cells, f]));
      const f = rangeOn(facts, ob.cells);
      if (!f || f.lo < ob.lo || f.hi > ob.hi)
        throw new BlockGraphError(
          `block ${i} (${node.block.foldKey}) needs "${id}" in [${ob.lo}, ${ob.hi}] on ${ob.cells} cells of each row; the graph proves ${f ? `[${f.lo}, ${f.hi}]` : 'no range'} there`,
        );
    }
  });
}

/**
 * The size N of the range table the graph's range blocks check through (`blocks/range.ts`, one per compiled model),
 * or undefined when it has none. The key holds one table, so range blocks of two sizes are a {@link BlockGraphError}.
 */
export function rangeTableSize(g: Pick<BlockGraph, 'nodes'>): number | undefined {
  const sizes = new Set(g.nodes.flatMap((n) => (n.block instanceof RangeBlock ? [n.block.size] : [])));
  if (sizes.size > 1) throw new BlockGraphError(`range blocks of ${[...sizes].join(' and ')} entries: a key holds one range table`);
  return sizes.values().next().value;
}

/**
 * The largest domain of a graph: of its blocks' tensors (every tensor of a valid graph is bound by some block, at its
 * own domain: {@link validateBlockGraph}), and of its lookup tables (each a public polynomial on its own domain).
 */
export function largestDomain(g: Pick<BlockGraph, 'nodes'>): number {
  // A loop, not Math.max(...): a spread passes one argument per tensor, which a large (or hostile) graph would overflow.
  let n = 1;
  for (const { block } of g.nodes) {
    for (const t of block.tensors) n = Math.max(n, t.domain);
    if (block instanceof LookupBlock) n = Math.max(n, tableDomain(block.table));
  }
  return n;
}

/**
 * The most points at which the argument opens one polynomial a block commits itself, on a graph whose largest domain
 * is N: `max(N, 2) + log2(N)`. A polynomial of H_m is opened at ζ, at `ω_m^s·ζ` for each distinct rotation s, which
 * the compiler normalizes into [1, m) (s = 1 on H_1), and at `ζ^k` for each read `f(X^k)` in an identity on
 * H_(k·m), k a power of two ≥ 2 as both domains are: with identities on domains up to N, ζ, at most `max(N, 2) − 1`
 * rotations and `log2(N)` powers. The protocol itself does not bound the domains of a block's identities (a block
 * may check one on a domain none of its tensors has); N is the bound the key is sized for (`2N + hidingSrsSlack(c)`
 * powers, the quotients of degree-3 identities on H_N: {@link keyG1Powers}) and the one the rows' points obey (a
 * rotation of a row of H_n is in [1, n), n ≤ N: {@link checkedOpeningPoint}), so a block's own polynomials are held to
 * it too. A count beyond it sizes blinding, and the key's SRS (about three powers of τ per point), for points no proof
 * opens.
 */
function mostOwnPoints(largest: number): number {
  return Math.max(largest, BASE_OPENING_POINTS) + Math.floor(Math.log2(largest));
}

/** Where a graph's polynomials are opened besides ζ ({@link graphOpenings}). */
export interface GraphOpenings {
  /** By global row (`<tensor id>/<row>`): its distinct points, for every row opened at some or tied to one that is. */
  readonly rows: ReadonlyMap<string, readonly OpeningPoint[]>;
  /** The most points (ζ included) at which a polynomial a block commits itself is opened (1 when none is rotated). */
  readonly ownPoints: number;
}

/**
 * Where the polynomials of a graph are opened, from each node's {@link OpeningRotations} (`rotationsOf(i)`; undefined:
 * none): a global row at the union of the rotations of every block reading its tensor (the model argument opens one
 * polynomial once per point), joined over the rows `relations` tie: a row whose blinding the solver ties to others'
 * (`b_y = c·b_x`, `row-blinding.ts`) reveals, where it is opened, a combination of theirs, so their blindings must
 * hide the union of their points. The one count of the rows' points: the key sizes its SRS by it
 * ({@link graphBlindingCoefficients}, from the blocks' declared rotations) and the prover blinds each row by it
 * (`src/pipeline/prove-verify.ts`, from the blocks' specs).
 *
 * `Block.openingRotations` is implemented by custom blocks, so each point is checked where it is read
 * ({@link checkedOpeningPoint}): a point that is not one would size a blinding for points the proof never opens, or
 * too few for those it does, and is a {@link BlockGraphError} naming the block and the tensor. So is an `ownPoints`
 * beyond the most points at which the argument opens a polynomial on the graph's domains ({@link mostOwnPoints}),
 * naming the block.
 */
export function graphOpenings(nodes: readonly BlockNode[], rotationsOf: (i: number) => OpeningRotations | undefined, relations: readonly RowRelation[]): GraphOpenings {
  const pointsByRow = new Map<string, OpeningPoint[]>();
  const pointsOf = (row: string) => pointsByRow.get(row) ?? pointsByRow.set(row, []).get(row)!;
  let ownPoints = 1;
  const largest = largestDomain({ nodes });
  const most = mostOwnPoints(largest);
  nodes.forEach((node, i) => {
    const declared = rotationsOf(i);
    if (!declared) return;
    const block = `block ${i} (${node.block.foldKey})`;
    if (typeof declared.rows !== 'object' || declared.rows === null || !Number.isSafeInteger(declared.ownPoints) || declared.ownPoints < 1)
      throw new BlockGraphError(`${block}: its openings are { rows: points by tensor, ownPoints: an integer ≥ 1 }, got ${described(declared)}`);
    if (declared.ownPoints > most)
      throw new BlockGraphError(`${block}: its openings count ${declared.ownPoints} points for a polynomial of its own, but the argument opens one at ${most} at most on this graph (largest domain H_${largest})`);
    ownPoints = Math.max(ownPoints, declared.ownPoints);
    for (const [tensor, listed] of Object.entries(declared.rows)) {
      // A rotation declared under a name the block does not bind would size no row: refused, not ignored.
      const spec = node.block.tensors.find((t) => t.name === tensor);
      if (!spec || node.bind[tensor] === undefined)
        throw new BlockGraphError(`${block} declares rotations of "${tensor}", which is not one of its bound tensors (${node.block.tensors.map((t) => t.name).join(', ')})`);
      const where = `${block}, tensor "${tensor}"`;
      if (!Array.isArray(listed)) throw new BlockGraphError(`${where}: its opening points must be a list, got ${described(listed)}`);
      const points = distinctOpeningPoints(listed.map((p) => checkedOpeningPoint(where, p, spec.domain)));
      if (points.length > 0) for (let r = 0; r < spec.rows; r++) pointsOf(rowSlot(node.bind[tensor], r)).push(...points);
    }
  });
  // Union-find over the rows the relations tie, then each component's union of rotations.
  const parent = new Map<string, string>();
  const find = (row: string): string => {
    let root = row;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    for (let r = row; r !== root; ) {
      const next = parent.get(r)!;
      parent.set(r, root);
      r = next;
    }
    return root;
  };
  for (const rel of relations) {
    for (const t of rel.terms) if (!parent.has(t.row)) parent.set(t.row, t.row);
    for (const t of rel.terms.slice(1)) parent.set(find(t.row), find(rel.terms[0].row));
  }
  const byRoot = new Map<string, OpeningPoint[]>();
  for (const [row, ss] of pointsByRow) {
    const root = find(row);
    (byRoot.get(root) ?? byRoot.set(root, []).get(root)!).push(...ss);
  }
  const distinct = new Map([...byRoot].map(([root, ss]) => [root, distinctOpeningPoints(ss)]));
  const rows = new Map<string, OpeningPoint[]>();
  for (const row of new Set([...pointsByRow.keys(), ...parent.keys()])) {
    const ss = distinct.get(find(row));
    if (ss && ss.length > 0) rows.set(row, ss);
  }
  return { rows, ownPoints };
}

/**
 * A point a block declares for a tensor of domain n, as the compiler can open one: the rotation `ω_n^s·ζ` for an
 * integer s ∈ [1, n) (rotations are normalized mod n; on H_1, where `ω_1 = 1`, the one nonzero rotation is s = 1), or
 * the composition point `ζ^k` for an integer k ≥ 2 (k = 1 is the plain read at ζ). Anything else, a raw number among
 * them (what `−2` would mean, `ω^(−2)·ζ` or `ζ^2`, is the block's guess), is a {@link BlockGraphError} naming `where`.
 */
function checkedOpeningPoint(where: string, p: unknown, n: number): OpeningPoint {
  const point = p as Partial<Record<'kind' | 'rotation' | 'power', unknown>> | null;
  const refuse = (why: string): never => {
    throw new BlockGraphError(`${where}: ${described(p)} is no opening point: ${why}`);
  };
  if (typeof point !== 'object' || point === null) return refuse(`a point is { kind: 'rotation', rotation: s } or { kind: 'power', power: k }`);
  if (point.kind === 'rotation') {
    const s = point.rotation;
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 1 || s >= Math.max(n, 2)) return refuse(n === 1 ? 'the one rotation on H_1 is 1' : `a rotation on H_${n} is an integer in [1, ${n})`);
    return { kind: 'rotation', rotation: s };
  }
  if (point.kind === 'power') {
    const k = point.power;
    if (typeof k !== 'number' || !Number.isSafeInteger(k) || k < 2) return refuse('a power is an integer k ≥ 2 (k = 1 is the plain read at ζ)');
    return { kind: 'power', power: k };
  }
  return refuse(`its kind is 'rotation' or 'power'`);
}

/** A declared value as a message shows it: JSON for an object (bigints written `…n`; one JSON cannot write, by its kind). */
function described(v: unknown): string {
  if (typeof v !== 'object' || v === null) return typeof v === 'string' ? JSON.stringify(v) : String(v);
  try {
    return JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
  } catch {
    return Array.isArray(v) ? 'an array' : 'an object';
  }
}

/**
 * The most blinding coefficients a polynomial of the graph takes (`blocks/hiding.ts`): `blindingCoefficients(e)` for the
 * most points e at which one is opened ({@link graphOpenings} of the rotations its blocks declare,
 * `Block.openingRotations`, every relation of the graph tying rows), and at least the {@link BASE_OPENING_POINTS}
 * every graph holds (3 coefficients).
 */
export function graphBlindingCoefficients(g: Pick<BlockGraph, 'nodes'>): number {
  const cached = blindingCounts.get(g);
  if (cached !== undefined) return cached;
  const { rows, ownPoints } = graphOpenings(g.nodes, (i) => g.nodes[i].block.openingRotations?.(), graphRelations(g));
  let points = Math.max(BASE_OPENING_POINTS, ownPoints);
  for (const ss of rows.values()) points = Math.max(points, 1 + ss.length);
  const count = blindingCoefficients(points);
  blindingCounts.set(g, count);
  return count;
}

/** One count per graph: the prover, the verifier and the key each ask for it, and it reads every block's spec. */
const blindingCounts = new WeakMap<Pick<BlockGraph, 'nodes'>, number>();

/**
 * The G1 powers of τ a key of the graph holds: `2·(largest domain) + hidingSrsSlack(c)`, c its
 * {@link graphBlindingCoefficients}, what its blinded quotients of degree 3 need, or more when a block's quotient asks
 * for more (`Block.quotientPowers`: a segment max reading its output composed, `blocks/segment-max.ts`).
 */
export function keyG1Powers(g: BlockGraph): number {
  const c = graphBlindingCoefficients(g);
  let powers = 2 * largestDomain(g) + hidingSrsSlack(c);
  for (const { block } of g.nodes) powers = Math.max(powers, block.quotientPowers?.(c) ?? 0);
  return powers;
}

/**
 * The G1 powers of τ the SRS of a graph's setup must hold: the key's ({@link keyG1Powers}), and N + 2 for a range table of
 * N entries (`τ·Z_S` has degree N + 1, `src/srs/range-basis.ts`), whose basis the key holds instead of those powers.
 */
export function srsG1PowersOf(g: BlockGraph): number {
  return Math.max(keyG1Powers(g), (rangeTableSize(g) ?? -2) + 2);
}
