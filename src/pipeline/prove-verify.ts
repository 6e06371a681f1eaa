/**
 * `prove` and `verify` for a compiled model: proof protocol v2, the whole model proven as **one** argument
 * (`blocks/model-argument.ts`; design, transcript order and soundness in docs/protocol.md).
 *
 * Transcript: protocol id, SRS digest, verifying-key digest, the statement (each input and output in order: its rows
 * if it is public, its row commitments if it is private or hashed, `visibility.ts`); a fork `protocol/v2`; every
 * wire commitment in tensor order but the derived rows' (each row blinded, `[f + Z_H·b]₁`, the rows' b drawn together so that every
 * block's linear check on commitments still holds: `row-blinding.ts`; the model argument opens the rows as
 * committed, told each row's b, the weight rows' being the proving key's b₀); the derived rows' commitments, which
 * prover and verifier compute from the others by the relations that define them (`derived-rows.ts`: one output of
 * every block with linear relations; a function of the key's graph, absorbed nowhere since the transcript already
 * holds what they are computed from); then, on the fork `leaf/<model fold key>/0` (so the argument is one
 * accumulator leaf and proofs of one model aggregate: `aggregate.ts`), the model argument's schedule (every
 * block's statement, the lockstep rounds, the shared quotients, ζ, evaluations and openings).
 *
 * Proof layout (version 15): `"BKFD"`, version u8 = 15, kind u8 (1 = model proof), zk flag u8 (1: the proof is
 * zero-knowledge, every witness polynomial blinded; 0 only for the bench- and test-only `unblinded` switch), u32
 * byte length of the wire section, the commitments of every wire row but the derived and the stacked ones (which
 * tensors are derived or stacked is a function of the verifying key's graph, so no byte names them), a relinked copy's
 * rows as their differences E from the rows they copy (`relinked-rows.ts`), then the commitment of each stack of rows
 * (`stacked-rows.ts`), then the argument's message slots in
 * schedule order (each in its canonical encoding; the sizes follow from the model, so there are no length
 * prefixes to forge). Trailing bytes are an error; a version 1 proof (one proof per block), a version 2 proof
 * (every wire row sent), a version 3 proof (every oracle and quotient evaluated at ζ, no linearization), a version 4
 * proof (logUp helpers in pairs, weight links and relinks opened at their own point), a version 5 proof (the value at
 * ζ of every evaluated derived row sent) and a version 6 proof (a hidden scalar and two running sums for every
 * equal sum on two domains, where version 7 reads the smaller side on the larger domain when it can) and a version 7
 * proof (every lookup table's value at ζ sent, where version 8's verifier evaluates the table itself) and a version 8
 * proof (a hidden scalar for every logUp domain below the largest, where version 9 reads a domain of one helper on
 * the largest) and a version 9 proof (a relinked copy's rows committed, where version 10 sends their differences
 * from the rows they copy) and a version 10 proof (range checks through a 2^12 lookup table, where version 11 checks
 * them through one table with a public denominator, `blocks/range.ts`) and a version 11 proof (checks that cannot
 * fail still proven: the linear check of a block whose every relation derives a row, `derived-rows.ts`, and the
 * padding identity of a permutation's row of copies only, which version 12 leaves out; a flat matmul's three claims
 * chained by hidden scalars, which version 12 proves as one, `blocks/matmul.ts`) and a version 12 proof (logUp bundles
 * of at most eight columns, where version 13 takes larger ones on domains whose bundle quotients are small,
 * `blocks/logup-iop.ts`) and a version 13 proof (every wire row committed alone, where version 14 sends rows in
 * stacks) and a version 14 proof (the quotient committed whole, where version 15 commits it in pieces of about the
 * largest domain, `blocks/poly-iop.ts` `quotientPieces`) are refused with their version named: read by the version 15 rule they would fail only
 * as a length mismatch or a rejection, and the
 * version byte is what says which rule a proof was written by. The verifier decides everything with one multi-pairing whose Miller loops do not grow
 * with the model (one per distinct public G2 point: `[1]₂`, `[τ]₂`, and the few `[τ^n]₂` of linear blocks).
 *
 * The prover keeps every tensor of the model until the quotients are computed: peak memory grows with the
 * model's witness, not its largest layer.
 * @module
 */
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Block, BlockContext, OpeningRotations, Tensors } from '../../blocks/block';
import { verifyInstances } from '../../blocks/batch-verify';
import { leafLabel, proveLeaf, replayLeaf, type LeafInstance } from '../../blocks/leaf';
import { memberLane, modelArgumentProtocol, modelArgumentProver, modelArgumentSpec, modelArgumentStatement, tableCommitmentNames, type CommitmentName } from '../../blocks/model-argument';
import { rowSlot, slotRow, type PolyIopSpec } from '../../blocks/poly-iop';
import { openingPointName, type OpeningPoint } from '../../blocks/opening-point';
import { specOpeningRotations } from '../../blocks/poly-iop-block';
import { BASE_OPENING_POINTS, blindingCoefficients } from '../../blocks/hiding';
import type { Protocol } from '../../blocks/protocol';
import type { LeafStatement } from '../../accumulation/leaves';
import { blindingSource, UNBLINDED, type BlindingSource } from '../blinding';
import { commitRows, rowEvaluations } from '../../blocks/commit-rows';
import { deferringEngine } from '../engine/deferred';
import type { Engine } from '../engine/engine';
import { G1, G1_ONE, type G1Point } from '../curve';
import { ByteReader, ByteWriter } from '../encoding/bytes';
import { encodeG1, G1_BYTES } from '../encoding/points';
import { BlockfoldError, EncodingError } from '../errors';
import { Transcript } from '../transcript';
import { graphBlindingCoefficients, graphOpenings, type BlockGraph, type GraphTensor } from './block-graph';
import { solveRowBlinding } from './row-blinding';
import { graphRelations, type RowRelation } from './row-relations';
import { calibratedRangeCheck, inputCells } from './compiled-model';
import { tableInputCheck } from './table-inputs';
import { commitTensors, computeGraphWitness, copyTables, nodeCommitments, nodeTensors, readWireCommitments, sentWires, writeWireCommitments, type CommitmentTable } from './graph-proof';
import { deriveCommitments, derivedRowRelations, derivedRows, type DerivedRows } from './derived-rows';
import { stackedRows, type RowStack, type StackedRows } from './stacked-rows';
import { commitStack, type StackMember } from '../kzg/stack';
import type { SlotValues } from '../equations/equation';
import { relinkedRows, relinkMessages, withRelinkedRows } from './relinked-rows';
import { dequantizeRows, type CompiledWithQuant } from './compile';
import { InputError } from '../model/errors';
import { runQuantizedIntegers } from '../model/quant/interpret';
import type { CompiledModel, PublicTensorLayout } from './compiled-model';
import { hashedInputBlinding, hashedInputDigest } from './hashed-input';
import { blockContext, PROTOCOL_ID, type ProvingKey, type VerifyingKey } from './keys';
import { isHidden } from './visibility';

/** The first four bytes of every model proof: `"BKFD"`. */
export const MAGIC = [0x42, 0x4b, 0x46, 0x44];
/** The version byte of the proofs this library writes and reads (protocol v2, the model as one argument, with derived rows not sent). */
export const PROOF_VERSION = 15;

/** What version 15 proofs are, and what each earlier version was: refused by name, not as a length mismatch. */
const CURRENT_VERSION = 'the model as one argument, derived rows and their values at ζ, linearized openings, links in the argument, equal sums read on one domain, lookup tables evaluated by the verifier, a logUp domain of one helper read on the largest, relinked rows sent as their differences, range checks through one table with a public denominator, no check that cannot fail, a flat matmul in one claim, logUp bundles beyond eight columns where their quotient coset is small, wire rows sent in stacks, the quotient in pieces';
const EARLIER_VERSIONS: Readonly<Record<number, string>> = {
  1: 'one proof per block',
  2: 'every wire row sent',
  3: 'every oracle and quotient evaluated at ζ',
  4: 'logUp helpers in pairs, weight links and relinks opened at their own point',
  5: "every evaluated derived row's value at ζ sent",
  6: 'a hidden scalar and two running sums for every equal sum on two domains',
  7: "every lookup table's value at ζ sent",
  8: 'a hidden scalar for every logUp domain below the largest',
  9: "a relinked copy's rows committed",
  10: 'range checks through a committed 2^12 lookup table, wider values in 12-bit limbs',
  11: 'checks that cannot fail still proven (linear checks of rows derived from them, padding identities of rows of copies), a flat matmul in three claims chained by hidden scalars',
  12: 'logUp bundles of at most eight columns',
  13: 'every wire row committed alone',
  14: 'the quotient committed whole',
};
/** The kind byte of a model proof. */
export const KIND_MODEL_PROOF = 1;
/**
 * The zk flag of the proofs `prove` writes: 1, every witness polynomial blinded (docs/soundness.md, "Zero
 * knowledge"). The flag is the prover's declaration and binds nothing: verification is the same for 0, which only
 * the bench- and test-only `unblinded` switch writes (same layout, zero blinding).
 */
export const ZK_FLAG = 1;

/** Reads a header's zk flag: 1 (zero-knowledge) or 0 (`unblinded`); anything else is a typed error. */
export function readZkFlag(r: ByteReader): number {
  const flag = r.u8('zk flag');
  if (flag !== ZK_FLAG && flag !== 0) throw new EncodingError(`unknown zk flag ${flag} (this library writes ${ZK_FLAG}, or 0 for unblinded test proofs)`);
  return flag;
}

/**
 * The statement: the quantized public inputs and outputs as integer rows, and the row commitments of the private
 * and hashed ones (their visibility is the key's, `visibility.ts`), by tensor id.
 */
export interface Statement {
  /** The rows of the public inputs. */
  readonly inputs: Tensors;
  /** The rows of the public outputs. */
  readonly outputs: Tensors;
  /** The row commitments of the private and hashed inputs and outputs; absent (or empty) when every one is public. */
  readonly commitments?: CommitmentTable;
}

/** An output tensor as floats: the statement's integers q dequantized with the key's scale s, q·2^(−s). */
export interface FloatOutput {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

/**
 * A private or hashed input or output as {@link verify} reports it: never its values. A private tensor is its row
 * commitments (compressed G1, hex); a hashed input is the Keccak-256 digest of its row commitments (hex), which
 * `inputDigest` recomputes from a known input.
 */
export type HiddenTensor =
  | { readonly name: string; readonly kind: 'input' | 'output'; readonly visibility: 'private'; readonly shape: readonly number[]; readonly commitments: readonly string[] }
  | { readonly name: string; readonly kind: 'input'; readonly visibility: 'hashed'; readonly shape: readonly number[]; readonly digest: string };

/**
 * What {@link verify} reports. On acceptance it reports only what the proof binds: the public outputs are the
 * statement's integers (absorbed by the transcript) dequantized with the scales of the verifying key
 * (covered by its digest, which the transcript also absorbs); the hidden inputs and outputs are the statement's
 * commitments (absorbed in their place), or their digest.
 */
export type VerifyResult =
  | {
      readonly ok: true;
      /** The public outputs. */
      readonly outputs: readonly FloatOutput[];
      /** The private and hashed inputs and outputs, in the key's order (inputs first); present when the key has any. */
      readonly hidden?: readonly HiddenTensor[];
      /** The key was made with the INSECURE development SRS: anyone can forge a proof it accepts. */
      readonly insecureSrs: boolean;
    }
  | { readonly ok: false; readonly reason: string };

/** The float values of a statement's public outputs under a model's output layouts. */
export function floatOutputs(model: Pick<CompiledModel, 'outputs'>, statement: Statement): FloatOutput[] {
  return model.outputs.filter((l) => !isHidden(l)).map((l) => ({ name: l.name, shape: l.shape, values: dequantizeRows(l, statement.outputs[l.id]) }));
}

/** The private and hashed inputs and outputs of a statement as {@link verify} reports them (see {@link HiddenTensor}). */
export function hiddenTensors(model: Pick<CompiledModel, 'inputs' | 'outputs'>, statement: Statement): HiddenTensor[] {
  const out: HiddenTensor[] = [];
  for (const [kind, layouts] of [['input', model.inputs], ['output', model.outputs]] as const)
    for (const l of layouts) {
      const commitments = statement.commitments?.[l.id] ?? [];
      if (l.visibility === 'private') out.push({ name: l.name, kind, visibility: 'private', shape: l.shape, commitments: commitments.map((c) => bytesToHex(encodeG1(c))) });
      else if (l.visibility === 'hashed') out.push({ name: l.name, kind: 'input', visibility: 'hashed', shape: l.shape, digest: hashedInputDigest(commitments) });
    }
  return out;
}

/** What an accepting {@link verify} reports of `statement`: its public outputs as floats, its hidden tensors if the key has any. */
function acceptance(vk: VerifyingKey, statement: Statement): Extract<VerifyResult, { ok: true }> {
  const hidden = hiddenTensors(vk.model, statement);
  return { ok: true, outputs: floatOutputs(vk.model, statement), ...(hidden.length > 0 ? { hidden } : {}), insecureSrs: vk.insecureSrs };
}

/** Progress of a long step. */
export type ProgressListener = (step: string, done: number, total: number) => void;

/** Options of {@link prove}. */
export interface ProveOptions {
  readonly onProgress?: ProgressListener;
  /** Only for soundness tests: prove a witness that fails a block's relation (see {@link BlockContext}). */
  readonly allowInvalidWitness?: boolean;
  /**
   * Only for soundness tests: replaces the computed tensor values (by global tensor id) before anything is
   * committed, so a test can prove a tampered witness.
   */
  readonly tamper?: (values: Record<string, (readonly bigint[])[]>) => void;
  /**
   * Seed of the blinding randomness (bytes or a string), keyed together with the statement: proofs of one
   * statement with one seed are byte-identical, whatever the number of workers; proofs of different statements
   * with one seed are blinded independently. Without it every proof draws fresh blinding from the platform's
   * CSPRNG, which is what hiding needs: a seed known to anyone else lets them strip the blinding. For tests and
   * reproducible benches.
   */
  readonly seed?: Uint8Array | string;
  /** Only for tests and benches measuring what hiding costs or what it hides: no blinding at all (`UNBLINDED` of `src/blinding.ts`). */
  readonly unblinded?: boolean;
}

/** A proof and where its bytes go: every byte counts, all are read by the verifier. */
export interface ModelProof {
  readonly bytes: Uint8Array;
  readonly size: {
    readonly total: number;
    readonly wireCommitments: number;
    /** The argument's messages: helper commitments, quotients, evaluations and opening proofs. */
    readonly argument: number;
  };
}

/**
 * Protocol id, SRS digest, verifying-key digest, then each input and output in the key's order: its id, then its
 * rows, or (`commitments` gives them) its row commitments in the same position.
 */
function absorbStatement(vk: VerifyingKey, rows: (l: PublicTensorLayout, kind: 'input' | 'output') => Tensors[string], commitments: (l: PublicTensorLayout) => readonly G1Point[] | undefined): Transcript {
  const t = Transcript.create(PROTOCOL_ID);
  t.absorbBytes('srs', vk.srsDigest);
  t.absorbBytes('verifying-key', vk.digest);
  for (const [kind, layouts] of [['input', vk.model.inputs], ['output', vk.model.outputs]] as const) {
    for (const layout of layouts) {
      t.absorbString(kind, layout.id);
      const hidden = commitments(layout);
      if (hidden) for (const c of hidden) t.absorbG1('commitment', c);
      else for (const row of rows(layout, kind)) t.absorbString('row', row.join(','));
    }
  }
  return t;
}

/**
 * The base transcript of a proof: protocol id, SRS digest, verifying-key digest and the statement (each public
 * tensor's rows, each hidden tensor's row commitments in its place).
 */
export function statementTranscript(vk: VerifyingKey, st: Statement): Transcript {
  return absorbStatement(vk, (l, kind) => (kind === 'input' ? st.inputs : st.outputs)[l.id], (l) => (isHidden(l) ? st.commitments![l.id] : undefined));
}

/**
 * `o[id]` if `o` holds it itself and enumerably, else undefined: a statement's entries are those its tables are copied
 * with (`copyTables`, spreads), never its prototype's nor a hidden property's.
 */
function ownEntry(o: object, id: string): unknown {
  return Object.prototype.propertyIsEnumerable.call(o, id) ? (o as Record<string, unknown>)[id] : undefined;
}

/**
 * Checks that `st` is a statement of this key: an object of `inputs` and `outputs`, each holding exactly the
 * key's public tensors as rows of bigints within the tensor's bound, and of `commitments` holding exactly its
 * private and hashed tensors, one G1 point per row, and an input on a grid (`PublicGrid`) zero off it. Anything else
 * (null, a missing tensor, a float, NaN, an extra tensor, rows in place of commitments, a non-zero cell off a grid) is
 * a typed error naming the tensor, never a crash further on.
 */
export function checkStatementShape(vk: VerifyingKey, st: unknown): asserts st is Statement {
  if (st === null || typeof st !== 'object') throw new BlockfoldError('INPUT', 'the statement must be an object { inputs, outputs }');
  const hidden = [...vk.model.inputs, ...vk.model.outputs].filter(isHidden);
  const commitments = (st as Record<string, unknown>).commitments ?? {};
  if (commitments === null || typeof commitments !== 'object') throw new BlockfoldError('INPUT', "the statement's commitments must be an object of G1 points by tensor id");
  const extraCommitment = Object.keys(commitments).find((id) => !hidden.some((l) => l.id === id));
  if (extraCommitment !== undefined) throw new BlockfoldError('INPUT', `the statement holds commitments of "${extraCommitment}", which is not a private or hashed tensor of the key`);
  for (const l of hidden) {
    const cs = ownEntry(commitments, l.id);
    if (!Array.isArray(cs) || cs.length !== l.rows || cs.some((c) => !(c instanceof G1)))
      throw new BlockfoldError('INPUT', `${l.visibility} tensor "${l.name}" must be given as ${l.rows} row commitments (G1 points)`);
  }
  for (const [all, what] of [[vk.model.inputs, 'input'], [vk.model.outputs, 'output']] as const) {
    const layouts = all.filter((l) => !isHidden(l));
    const tensors = (st as Record<string, unknown>)[`${what}s`];
    if (tensors === null || typeof tensors !== 'object') throw new BlockfoldError('INPUT', `the statement's ${what}s must be an object of integer rows by tensor id`);
    const extra = Object.keys(tensors).filter((id) => !layouts.some((l) => l.id === id));
    if (extra.length > 0) throw new BlockfoldError('INPUT', `the statement's ${what}s hold "${extra[0]}", which is not a model ${what}`);
    for (const l of layouts) {
      const rows = ownEntry(tensors, l.id);
      if (!Array.isArray(rows) || rows.length !== l.rows || rows.some((r) => !Array.isArray(r) || r.length !== l.rowLength))
        throw new BlockfoldError('INPUT', `${what} "${l.name}" must have ${l.rows} rows of ${l.rowLength} integers`);
      for (const row of rows as unknown[][])
        for (const v of row) {
          if (typeof v !== 'bigint') throw new BlockfoldError('INPUT', `${what} "${l.name}" holds ${String(v)}, not an integer (bigint)`);
          if (v < l.bound[0] || v > l.bound[1]) throw new BlockfoldError('INPUT', `${what} "${l.name}" has value ${v} outside [${l.bound[0]}, ${l.bound[1]}]`);
        }
      // An input on a grid holds zeros off it: a block reading it in place through a ReLU (not a convolution, which
      // proves its input's padding zero) would map a negative cell there to 0 and accept a second statement.
      if (l.grid) inputCells(l, rows as bigint[][]);
    }
  }
}

/**
 * The commitments the verifier knows: the model commitment (weights), its own commitments of the statement's public
 * rows, and the statement's commitments of its hidden tensors.
 */
export async function publicCommitments(vk: VerifyingKey, st: Statement): Promise<CommitmentTable> {
  const table = copyTables(vk.modelCommitment, st.commitments ?? {});
  const rows = { ...st.inputs, ...st.outputs };
  for (const t of vk.model.graph.tensors) if (Object.hasOwn(rows, t.id)) table[t.id] = await commitRows(vk.kzg, rows[t.id], t.domain);
  return table;
}

/**
 * The prover's commitments of the statement's private and hashed tensors, blinded as `rows` says: a private row is
 * a free row of the row-blinding solver, a hashed row a fixed one blinded by `hashedInputBlinding`
 * (`hashed-input.ts`), so a verifier who knows the input recomputes its commitments ({@link inputDigest}).
 */
async function hiddenCommitments(ctx: BlockContext, vk: VerifyingKey, values: Record<string, readonly (readonly bigint[])[]>, rows: ReadonlyMap<string, readonly bigint[]>): Promise<CommitmentTable> {
  const hidden = new Set([...vk.model.inputs, ...vk.model.outputs].filter(isHidden).map((l) => l.id));
  return commitTensors(ctx, vk.model.graph.tensors.filter((t) => hidden.has(t.id)), values, (row) => rows.get(row));
}

/**
 * The input check before proving: shapes and integer bounds (an {@link InputError} naming the input), and,
 * when the key holds the quantized model, a run of it, which names the node and table an input would miss.
 */
function checkInputs(pk: ProvingKey, inputs: Tensors): void {
  const layouts = pk.model.inputs;
  if (inputs === null || typeof inputs !== 'object') throw new BlockfoldError('INPUT', 'inputs must be an object of integer rows by tensor id');
  for (const l of layouts) {
    const rows: unknown = inputs[l.id];
    if (!Array.isArray(rows) || rows.length !== l.rows || rows.some((r) => !Array.isArray(r) || r.length !== l.rowLength))
      throw new InputError(l.name, `must have ${l.rows} rows of ${l.rowLength} integers (tensor ${l.id})`);
    for (const row of rows as unknown[][])
      for (const v of row)
        if (typeof v !== 'bigint' || v < l.bound[0] || v > l.bound[1])
          throw new InputError(l.name, `integer ${String(v)} is outside the bound [${l.bound[0]}, ${l.bound[1]}] at scale 2^${l.scale}`);
  }
  const quant = (pk.model as Partial<CompiledWithQuant>).quant;
  // In ONNX order; a non-zero cell off an input's grid is refused here, before any proving.
  const cells = layouts.map((l) => inputCells(l, inputs[l.id]));
  if (quant) runQuantizedIntegers(quant, cells);
}


/**
 * Which statement slots hold one commitment, from the graph alone. Each block's own `statement` is called on
 * distinct marker points (`k·[1]₁`, one per row of its tensors), so a slot holding the marker of row r of the
 * block's tensor bound to global tensor `id` is named `id/r`, whatever the block's naming of its slots: every
 * block that reads one row of one wire, input, output or weight shares that row's name. Slots holding anything
 * else (a combination of rows, or a copy of a marker) have no name and are never merged. Computed once per graph.
 */
export function rowCommitmentNames(g: BlockGraph): CommitmentName {
  let names = rowNames.get(g);
  if (!names) {
    rowNames.set(g, (names = tableCommitmentNames(computeRowNames(g))));
  }
  return names;
}

/** One naming per graph, so what is planned per naming (`modelArgumentStatement`) is planned once per key. */
const rowNames = new WeakMap<BlockGraph, CommitmentName>();

function computeRowNames(g: BlockGraph): Map<string, string>[] {
  const markers: G1Point[] = [];
  const markerOf = new Map<unknown, number>();
  const marker = (k: number): G1Point => {
    while (markers.length <= k) {
      const next = markers.length === 0 ? G1_ONE : markers[markers.length - 1].add(G1_ONE);
      markerOf.set(next, markers.length);
      markers.push(next);
    }
    return markers[k];
  };
  return g.nodes.map((node) => {
    const rows: string[] = [];
    const commitments: Record<string, G1Point[]> = {};
    for (const t of node.block.tensors) commitments[t.name] = Array.from({ length: t.rows }, (_, r) => marker(rows.push(rowSlot(node.bind[t.name], r)) - 1));
    const m = new Map<string, string>();
    for (const [slot, v] of Object.entries(node.block.statement(commitments))) {
      const k = markerOf.get(v);
      if (k !== undefined && k < rows.length) m.set(slot, rows[k]);
    }
    return m;
  });
}

/** The model's argument: its one spec (whose fold key names the verifying key, so two models never share a key) and protocol. */
interface ModelArgument {
  /** The derived rows and the graph whose blocks the argument proves (`derived-rows.ts`). */
  readonly derived: DerivedRows;
  /** The derived rows the verifier computes: all but those that read a stacked row (`stacked-rows.ts`). */
  readonly derivable: DerivedRows;
  /** The rows sent in stacks, and the stacks. */
  readonly stacked: StackedRows;
  /** The wire tensors whose rows are not sent one by one: the derived and the stacked ones. */
  readonly omitted: ReadonlySet<string>;
  /** The argument's statement slots that hold no commitment (the stacked and underived rows'). */
  readonly uncommitted: ReadonlySet<string>;
  readonly spec: PolyIopSpec;
  readonly protocol: Protocol;
  readonly blocks: readonly Block[];
  /** Every block's linear relations over global rows: what the rows' blindings must satisfy. */
  readonly relations: readonly RowRelation[];
  /** The blinding coefficients of the free rows some block opens besides ζ (`ω^s·ζ`); every other free row takes 2. */
  readonly rowCoefficients: ReadonlyMap<string, number>;
}

/**
 * Built once per verifying key: compiling the spec of a model (renaming every member, planning the quotients and
 * openings) costs as much as a small model's whole verification, and depends on nothing but the key.
 */
const modelArguments = new WeakMap<VerifyingKey, ModelArgument>();

function modelArgument(vk: VerifyingKey): ModelArgument {
  let a = modelArguments.get(vk);
  if (!a) modelArguments.set(vk, (a = argumentOf(vk.model, blockContext(vk.kzg, vk.model.graph), `model/v2/${bytesToHex(vk.digest.subarray(0, 8))}`)));
  return a;
}

/** The model argument of `model` over `ctx`'s key, its spec under `foldKey`. */
function argumentOf(model: ArgumentModel, ctx: BlockContext, foldKey: string): ModelArgument {
  const derived = derivedRows(model.graph);
  const g = derived.argument;
  const blocks = g.nodes.map((n) => n.block);
  // The relations of every block, the dropped ones' included: a derived row's blinding is the one they force.
  const relations = graphRelations(model.graph);
  const coefficients = rowCoefficients(model, g, ctx, relations);
  const stacked = stackedRows({
    graph: model.graph,
    derived,
    relinked: relinkedRows(model.graph),
    spec: modelSpecOf(foldKey, derived, ctx),
    nameOf: rowCommitmentNames(g),
    ctx,
    coefficients: (row) => coefficients.get(row) ?? blindingCoefficients(1),
  });
  const { spec } = stacked;
  const stackedTensors = new Set([...stacked.rows].map((row) => slotRow(row).tensor));
  return {
    derived,
    derivable: stacked.underived.size === 0 ? derived : { ...derived, tensors: derived.tensors.filter((d) => !stacked.underived.has(d.id)) },
    stacked,
    omitted: new Set([...derived.ids, ...stackedTensors]),
    uncommitted: new Set(spec.uncommitted ?? []),
    spec,
    protocol: modelArgumentProtocol(spec, ctx),
    blocks,
    relations,
    rowCoefficients: coefficients,
  };
}

/** What a model argument is built from: the compiled model's graph and its public tensors' layouts. */
type ArgumentModel = Pick<CompiledModel, 'graph' | 'inputs' | 'outputs'>;

/**
 * The protocol of a model's argument over any key of its SRS size, and its proofs' wire section in bytes: what sizes a
 * proof before any key exists (`inspect`).
 */
export function argumentLayout(model: ArgumentModel, ctx: BlockContext, foldKey: string): { readonly protocol: Protocol; readonly wireSectionBytes: number } {
  const a = argumentOf(model, ctx, foldKey);
  return { protocol: a.protocol, wireSectionBytes: wireBytes(model.graph, a) };
}

/**
 * The model argument's spec for a graph's derived-rows plan: the blocks of its argument graph, one name per row
 * commitment (`rowCommitmentNames`), and the derived rows' relations (their values at ζ computed, not sent).
 */
export function modelSpecOf(foldKey: string, derived: DerivedRows, ctx: BlockContext): PolyIopSpec {
  const g = derived.argument;
  return modelArgumentSpec(foldKey, g.nodes.map((n) => n.block), ctx, rowCommitmentNames(g), derivedRowRelations(derived), derived.relationsDerived);
}

/**
 * The blinding coefficients of each free row ({@link blindsFreely}) that some block's poly-IOP opens besides ζ:
 * `blindingCoefficients(e)`, e = 1 + its rotations in `graphOpenings` of the argument's blocks' specs
 * (`specOpeningRotations`), over the relations between free rows (those the solver ties; a fixed row ties none). The
 * key was sized by the same count of the blocks' declared rotations over every relation (`graphBlindingCoefficients`),
 * never fewer points; so a row or a block's own polynomial opened at more points than the key holds means some block
 * reads rotations it does not declare, and is a {@link BlockfoldError} naming the row and those blocks.
 */
function rowCoefficients(model: ArgumentModel, g: BlockGraph, ctx: BlockContext, relations: readonly RowRelation[]): Map<string, number> {
  const keyed = graphBlindingCoefficients(model.graph);
  const specs = g.nodes.map((node) => (node.block.iopSpec ? specOpeningRotations(node.block.iopSpec(ctx), node.block.tensors) : undefined));
  const layouts = new Map([...model.inputs, ...model.outputs].map((l) => [l.id, l]));
  const free = new Set(model.graph.tensors.filter((t) => blindsFreely(t, layouts.get(t.id))).flatMap((t) => Array.from({ length: t.rows }, (_, r) => rowSlot(t.id, r))));
  const tying = relations.map((rel) => ({ ...rel, terms: rel.terms.filter((t) => free.has(t.row)) })).filter((rel) => rel.terms.length > 1);
  const { rows, ownPoints } = graphOpenings(g.nodes, (i) => specs[i], tying);
  const refuse = (what: string, points: number): never => {
    throw new BlockfoldError('BLOCK', `${what} is opened at ${points} points, which takes ${blindingCoefficients(points)} blinding coefficients, but the key is sized for ${keyed} from the rotations its blocks declare (Block.openingRotations): ${undeclaredRotations(g, specs)}`);
  };
  if (blindingCoefficients(ownPoints) > keyed) refuse('a polynomial a block commits itself', ownPoints);
  const out = new Map<string, number>();
  for (const [row, ss] of rows) {
    if (!free.has(row)) continue;
    const points = 1 + ss.length;
    if (blindingCoefficients(points) > keyed) refuse(`row "${row}" (at ${ss.map(openingPointName).join(', ')}, its own points and those of the rows relations tie to it)`, points);
    out.set(row, blindingCoefficients(points));
  }
  return out;
}

/**
 * The blocks whose specs read rotations their declaration lacks (`Block.openingRotations`; none declared: no row
 * rotated; every key holds its own polynomials at ζ and ω·ζ), as a sentence for {@link rowCoefficients}'s refusal.
 */
function undeclaredRotations(g: BlockGraph, specs: readonly (OpeningRotations | undefined)[]): string {
  const found = g.nodes.flatMap((node, i) => {
    const actual = specs[i];
    if (!actual) return [];
    const declared: OpeningRotations = node.block.openingRotations?.() ?? { rows: {}, ownPoints: BASE_OPENING_POINTS };
    const what = (ss: readonly OpeningPoint[]) => (ss.length === 0 ? 'none' : ss.map(openingPointName).join(', '));
    const rows = Object.entries(actual.rows).flatMap(([t, ss]) => {
      const allowed = new Set((declared.rows[t] ?? []).map(openingPointName));
      return ss.some((s) => !allowed.has(openingPointName(s))) ? [`reads tensor "${t}" at ${what(ss)} but declares ${what(declared.rows[t] ?? [])}`] : [];
    });
    const own = actual.ownPoints > Math.max(declared.ownPoints, BASE_OPENING_POINTS) ? [`opens its own polynomials at ${actual.ownPoints} points but declares ${declared.ownPoints}`] : [];
    return [...rows, ...own].map((m) => `block ${i} (${node.block.foldKey}) ${m}`);
  });
  return found.join('; ');
}

/**
 * Whether the prover draws a tensor's row blindings itself (the solver's free rows): a wire or a private input or
 * output; not a weight (blinded at setup), a hashed input (blinded by its digest's definition) or a public input or
 * output (committed by the verifier, unblinded).
 */
function blindsFreely(t: GraphTensor, layout: PublicTensorLayout | undefined): boolean {
  return t.kind !== 'weight' && (layout === undefined || (layout.visibility !== 'hashed' && isHidden(layout)));
}

/**
 * The blinding b of every committed row of one proof (`[f + Z_H·b]₁`), by global row name: the rows the verifier
 * commits itself (public inputs and outputs) are fixed at zero, the weight rows at the proving key's b₀, the rows
 * of a hashed input at `hashedInputBlinding` (a function of the input, so its digest can be recomputed), and every
 * wire row and every row of a private input or output is free, with 2 coefficients (e + 1 if opened at e points); the
 * solver draws them from `source` so that every block's linear relation still holds (`row-blinding.ts`). A hashed
 * input's rows are blinded even in an `unblinded` proof: their digest is defined with its blinding.
 */
function proofRowBlinding(pk: ProvingKey, argument: ModelArgument, values: Tensors, source: BlindingSource): Map<string, readonly bigint[]> {
  const layouts = new Map([...pk.vk.model.inputs, ...pk.vk.model.outputs].map((l) => [l.id, l]));
  const fixed = new Map<string, readonly bigint[]>();
  const free = new Map<string, number>();
  for (const t of pk.model.graph.tensors) {
    const layout = layouts.get(t.id);
    const hashed = layout?.visibility === 'hashed' ? hashedInputBlinding(pk.vk.digest, t.id, values[t.id]) : undefined;
    for (let r = 0; r < t.rows; r++) {
      const row = rowSlot(t.id, r);
      if (blindsFreely(t, layout)) free.set(row, argument.rowCoefficients.get(row) ?? blindingCoefficients(1));
      else if (hashed) fixed.set(row, hashed[r]);
      else if (t.kind === 'weight') fixed.set(row, pk.weightBlinding[t.id][r]);
      else fixed.set(row, []);
    }
  }
  const solved: Map<string, readonly bigint[]> = solveRowBlinding({ relations: argument.relations, fixed, free }, source);
  for (const [row, b] of fixed) if (b.length > 0) solved.set(row, b);
  return solved;
}

/** The rows `vk`'s proofs send in stacks, its stacks in order and the argument's spec that opens them (`stacked-rows.ts`). */
export function stackedRowsOf(vk: VerifyingKey): StackedRows {
  return modelArgument(vk).stacked;
}

/** The bytes of a proof's wire section under `vk`: one G1 point per row sent alone and per stack. */
function wireSectionBytes(vk: VerifyingKey): number {
  return wireBytes(vk.model.graph, modelArgument(vk));
}

function wireBytes(g: BlockGraph, a: ModelArgument): number {
  return G1_BYTES * (sentWires(g, a.omitted).reduce((n, t) => n + t.rows, 0) + a.stacked.stacks.length);
}

/**
 * The commitment of each stack (`src/kzg/stack.ts`): its rows' values zero-padded to their domain, each blinded by
 * its row's b, the same b it would be committed with alone; its places past its rows hold zero.
 */
function commitStacks(ctx: BlockContext, stacks: readonly RowStack[], values: Record<string, readonly (readonly bigint[])[]>, blindingOf: (row: string) => readonly bigint[] | undefined): Promise<G1Point[]> {
  return Promise.all(
    stacks.map((s) =>
      commitStack(
        ctx.kzg,
        s.rows.map((row): StackMember => {
          const { tensor, row: r } = slotRow(row);
          const cells = values[tensor][r];
          return { values: rowEvaluations(cells, s.domain), blinding: blindingOf(row) ?? [] };
        }),
        s.size,
      ),
    ),
  );
}

/** The protocol of `vk`'s model argument: every proof of the model has it (one fold key, so proofs aggregate). */
export function modelProtocol(vk: VerifyingKey): Protocol {
  return modelArgument(vk).protocol;
}

function modelTranscript(vk: VerifyingKey, st: Statement): Transcript {
  return statementTranscript(vk, st).fork('protocol/v2');
}

/**
 * The argument's statement: every block's statement from the table, but the slots that hold no commitment (a stacked
 * row's, or a row derived from one: the table holds {@link NO_COMMITMENT} there, which nothing reads), then each
 * stack's commitment.
 */
function argumentStatement(argument: ModelArgument, table: CommitmentTable, stacks: readonly G1Point[]): SlotValues {
  const g = argument.derived.argument;
  const full = copyTables(table);
  for (const t of g.tensors) if (full[t.id] === undefined && (argument.omitted.has(t.id) || argument.stacked.underived.has(t.id))) full[t.id] = Array.from({ length: t.rows }, () => NO_COMMITMENT);
  const out: Record<string, SlotValues[string]> = modelArgumentStatement(g.nodes.map((node, i) => node.block.statement(nodeCommitments(g, i, full))), rowCommitmentNames(g), argument.uncommitted);
  argument.stacked.stacks.forEach((s, i) => (out[s.commitment] = stacks[i]));
  return out;
}

/**
 * What the table holds for a row with no commitment of its own: an object on which reading anything is a typed
 * error, so a block's statement may hold it in a slot but nothing can compute with it.
 */
const NO_COMMITMENT = new Proxy(Object.create(null) as object, {
  get: (_, property) => {
    throw new BlockfoldError('BLOCK', `a stacked row has no commitment of its own (read: ${String(property)})`);
  },
}) as G1Point;

/**
 * The blinding of one proof of the inputs and outputs in `values`. A seed keys it together with them: the key is
 * hashed from `D ‖ seed`, D the 32-byte digest of the statement's transcript with every input and output absorbed as
 * rows, hidden ones included (SRS, verifying key, input and output rows: for a model whose tensors are all public,
 * the statement's transcript itself), so one seed and one input give byte-identical proofs, while two inputs proven
 * under one seed draw independent blindings, even when they differ only in a private input. Keyed by the seed
 * alone, two such proofs would share every blinding polynomial b, and `C₁ − C₂ = [(f₁ + Z_H·b) − (f₂ + Z_H·b)](τ)`
 * would be the unblinded difference `[f₁ − f₂](τ)`. The key never depends on the hidden tensors' commitments,
 * which blinded rows will draw from it.
 */
function proofBlinding(vk: VerifyingKey, values: Record<string, readonly (readonly bigint[])[]>, options: ProveOptions): BlindingSource {
  if (options.unblinded) return UNBLINDED;
  const { seed } = options;
  // No seed: a fresh CSPRNG key; a seed of another type: blindingSource's typed error.
  if (typeof seed !== 'string' && !(seed instanceof Uint8Array)) return blindingSource(seed);
  const d = absorbStatement(vk, (l) => values[l.id], () => undefined).fork('blinding-seed').digest();
  return blindingSource(concatBytes(d, typeof seed === 'string' ? utf8ToBytes(seed) : seed));
}

/**
 * Proves the model on quantized `inputs`; returns the statement (inputs and computed outputs) and the proof.
 *
 * @example
 * ```ts
 * import { prove, quantizeFeeds, tensor } from 'blockfold';
 *
 * const inputs = quantizeFeeds(model, { input: tensor([4], [0.09, 0.13, 0.24, 0.05]) });
 * const { statement, proof } = await prove(pk, inputs, { onProgress: (step, done, total) => console.log(step, done, total) });
 * // A verifier needs pk.vk, the statement and proof.bytes.
 * ```
 */
export async function prove(pk: ProvingKey, inputs: Tensors, options: ProveOptions = {}): Promise<{ statement: Statement; proof: ModelProof }> {
  const { vk, model } = pk;
  checkInputs(pk, inputs);
  const g = model.graph;
  const progress = (done: number) => options.onProgress?.('prove', done, 2);
  progress(0);
  // From a key file (no quantized model ran in checkInputs) a value outside a table stops here, named, as a range does.
  const tables = tableInputCheck(g);
  for (const l of pk.model.inputs) tables(l.id, inputs[l.id]);
  const ranges = calibratedRangeCheck(model);
  const values = computeGraphWitness(g, { ...inputs, ...model.weights }, (id, rows) => (ranges(id, rows), tables(id, rows)));
  options.tamper?.(values);
  const blinding = proofBlinding(vk, values, options);
  const ctx: BlockContext = { ...blockContext(vk.kzg, vk.model.graph), allowInvalidWitness: options.allowInvalidWitness, blinding };
  const argument = modelArgument(vk);
  const rows = proofRowBlinding(pk, argument, values, blinding);
  const shown = (layouts: readonly PublicTensorLayout[], tensors: Tensors) => Object.fromEntries(layouts.filter((l) => !isHidden(l)).map((l) => [l.id, tensors[l.id]]));
  const commitments = await hiddenCommitments(ctx, vk, values, rows);
  const statement: Statement = { inputs: shown(vk.model.inputs, inputs), outputs: shown(vk.model.outputs, values), ...(Object.keys(commitments).length > 0 ? { commitments } : {}) };
  checkStatementShape(vk, statement);
  const { derived, spec, protocol, blocks } = argument;
  const relinked = relinkedRows(g);
  const blindingOf = (row: string) => rows.get(row);
  const [sent, stacks] = await Promise.all([
    (async () => ({
      ...(await commitTensors(ctx, sentWires(g, argument.omitted).filter((t) => !relinked.has(t.id)), values, blindingOf)),
      ...(await relinkMessages(ctx, g, relinked, values, blindingOf)),
    }))(),
    commitStacks(ctx, argument.stacked.stacks, values, blindingOf),
  ]);
  const table = await deriveCommitments(argument.derivable, ctx, await withRelinkedRows(ctx, relinked, copyTables(await publicCommitments(vk, statement), sent)));
  progress(1);
  const t = modelTranscript(vk, statement);
  const wires = writeWireCommitments(g, argument.omitted, relinked, sent, stacks, t);
  const a = derived.argument;
  const tensors = a.nodes.map((_, i) => nodeTensors(a, i, values));
  const names = rowCommitmentNames(a);
  const rowBlinding = (block: number, slot: string) => {
    const row = names(block, slot);
    return row === undefined ? undefined : rows.get(row);
  };
  // Members' steps side by side only when there are workers to compute beside the main thread: on one thread
  // interleaving them gains nothing and keeps more of their intermediate values alive at once.
  const { messages } = await proveLeaf(protocol, t.fork(leafLabel(spec.foldKey, 0)), ctx.engine, argumentStatement(argument, table, stacks), modelArgumentProver(spec, blocks, ctx, tensors, rowBlinding), ctx.engine.workers > 0 ? memberLane : undefined);
  const w = new ByteWriter();
  w.write(Uint8Array.from(MAGIC)).u8(PROOF_VERSION).u8(KIND_MODEL_PROOF).u8(options.unblinded ? 0 : ZK_FLAG);
  w.u32(wires.length).write(wires).write(messages);
  const bytes = w.bytes();
  progress(2);
  return { statement, proof: { bytes, size: { total: bytes.length, wireCommitments: wires.length, argument: messages.length } } };
}

/** Refuses something that is not a verifying key before anything reads it. */
export function checkVerifyingKey(vk: unknown): asserts vk is VerifyingKey {
  const k = vk as Partial<VerifyingKey> | null;
  if (k === null || typeof k !== 'object' || !(k.digest instanceof Uint8Array) || !(k.srsDigest instanceof Uint8Array) || !k.kzg || !k.modelCommitment || !k.model?.graph)
    throw new BlockfoldError('INPUT', 'the verifying key must be a VerifyingKey (from setup or decodeVerifyingKey)');
  if (!Array.isArray(k.model.inputs) || !Array.isArray(k.model.outputs)) throw new BlockfoldError('INPUT', 'the verifying key has no public tensor layouts');
}

/** What a verifier knows of one proof before reading its argument: the base transcript (after the wire commitments) and the leaf's protocol and statement. */
export interface ArgumentStatement {
  readonly base: Transcript;
  readonly leaf: LeafStatement;
}

/**
 * Reads a proof file's version byte (a model proof's or an aggregated file's): {@link PROOF_VERSION}, else a typed
 * error that names what an earlier version was, so an old file is refused by name, not as a length mismatch.
 */
export function readVersion(r: ByteReader): void {
  const version = r.u8('version');
  const earlier = EARLIER_VERSIONS[version];
  if (earlier) throw new EncodingError(`this is a version ${version} proof (${earlier}); this library reads version ${PROOF_VERSION} proofs (${CURRENT_VERSION}): prove again`);
  if (version !== PROOF_VERSION) throw new EncodingError(`unsupported proof version ${version} (this library reads version ${PROOF_VERSION})`);
}

/** Reads and checks a model proof's header (magic, version, kind, zk flag); a typed error names what is wrong. */
function readHeader(r: ByteReader): void {
  const magic = r.take(4, 'magic');
  if (!MAGIC.every((b, i) => magic[i] === b)) throw new EncodingError('not a blockfold proof (bad magic)');
  readVersion(r);
  if (r.u8('kind') !== KIND_MODEL_PROOF) throw new EncodingError('not a model proof');
  readZkFlag(r);
}

/**
 * Reads a proof's header and wire section: the argument's base transcript and statement, and a reader at the
 * argument's messages. Throws a typed error on malformed bytes.
 */
export async function readArgumentStatement(vk: VerifyingKey, statement: Statement, proof: Uint8Array): Promise<ArgumentStatement & { messages: ByteReader }> {
  checkStatementShape(vk, statement);
  const r = new ByteReader(proof);
  readHeader(r);
  const argument = modelArgument(vk);
  // The wire section's length is the key's before any commitment is computed or decoded.
  const length = r.u32('wire section length');
  if (length > r.remaining) throw new EncodingError(`the proof is truncated: its wire section length is ${length} bytes, ${r.remaining} are left`);
  const expected = wireSectionBytes(vk);
  if (length !== expected) throw new EncodingError(`the wire section holds ${length} bytes; this key's proofs send ${expected}`);
  const wires = new ByteReader(r.take(length, 'wire section'));
  const base = modelTranscript(vk, statement);
  const relinked = relinkedRows(vk.model.graph);
  const sent = readWireCommitments(vk.model.graph, argument.omitted, relinked, await publicCommitments(vk, statement), argument.stacked.stacks.length, base, wires);
  wires.finish('wire section');
  const ctx = blockContext(vk.kzg, vk.model.graph);
  const table = await deriveCommitments(argument.derivable, ctx, await withRelinkedRows(ctx, relinked, sent.table));
  return { base, leaf: { protocol: argument.protocol, statement: argumentStatement(argument, table, sent.stacks) }, messages: r };
}

/**
 * Replays a proof's argument as the verifier (every challenge recomputed, every message read and checked),
 * without deciding it: the leaf instance that `verify` decides alone and `aggregate` folds with others.
 */
export async function replayArgument(vk: VerifyingKey, statement: Statement, proof: Uint8Array): Promise<{ base: Transcript; instance: LeafInstance }> {
  return replayWith(vk, statement, proof, (engine) => engine);
}

/** {@link replayArgument} with the engine its derived steps compute with, made from the key's. */
async function replayWith(vk: VerifyingKey, statement: Statement, proof: Uint8Array, replayEngine: (engine: Engine) => Engine): Promise<{ base: Transcript; instance: LeafInstance }> {
  if (!(proof instanceof Uint8Array)) throw new EncodingError('the proof must be bytes (a Uint8Array)');
  checkVerifyingKey(vk);
  const { base, leaf, messages } = await readArgumentStatement(vk, statement, proof);
  const instance = await replayLeaf(leaf.protocol, base.fork(leafLabel(leaf.protocol.foldKey, 0)), replayEngine(vk.kzg.engine), leaf.statement, messages);
  messages.finish('proof');
  return { base, instance };
}

/**
 * Verifies a proof against a verifying key and a statement; bad proof bytes give a reason, never an
 * exception. On acceptance, returns the proven outputs as floats (see {@link VerifyResult}).
 *
 * The argument is replayed with its derived G1 combinations deferred (`deferringEngine`): each joins the final
 * multi-pairing's MSM term by term instead of being computed alone, which decides the same product.
 *
 * @example
 * ```ts
 * import { verify } from 'blockfold';
 *
 * const result = await verify(vk, statement, proofBytes);
 * if (result.ok) for (const o of result.outputs) console.log(o.name, o.values); // what the proof binds
 * else console.error(`rejected: ${result.reason}`);
 * ```
 */
export async function verify(vk: VerifyingKey, statement: Statement, proof: Uint8Array): Promise<VerifyResult> {
  try {
    const { base, instance } = await replayWith(vk, statement, proof, deferringEngine);
    const verdict = await verifyInstances(vk.kzg.engine, [instance], base);
    return verdict.ok ? acceptance(vk, statement) : verdict;
  } catch (e) {
    if (e instanceof BlockfoldError) return { ok: false, reason: e.message };
    throw e;
  }
}
