/**
 * The block interface. A block is a relation between committed integer tensors plus a protocol that
 * proves it; its verifier side is pure data ({@link Protocol}), so one generic engine verifies, batches
 * and folds every block, built-in or custom.
 *
 * Tensors are lists of rows; each row (signed integers, mapped to Fr as `v mod r`) is padded with zeros to
 * the block's domain size n and committed as the KZG commitment of its interpolant over the n-th roots
 * of unity. A block constrains **values on H only**, never a polynomial's degree (docs/soundness.md rule 3).
 * @module
 */
import type { G1Point } from '../src/curve';
import type { BlindingSource } from '../src/blinding';
import type { Engine } from '../src/engine/engine';
import type { SlotValues } from '../src/equations/equation';
import type { KzgKey } from '../src/kzg/index';
import type { LinearRelation, LinearRelationPublic } from './linear-relation';
import type { OpeningPoint } from './opening-point';
import type { PolyIopProver, PolyIopSpec } from './poly-iop';
import type { Protocol } from './protocol';
import type { MessageSource } from './schedule';

/** Integer tensors by name; each tensor is a list of rows of signed integers. */
export type Tensors = Readonly<Record<string, readonly (readonly bigint[])[]>>;

/** Declaration of one tensor a block reads or writes. */
export interface TensorSpec {
  readonly name: string;
  /** Number of committed rows. */
  readonly rows: number;
  /** Domain size n (a power of two) each row is padded to and committed over. */
  readonly domain: number;
  /** Whether the tensor is an input of the block (else an output it computes). */
  readonly role: 'input' | 'output';
  /** True for tensors committed once at setup (weights), bound by the model commitment. */
  readonly fixed?: boolean;
}

/**
 * Range facts are only stated inside `(−2^250, 2^250)`: a relation a block proves holds modulo r (r > 2^253), and it
 * says the same over the integers only while every value involved stays far below r/2 (docs/soundness.md rule 9). A block
 * that derives a range from other ranges returns no fact when its result could leave this window.
 */
export const RANGE_FACT_LIMIT = 1n << 250n;

/** Whether `[lo, hi]` lies strictly inside `(−RANGE_FACT_LIMIT, RANGE_FACT_LIMIT)`. */
export function withinRangeFactLimit(lo: bigint, hi: bigint): boolean {
  return -RANGE_FACT_LIMIT < lo && hi < RANGE_FACT_LIMIT;
}

/**
 * A closed integer interval `[lo, hi]` for the cells `0 … cells − 1` of every row of a block tensor. `cells` is
 * the row's real length when the range covers the real cells only, the domain size n when it covers the
 * padding too. A fact covers an obligation only if it covers at least the obligation's cells: a range checked
 * on the first 2 cells of a row says nothing about the third.
 */
export interface TensorRange {
  readonly tensor: string;
  readonly lo: bigint;
  readonly hi: bigint;
  /** The fact holds on cells `0 … cells − 1` of every row. */
  readonly cells: number;
}

/**
 * A closed integer interval `[lo, hi]` for every cell of a difference that is never committed: `y(X^power) − x(X)` of
 * two one-row tensors, y on H_m and x on H_(power·m), whose cell i is `y_(i mod m) − x_i` (`blocks/poly-iop.ts`,
 * "Compositions"), on every cell of x's row. A segment-major max's differences (`blocks/segment-max.ts`).
 */
export interface DifferenceRange {
  /** y, read composed with X^power. */
  readonly minuend: string;
  /** x, read at X. */
  readonly subtrahend: string;
  readonly power: number;
  readonly lo: bigint;
  readonly hi: bigint;
}

/**
 * Where a block's poly-IOP opens its committed polynomials besides ζ (`Factor.rotation` and `Factor.power`,
 * `blocks/poly-iop.ts`), known without a key: the graph sizes its SRS for the blinding they need
 * (`src/pipeline/block-graph.ts`, which refuses a point that is not one: `graphOpenings`).
 */
export interface OpeningRotations {
  /**
   * By tensor of the block: each point at which it opens some row of it, the rotation `ω^s·ζ` (an integer s ∈ [1, n),
   * n the tensor's domain; s = 1 on H_1) of a rotated read and `ζ^k` (an integer k ≥ 2) of a read composed, `f(X^k)`.
   */
  readonly rows: Readonly<Record<string, readonly OpeningPoint[]>>;
  /**
   * The most points (ζ and its rotations) at which it opens a polynomial it commits itself (1 when none is rotated): at
   * most `max(N, 2) + log2(N)`, N the graph's largest domain (ζ, every rotation and every composition point there;
   * `graphOpenings` refuses more).
   */
  readonly ownPoints: number;
}

/** What a block needs from the proving / verifying environment. */
export interface BlockContext {
  readonly engine: Engine;
  readonly kzg: KzgKey;
  /**
   * Only for soundness tests: the prover proceeds on a witness that does not satisfy the relation
   * (dropping non-zero remainders) instead of refusing, so a test can check that the verifier rejects.
   */
  readonly allowInvalidWitness?: boolean;
  /**
   * The prover's blinding randomness (`blocks/hiding.ts`): a fresh CSPRNG-keyed source per proof when absent;
   * a seeded source makes proofs byte-identical. The verifier never reads it.
   */
  readonly blinding?: BlindingSource;
  /** Prover only: blinding of the commitment in statement slot `slot` of this block, as the coefficients of b with
   *  commitment = [f + Z_H·b]₁ (f: the interpolant of the row's zero-padded values over the row's domain H);
   *  undefined (or absent): unblinded. Set by the pipeline; the verifier never reads it. */
  readonly statementBlinding?: (slot: string) => readonly bigint[] | undefined;
  /**
   * The most blinding coefficients a committed polynomial of the proof takes: the graph's, which its SRS is sized for
   * (`graphBlindingCoefficients`, `src/pipeline/block-graph.ts`). A block laying out identities to fit the SRS (the
   * logUp bundles, `blocks/logup-iop.ts`) bounds their degrees with it. Absent: 3, the base every graph holds (a
   * polynomial opened at ζ and ω·ζ).
   */
  readonly blindingCoefficients?: number;
  /**
   * Set by a caller that derives a row of every one of the block's {@link Block.linearRelations} from the others
   * (the pipeline's derived rows, `src/pipeline/derived-rows.ts`): the relations then hold by construction, so a
   * block leaves their check out of its {@link Block.iopSpec} (a check that cannot fail; `PolyIopBlock.linearCheck`
   * says which parts of its spec that is). Never set it for rows a prover sends.
   */
  readonly relationsDerived?: boolean;
}

/** A basic block. */
export interface Block {
  /** Block kind, for example `hadamard`. */
  readonly kind: string;
  /** Fold key: kind and shape bucket (equal keys ⇒ equal slots, equations and public points). */
  readonly foldKey: string;
  /** The tensors the block's statement is made of, in statement order. */
  readonly tensors: readonly TensorSpec[];
  /** Computes the output tensors from the input tensors over the integers. No checks hide here. */
  witness(inputs: Tensors): Tensors;
  /**
   * For blocks whose outputs depend on disjoint subsets of their inputs (an aggregated lookup spans many
   * layers, and later layers read its earlier outputs): the outputs computable from the inputs present.
   */
  witnessPartial?(available: Tensors): Tensors;
  /**
   * Ranges this block's soundness assumes of its tensors (a rescale's remainder, a max's differences).
   * A block graph is refused unless other blocks prove them (`validateBlockGraph`).
   */
  rangeObligations?(): readonly TensorRange[];
  /**
   * Ranges this block proves of its tensors, given ranges already proven for some of them (a range
   * lookup proves its inputs lie in the table; a limb split proves `v`'s range from its limbs'). A derived
   * fact covers no more cells than the facts it is derived from.
   */
  provenRanges?(known: ReadonlyMap<string, TensorRange>): readonly TensorRange[];
  /** Ranges this block's soundness assumes of differences it never commits (a segment-major max's), as {@link rangeObligations}. */
  differenceObligations?(): readonly DifferenceRange[];
  /** Ranges this block proves of differences of its tensors (a range lookup reading `y(X^k) − x(X)`). */
  provenDifferenceRanges?(): readonly DifferenceRange[];
  /**
   * The relations this block checks linearly on the row commitments of its tensors (a residual
   * `Σ_j ρ^j·Σ_t k_t·[row_t]₁` paired with `[1]₂`): each says `Σ_t k_t·[row_t]₁` is a public commitment. Rows
   * committed blinded, `[f + Z_H·b]₁`, keep every such check true only if `Σ_t k_t·b_t = 0` for every relation, so
   * the pipeline chooses the rows' blindings from these (`src/pipeline/row-blinding.ts`). A block that checks a
   * relation on commitments without declaring it here gets proofs that do not verify once rows are blinded.
   */
  linearRelations?(): readonly LinearRelation[];
  /**
   * The public side P of every relation of {@link Block.linearRelations} (`Σ_t k_t·[row_t]₁ = P`, one P for all
   * rows): with it the pipeline may derive one row of each relation from the others' commitments instead of
   * having the prover send it (`src/pipeline/derived-rows.ts`). A block without it has no row derived.
   */
  linearRelationsPublic?(): LinearRelationPublic;
  /**
   * The public vectors whose commitments this block's verifier reads through `publicCommitment` (`blocks/tables.ts`),
   * each by the digest it passes there: `setup` commits them and a verifying key file holds their commitments, as it
   * holds the selectors of {@link Block.linearRelationsPublic}, since it holds no power of τ to make them from
   * (`verifierPoints` in `src/pipeline/keys.ts`). A verifier commitment not declared here verifies with `setup`'s key
   * or a proving key file's, and from a verifying key file fails with an `SrsError` saying it is a verifier's key.
   */
  verifierVectors?(): readonly VerifierVector[];
  /**
   * True when the block checks nothing but its {@link Block.linearRelations} (its protocol is their residual alone):
   * when every relation derives a row, the check holds by construction and the pipeline leaves the block out of
   * the argument.
   */
  readonly linearOnly?: boolean;
  /** The verifier side: slots, equations, schedule. Depends only on public parameters. */
  protocol(ctx: BlockContext): Protocol;
  /** Statement slot values from the row commitments of the block's tensors (`name → row commitments`). */
  statement(commitments: Readonly<Record<string, readonly G1Point[]>>): SlotValues;
  /** The prover side of the schedule, from all tensors (inputs and outputs). */
  prover(ctx: BlockContext, tensors: Tensors): MessageSource;
  /**
   * A block proven by the poly-IOP compiler declares its spec here (with {@link Block.iopProver}), so the
   * model-level argument merges its identities, evaluation point and openings with every other block's instead
   * of running {@link Block.protocol} on its own.
   */
  iopSpec?(ctx: BlockContext): PolyIopSpec;
  /** The block's side of the poly-IOP prover (its rounds and oracle polynomials); present with {@link Block.iopSpec}. */
  iopProver?(ctx: BlockContext, tensors: Tensors): PolyIopProver;
  /**
   * Where its poly-IOP opens polynomials besides ζ. Omitted: at most at ζ and ω·ζ (`BASE_OPENING_POINTS`, which every
   * graph's SRS holds, `blocks/hiding.ts`). A block whose {@link Block.iopSpec} opens a polynomial at more points must
   * declare them, or the pipeline refuses its model (a `PolyIopBlock` derives them from its spec).
   */
  openingRotations?(): OpeningRotations;
  /**
   * The G1 powers of τ its quotient needs when every committed polynomial takes c blinding coefficients, for a block
   * whose identities may need more than a graph's `2·(largest domain) + hidingSrsSlack(c)` (a composed read `f(X^k)`
   * has k times f's degree); the key holds the most any block asks (`keyG1Powers`, `src/pipeline/block-graph.ts`).
   */
  quotientPowers?(blindingCoefficients: number): number;
}

/** A public vector a block's verifier commits ({@link Block.verifierVectors}): its digest and its values over its domain. */
export interface VerifierVector {
  /** The digest the block passes to `publicCommitment`: it must identify the values. */
  readonly digest: string;
  /** The values, a power of two of them (the vector's domain). */
  readonly values: () => readonly bigint[];
}
