/**
 * Setup: from a compiled model and a universal SRS to a proving key and a verifying key. No per-model
 * ceremony: the verifying key holds the architecture, the SRS verifier points and the **model
 * commitment** (the row commitments of every weight tensor), which binds the weights (docs/soundness.md rule 5).
 *
 * The model commitment hides the weights (docs/soundness.md, "Zero knowledge"): each weight row w over H_K is
 * committed as `[w + Z_K·b₀]₁` with b₀ of 2 random coefficients that only the proving key holds. The commitment
 * and one evaluation of the row are two independent uniform combinations of b₀'s coefficients, so they say nothing
 * of w; since b₀ is fixed across proofs, no proof may reveal evaluations of a weight row itself: every block that
 * opens weights opens a fresh re-randomization of them (the weight link, `blocks/weight-link.ts`).
 * @module
 */
import type { BlockContext } from '../../blocks/block';
import type { Engine } from '../engine/engine';
import { getDefaultEngine } from '../engine/index';
import { keccak256Concat } from '../engine/wasm/keccak';
import { rowEvaluations } from '../../blocks/commit-rows';
import type { G1Point } from '../curve';
import { encodeG1, encodeG2 } from '../encoding/points';
import { blindingSource } from '../blinding';
import { Fr, randomFr } from '../field';
import { commitLagrange, commitVanishingMultiple } from '../kzg/commit';
import { rowSlot, slotRow } from '../../blocks/poly-iop';
import { publicCommitment, selectorCommitment, selectorDigest } from '../../blocks/tables';
import { architectureDigest, type Architecture } from './architecture';
import { graphBlindingCoefficients, keyG1Powers, largestDomain, rangeTableSize, type BlockGraph } from './block-graph';
import { SrsError } from '../errors';
import { createKzgKey, vanishingMultipleDigest, withRangeTable, type KzgKey } from '../kzg/key';
import { rangeTableKey } from '../kzg/range-table';
import { lagrangeBasisFromPowers } from '../srs/lagrange-basis';
import type { Srs } from '../srs/srs';
import type { CompiledModel } from './compiled-model';
import { commitTensors, type CommitmentTable } from './graph-proof';
import { HASHED_INPUT_BLINDING_COEFFICIENTS } from './hashed-input';
import { setupWeightBlinding } from './row-blinding';
import { isHidden } from './visibility';

/** Protocol id and version absorbed first by every transcript. */
export const PROTOCOL_ID = 'blockfold/v1';

/** What a verifier needs: public architecture, model commitment, SRS digest. */
export interface VerifyingKey {
  readonly model: Architecture;
  readonly modelCommitment: CommitmentTable;
  readonly srsDigest: Uint8Array;
  readonly kzg: KzgKey;
  /**
   * The G1 powers of τ the key holds: from `setup` or a proving key file, all those it was set up with (`srsDigest`
   * commits to them with `[1]₂`, `[τ]₂`); from a verifying key file, `[1]₁` alone, since a verifier reads none of the
   * others (the statement's rows are committed over {@link VerifyingKey.lagrangeBases}, the padded rows' selectors are
   * {@link VerifyingKey.verifierCommitments}): `kzg.maxDegree` stays the prover's.
   */
  readonly g1Powers: readonly G1Point[];
  /**
   * `[L_i(τ)]₁ (i < n)` for each domain size n of {@link keyLagrangeDomains}: the verifier commits the statement's rows
   * over them, an MSM of the rows' values (short integers), where from the powers alone it would interpolate and commit
   * full-width coefficients. A key file carries them, bound by the digest.
   */
  readonly lagrangeBases: ReadonlyMap<number, readonly G1Point[]>;
  /**
   * The commitments of the public polynomials a verifier of the model reads, by their digest ({@link verifierPoints}:
   * the selectors of the linear blocks' padded rows, and a hashed input's `[τ^j·Z_H(τ)]₁`), made at setup: a verifying
   * key file holds them instead of the powers they are made from, bound by the digest.
   */
  readonly verifierCommitments: ReadonlyMap<string, G1Point>;
  /** Keccak-256 ({@link verifyingKeyDigest}) of the SRS, the architecture and every point a verifier reads, absorbed by every proof's transcript. */
  readonly digest: Uint8Array;
  /** The key's `[τ]₂` is the INSECURE development SRS's: anyone can forge proofs that this key accepts. */
  readonly insecureSrs: boolean;
}

/** The blinding of each weight row's commitment by tensor id, row by row: the coefficients of b₀ in `[w + Z_K·b₀]₁`. */
export type WeightBlinding = Readonly<Record<string, readonly (readonly bigint[])[]>>;

/** Coefficients of a weight row's b₀: its commitment and one evaluation (of a re-randomization) must be independent of w. */
export const WEIGHT_BLINDING_COEFFICIENTS = 2;

/** What a prover needs: the verifying key plus the private weights and their commitments' blinding. */
export interface ProvingKey {
  readonly vk: VerifyingKey;
  readonly model: CompiledModel;
  /** b₀ of every weight row (secret as the weights are: with it and the commitment, w can be tested against guesses). */
  readonly weightBlinding: WeightBlinding;
  /**
   * `[L_i(τ)]₁ (i < n)` for each domain size n of {@link proverLagrangeDomains} (the verifying key's among them): a
   * prover commits every tensor row and logUp helper from its values over them, short or sparse scalars, where from the
   * powers alone it would interpolate and commit full-width coefficients (the attention model proved 1.7× slower so).
   * A proving key file carries them, checked against its powers on reading.
   */
  readonly lagrangeBases: ReadonlyMap<number, readonly G1Point[]>;
}

/**
 * What a verifying key's digest hashes: its architecture, the SRS it names, the weight commitments and every point its
 * verifier reads (`[τ]₂` and the range table's `[Z_S(τ)]₁` through `kzg`).
 */
export type VerifyingKeyContent = Pick<VerifyingKey, 'model' | 'modelCommitment' | 'srsDigest' | 'insecureSrs' | 'lagrangeBases' | 'verifierCommitments'> & {
  readonly kzg: Pick<KzgKey, 'g2Tau' | 'rangeTable'>;
};

/**
 * Keccak-256 over the protocol id, the SRS (its digest, and whether it is an insecure development SRS: `verify`
 * reports that flag, so a key file cannot drop it without changing the digest its proofs carry), the
 * {@link architectureDigest} (every block's public parameters, tables and index maps included, its bindings, the
 * public layouts that `verify` decodes outputs with, the calibrated ranges), the weight commitments and the points a
 * verifier reads (`verifyingKeyDigestOf` lists them in order). Every proof's transcript absorbs it first, so a key that differs in
 * any public parameter accepts none of another key's proofs.
 */
export function verifyingKeyDigest(vk: VerifyingKeyContent): Uint8Array {
  return verifyingKeyDigestOf(architectureDigest(vk.model), vk);
}

/**
 * {@link verifyingKeyDigest} from the {@link architectureDigest} already known (a key file hashes the canonical
 * architecture bytes it decoded, instead of encoding the architecture again). After the SRS digest and the weight
 * commitments come the verifier's own points: `[τ]₂`, the range table's `[Z_S(τ)]₁` when the model has one (the claim
 * at β pairs it with `[1]₂`), the Lagrange bases by ascending domain size, each after its size, and the verifier
 * commitments by digest, each after its name. They are functions of the ceremony that `srsDigest` names, but a
 * verifying key file holds them without the powers (its reader can recompute neither them nor `srsDigest`;
 * `check-key` does), so the digest binds each itself: a file with another point has another digest.
 */
export function verifyingKeyDigestOf(architecture: Uint8Array, vk: VerifyingKeyContent): Uint8Array {
  const parts: Uint8Array[] = [];
  const text = (s: string) => parts.push(new TextEncoder().encode(`${s.length}:${s}`));
  text(PROTOCOL_ID);
  parts.push(vk.srsDigest);
  text(vk.insecureSrs ? 'srs:insecure-development' : 'srs:ceremony');
  parts.push(architecture);
  for (const t of vk.model.graph.tensors) if (t.kind === 'weight') for (const c of vk.modelCommitment[t.id]) parts.push(encodeG1(c));
  parts.push(encodeG2(vk.kzg.g2Tau.point));
  if (vk.kzg.rangeTable) parts.push(encodeG1(vk.kzg.rangeTable.vanishing.point));
  for (const n of [...vk.lagrangeBases.keys()].sort((a, b) => a - b)) {
    text(`lagrange:${n}`);
    for (const p of vk.lagrangeBases.get(n)!) parts.push(encodeG1(p));
  }
  for (const name of [...vk.verifierCommitments.keys()].sort()) {
    text(name);
    parts.push(encodeG1(vk.verifierCommitments.get(name)!));
  }
  return keccak256Concat(parts);
}

/**
 * The public vectors whose commitments a verifier of `graph` reads ({@link VerifyingKey.verifierCommitments}), by digest,
 * in graph order: the selector `q` of each linear block's relations (`Block.linearRelationsPublic`, `P = c·[q]₁`) with
 * c ≠ 0 and padding (with none, q = 1 and `[q]₁ = [1]₁`). They are the only commitments a verifier of the built-in
 * blocks makes besides the statement's rows and a hashed input's blindings; a custom block's verifier that commits
 * another public vector declares it (`Block.verifierVectors`, {@link verifierPoints}).
 */
export function verifierSelectors(graph: Pick<BlockGraph, 'nodes'>): { readonly digest: string; readonly n: number; readonly length: number }[] {
  const out = new Map<string, { digest: string; n: number; length: number }>();
  for (const { block } of graph.nodes) {
    const side = block.linearRelationsPublic?.();
    if (side === undefined || side.constant === 0n || side.length === side.domain) continue;
    const digest = selectorDigest(side.domain, side.length);
    out.set(digest, { digest, n: side.domain, length: side.length });
  }
  return [...out.values()];
}

/** A point a verifier of a model reads from its key by name ({@link verifierPoints}): how it is made from the powers, and what a wrong one would break. */
export interface VerifierPoint {
  /** Its name among public commitments (`selector/n/length`, `vanishing/n/j`). */
  readonly digest: string;
  /** The point over a key of powers (setup's, and `check-key`'s over the ceremony). */
  readonly commit: (kzg: KzgKey) => Promise<G1Point>;
  /** What a wrong point would let through: `check-key`'s reason. */
  readonly role: string;
}

/**
 * The points of {@link VerifyingKey.verifierCommitments}, in the order a verifying key file stores them: the commitment
 * of each selector of {@link verifierSelectors}, then of each public vector a block declares (`Block.verifierVectors`,
 * in graph order, once per digest), then for each domain n of a hashed input (ascending)
 * `[τ^j·Z_(H_n)(τ)]₁ = [τ^(n+j)]₁ − [τ^j]₁` for j < `HASHED_INPUT_BLINDING_COEFFICIENTS` (2): `inputDigest` recomputes
 * a hashed input's row commitments `[f + Z_H·b]₁` over them (`hashed-input.ts`).
 */
export function verifierPoints(model: Pick<Architecture, 'graph' | 'inputs'>): VerifierPoint[] {
  // By digest, the first maker of each kept: a selector a block also declares is one point.
  const points = new Map<string, VerifierPoint>();
  for (const s of verifierSelectors(model.graph))
    points.set(s.digest, { digest: s.digest, commit: (kzg) => selectorCommitment(kzg, s.n, s.length), role: 'the linear checks of its padded rows would hold for other values' });
  for (const { block } of model.graph.nodes)
    for (const v of block.verifierVectors?.() ?? [])
      if (!points.has(v.digest))
        points.set(v.digest, { digest: v.digest, commit: (kzg) => publicCommitment(kzg, v.digest, v.values), role: `the verifier of block ${block.kind} would read another public vector` });
  const hashed = new Set(model.inputs.filter((l) => l.visibility === 'hashed').map((l) => model.graph.tensors.find((t) => t.id === l.id)!.domain));
  const vanishing = [...hashed]
    .sort((a, b) => a - b)
    .flatMap((n) =>
      Array.from({ length: HASHED_INPUT_BLINDING_COEFFICIENTS }, (_, j) => ({
        digest: vanishingMultipleDigest(n, j),
        commit: (kzg: KzgKey) => commitVanishingMultiple(kzg, n, Array.from({ length: j + 1 }, (_, m) => (m === j ? 1n : 0n))),
        role: "a hashed input's digest recomputed from its values (inputDigest) would be another input's",
      })),
    );
  return [...points.values(), ...vanishing];
}

/** The commitments of {@link verifierPoints}`(model)` over `kzg`, by digest. */
export async function verifierCommitmentsOf(kzg: KzgKey, model: Pick<Architecture, 'graph' | 'inputs'>): Promise<Map<string, G1Point>> {
  const wanted = verifierPoints(model);
  const points = await Promise.all(wanted.map((p) => p.commit(kzg)));
  return new Map(wanted.map((p, i) => [p.digest, points[i]]));
}

/**
 * The domain sizes whose Lagrange basis `[L_i(τ)]₁` a key holds ({@link VerifyingKey.lagrangeBases}), ascending: those
 * of the model's input and output tensors, whatever their visibility: the verifier commits a public one's rows and
 * recomputes a hashed one's commitments, and a prover reading a proving key file commits a private one's from its values.
 */
export function keyLagrangeDomains(model: Pick<Architecture, 'graph' | 'inputs' | 'outputs'>): number[] {
  const ids = new Set([...model.inputs, ...model.outputs].map((l) => l.id));
  return [...new Set(model.graph.tensors.filter((t) => ids.has(t.id)).map((t) => t.domain))].sort((a, b) => a - b);
}

/**
 * The domain sizes whose Lagrange basis a proving key holds ({@link ProvingKey.lagrangeBases}): every power of two up
 * to the graph's largest domain, ascending. A prover commits over all of them (rows, logUp helpers of every domain,
 * the largest one's included), and they are about twice the largest domain's points: for a largest domain of 4,096,
 * 8,191 points, where the key holds 8,199 powers.
 */
export function proverLagrangeDomains(graph: Pick<BlockGraph, 'nodes'>): number[] {
  const out: number[] = [];
  for (let n = 1; n <= largestDomain(graph); n *= 2) out.push(n);
  return out;
}

/**
 * Checks that `commitments` are the blinded row commitments `[w_i + Z_K·b₀_i]₁` of `weights` without committing
 * every row: for random ρ_i (the caller's randomness, never the file's), `Σ_i ρ_i·C_i = [Σ_i ρ_i·w_i + Z_K·Σ_i ρ_i·b₀_i]₁`
 * per tensor, by linearity of KZG commitments. One wrong row (or one wrong b₀) survives with probability 1/r; the cost
 * is one row commitment, one blinding term and one MSM over the tensor's commitments, instead of one commitment per row.
 */
export async function commitmentsMatch(kzg: KzgKey, graph: BlockGraph, weights: CompiledModel['weights'], blinding: WeightBlinding, commitments: CommitmentTable): Promise<boolean> {
  for (const t of graph.tensors) {
    if (t.kind !== 'weight') continue;
    const rows = weights[t.id];
    const cs = commitments[t.id];
    const bs = blinding[t.id];
    if (!rows || !cs || !bs || rows.length !== cs.length || bs.length !== cs.length) return false;
    const rho = rows.map(() => randomFr());
    const combined = new Array<bigint>(t.domain).fill(0n);
    rows.forEach((row, i) => rowEvaluations(row, t.domain).forEach((v, j) => (combined[j] = Fr.add(combined[j], Fr.mul(rho[i], v)))));
    const b = new Array<bigint>(WEIGHT_BLINDING_COEFFICIENTS).fill(0n);
    bs.forEach((bi, i) => bi.forEach((x, j) => (b[j] = Fr.add(b[j] ?? 0n, Fr.mul(rho[i], x)))));
    const expected = (await commitLagrange(kzg, combined)).add(await commitVanishingMultiple(kzg, t.domain, b));
    if (!expected.equals(await kzg.engine.msmG1Points(cs, rho))) return false;
  }
  return true;
}

/**
 * Block context for a key; for proving or verifying the blocks of `graph`, with its blinding count
 * (`graphBlindingCoefficients`), which the blocks' layouts must fit as its SRS does.
 */
export function blockContext(kzg: KzgKey, graph?: Pick<BlockGraph, 'nodes'>): BlockContext {
  return graph ? { engine: kzg.engine, kzg, blindingCoefficients: graphBlindingCoefficients(graph) } : { engine: kzg.engine, kzg };
}

/** Options of {@link setup}. */
export interface SetupOptions {
  readonly engine?: Engine;
  /**
   * Seed of the weight rows' blinding b₀ (bytes or a string), for reproducible keys in tests and benches. Without it
   * b₀ comes from the platform's CSPRNG, which is what hiding needs: whoever knows the seed knows b₀ and can test the
   * model commitment against guessed weights.
   */
  readonly seed?: Uint8Array | string;
}

/**
 * Builds the proving and verifying keys: loads the needed G1 powers into the engine and commits every weight row
 * blinded, `[w + Z_K·b₀]₁` (module comment), the proving key keeping b₀. Refuses an SRS with fewer powers than the
 * model needs, before any heavy work, naming the range table when its N + 2 powers are more than the SRS holds.
 *
 * @example
 * ```ts
 * import { readPtauFile, setup } from 'blockfold';
 *
 * // A powers-of-tau ceremony file (snarkjs format) with at least model.srsG1Powers G1 powers.
 * const srs = await readPtauFile('ceremony.ptau', { maxG1: model.srsG1Powers, maxG2: 2 });
 * const pk = await setup(model, srs); // the proving key; pk.vk is the verifying key to publish
 * ```
 */
export async function setup(model: CompiledModel, srs: Srs, options: SetupOptions = {}): Promise<ProvingKey> {
  if (srs.g1Count < model.srsG1Powers) {
    // The range table's N + 2 powers (65,538 for the 16-bit table) are most often what an SRS lacks: named, since the
    // model's domains alone need far fewer.
    const table = rangeTableSize(model.graph);
    const why = table !== undefined && table + 2 > srs.g1Count ? ` (its range table of ${table} entries needs ${table + 2})` : '';
    throw new SrsError(`model "${model.name}" needs ${model.srsG1Powers} G1 powers of τ${why}, the SRS "${srs.name}" has ${srs.g1Count}`);
  }
  if (srs.g2Count < 2) throw new SrsError(`the SRS "${srs.name}" has fewer than 2 G2 powers`);
  // The digest covers exactly the points used, so any SRS of the same ceremony that holds enough powers gives the same key.
  // The key holds the powers its quotients need; a range table's basis comes from the whole SRS (N + 2 powers).
  const used = srs.truncate(keyG1Powers(model.graph), 2);
  const engine = options.engine ?? getDefaultEngine();
  // The bases a key file carries: the SRS's, or computed from the powers when it has none (a ceremony file without
  // Lagrange sections), and then what this key commits over too, so that none is computed twice.
  const proverBases = new Map<number, readonly G1Point[]>();
  for (const n of proverLagrangeDomains(model.graph)) proverBases.set(n, (await used.lagrangeBasis(n)) ?? (await lagrangeBasisFromPowers(used.g1Powers, n, engine)));
  const lagrange = async (n: number) => proverBases.get(n) ?? used.lagrangeBasis(n);
  const powers = await createKzgKey(engine, used.g1Powers, used.g2Powers[0], used.g2Powers[1], lagrange, (n, k, j) => used.stackBasis(n, k, j));
  const kzg = await withRange(model, srs, powers);
  const lagrangeBases = new Map(keyLagrangeDomains(model).map((n) => [n, proverBases.get(n)!]));
  const source = blindingSource(options.seed);
  const publicRows = new Set(
    [...model.inputs, ...model.outputs].filter((l) => !isHidden(l)).flatMap((l) => Array.from({ length: l.rows }, (_, r) => rowSlot(l.id, r))),
  );
  const weightBlinding = setupWeightBlinding(model.graph, publicRows, WEIGHT_BLINDING_COEFFICIENTS, source);
  const modelCommitment = await commitTensors(blockContext(kzg), model.graph.tensors.filter((t) => t.kind === 'weight'), model.weights, (row) => weightRowBlinding(weightBlinding, row));
  const { weights: _weights, ...architecture } = model;
  void _weights;
  const content: VerifyingKeyContent = {
    model: architecture,
    modelCommitment,
    srsDigest: used.digest,
    insecureSrs: srs.insecure,
    lagrangeBases,
    verifierCommitments: await verifierCommitmentsOf(kzg, model),
    kzg,
  };
  const vk: VerifyingKey = { ...content, kzg, g1Powers: used.g1Powers, digest: verifyingKeyDigest(content) };
  return { vk, model, weightBlinding, lagrangeBases: proverBases };
}

/**
 * `kzg` with the range table of the model's range block (`blocks/range.ts`), from the SRS's range basis; `kzg` itself for
 * a model without one. An {@link SrsError} naming the table size and the G1 powers it needs when the SRS has no basis.
 */
async function withRange(model: CompiledModel, srs: Srs, kzg: KzgKey): Promise<KzgKey> {
  const size = rangeTableSize(model.graph);
  if (size === undefined) return kzg;
  const basis = await srs.rangeBasis(size);
  if (basis === undefined)
    throw new SrsError(
      `model "${model.name}" range-checks through a table of ${size} entries: the SRS "${srs.name}" has no range basis of that size ([Z_S(τ)]₁, [τ·Z_S(τ)]₁ and the ${size} points [K_v(τ)]₁, over ${size + 2} G1 powers of τ; it holds ${srs.g1Count})`,
    );
  return withRangeTable(kzg, await rangeTableKey(kzg.engine, basis));
}

/** b₀ of the weight row named `<tensor id>/<row>`, or undefined for a row that is no weight's. */
export function weightRowBlinding(blinding: WeightBlinding, row: string): readonly bigint[] | undefined {
  const { tensor, row: r } = slotRow(row);
  return blinding[tensor]?.[r];
}
