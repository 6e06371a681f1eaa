/**
 * Hadamard product `c = a ∘ b` over m rows on H_n, all rows in one instance.
 *
 * After the statement the verifier draws α. The identity
 *
 * `Σ_i α^i·(a_i(X)·b_i(X) − c_i(X)) = 0` on H_n
 *
 * is proven by the quotient argument (`blocks/poly-iop`): `[t]₁`, evaluations at ζ of the rows the linearization
 * leaves evaluated (in each product one factor; the rows of c and t are linearized, or evaluated where the pipeline
 * stacks them), one opening. Each row of c is read as itself, not through the combination `Σ_i α^i·[C_i]₁` the
 * verifier derived until layout version 14, so a row of c can be stacked (`src/pipeline/stacked-rows.ts`). For a fixed point of H the
 * left side is a polynomial in α of degree < m whose coefficients are the per-row errors `a_ij·b_ij − c_ij`, so it
 * vanishes for a random α only if every row is right (padding included).
 *
 * With fixed weights b (`fixedB`, e.g. the scales of a normalization) no row of b is opened itself: after α the
 * prover sends, per row, `E_i = [Z_H·r_i]₁`, the identity reads the derived `[b̃_i]₁ = [B_i]₁ + E_i`, and the identity
 * `e_i = 0` on H (e_i committed by E_i, never evaluated) makes b̃_i = b_i on H (`blocks/weight-link.ts`), so proofs
 * reveal no evaluation of the weights.
 * @module
 */
import type { G1Point } from '../src/curve';
import type { SlotDecl, SlotValues } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { interpolate } from '../src/poly/interpolate';
import { PolyIopBlock } from './poly-iop-block';
import type { Block, BlockContext, TensorSpec, Tensors } from './block';
import { rowEvaluations } from './commit-rows';
import {
  at,
  type PolyIopProver,
  powers,
  rowSlot,
  rowStatementSlots,
  scalar,
  term,
  type PolyIopSpec,
} from './poly-iop';
import { weightLink, weightLinkProver, type WeightLink } from './weight-link';

/** Shape of a {@link HadamardBlock}. */
export interface HadamardOptions {
  /** Rows of a, b and c. */
  readonly rows: number;
  /** Domain size n of the rows (a power of two). */
  readonly domain: number;
  /** b is committed once at setup (weights) and bound by the model commitment; default false. */
  readonly fixedB?: boolean;
}

const alphaPower = (i: number) => `alpha^${i}`;

/** `c = a ∘ b`; see the module comment. */
export class HadamardBlock extends PolyIopBlock implements Block {
  readonly kind = 'hadamard';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  readonly rows: number;
  readonly domain: number;
  readonly fixedB: boolean;
  protected readonly spec: PolyIopSpec;
  /** With fixed weights, the link of each row of b (blocks/weight-link.ts), indexed by row. */
  private readonly links: readonly WeightLink[];

  constructor(opts: HadamardOptions) {
    super();
    const { rows, domain } = opts;
    if (!Number.isInteger(rows) || rows < 1) throw new BlockfoldError('BLOCK', `hadamard: rows must be a positive integer, got ${rows}`);
    this.rows = rows;
    this.domain = domain;
    this.fixedB = opts.fixedB ?? false;
    this.foldKey = `hadamard/m${rows}/n${domain}${this.fixedB ? '/fixed' : ''}`;
    this.tensors = [
      { name: 'a', rows, domain, role: 'input' },
      { name: 'b', rows, domain, role: 'input', fixed: this.fixedB },
      { name: 'c', rows, domain, role: 'output' },
    ];
    const indices = Array.from({ length: rows }, (_, i) => i);
    // Fixed weights: each row b_i is opened only through a fresh re-randomization b̃_i.
    const links = this.fixedB ? indices.map((i) => weightLink(rowSlot('b', i), domain, () => ({ slots: [rowSlot('b', i)], scalars: [1n] }))) : [];
    const b = (i: number) => links[i]?.oracle ?? { name: rowSlot('b', i), domain, commitment: rowSlot('b', i) };
    this.links = links;
    const linkSlots: SlotDecl[] = links.flatMap((l) => l.slots);
    this.spec = {
      foldKey: this.foldKey,
      statement: rowStatementSlots(this.tensors),
      slots: [
        { name: 'alpha', sort: 'fr', origin: 'challenge' },
        ...indices.map((i) => ({ name: alphaPower(i), sort: 'fr' as const, origin: 'derived' as const })),
        ...linkSlots,
      ],
      rounds: [
        { kind: 'challenge', slots: ['alpha'] },
        {
          kind: 'derived',
          slots: indices.map(alphaPower),
          compute: (v: SlotValues) => {
            const alphas = powers(frSlot(v, 'alpha'), rows);
            return Object.fromEntries(indices.map((i) => [alphaPower(i), alphas[i]]));
          },
        },
        ...(links.length ? [{ kind: 'message' as const, slots: links.map((l) => l.message) }, ...links.flatMap((l) => l.rounds)] : []),
      ],
      oracles: [
        ...indices.flatMap((i) => [
          { name: rowSlot('a', i), domain, commitment: rowSlot('a', i) },
          b(i),
          { name: rowSlot('c', i), domain, commitment: rowSlot('c', i) },
        ]),
        ...links.map((l) => l.vanishing),
      ],
      publics: [],
      identities: [
        {
          name: 'hadamard',
          domain,
          terms: indices.flatMap((i) => [term(1, scalar(alphaPower(i)), at(rowSlot('a', i)), at(rowSlot('b', i))), term(-1, scalar(alphaPower(i)), at(rowSlot('c', i)))]),
        },
        ...links.map((l) => l.identity),
      ],
      ...(links.length ? { selfBlinded: links.flatMap((l) => l.selfBlinded) } : {}),
    };
  }

  /** `c_ij = a_ij·b_ij` over the integers. */
  witness(inputs: Tensors): Tensors {
    const { a, b } = inputs;
    if (!a || !b || a.length !== this.rows || b.length !== this.rows || a.some((r, i) => r.length !== b[i].length))
      throw new BlockfoldError('BLOCK', `hadamard: a and b must have ${this.rows} rows of equal lengths`);
    return { c: a.map((row, i) => row.map((x, j) => x * b[i][j])) };
  }

  /** The block's side of the poly-IOP prover: its own rounds and its oracles' polynomials. */
  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    const n = this.domain;
    const rows = (t: string) => tensors[t].map((r) => rowEvaluations(r, n));
    // r_i keyed by α, which differs between members whp, and by the row, so no two links share r.
    const provers = this.links.map((l, i) => weightLinkProver(ctx, l, n, (v) => `hadamard/${this.foldKey}/${frSlot(v, 'alpha')}/${i}`));
    return {
      round: async (_decls, v) => {
        if (!provers.length) throw new BlockfoldError('BLOCK', 'hadamard: no block rounds send messages without fixed weights');
        const out: Record<string, G1Point> = {};
        for (const p of provers) Object.assign(out, await p.messages(v));
        return out;
      },
      polynomials: () => {
        const out: Record<string, bigint[]> = {};
        rows('a').forEach((r, i) => (out[rowSlot('a', i)] = interpolate(r, ctx.engine)));
        rows('b').forEach((r, i) => {
          const b = interpolate(r, ctx.engine);
          Object.assign(out, provers[i] ? provers[i].polynomials(b) : { [rowSlot('b', i)]: b });
        });
        rows('c').forEach((r, i) => (out[rowSlot('c', i)] = interpolate(r, ctx.engine)));
        return out;
      },
    };
  }
}
