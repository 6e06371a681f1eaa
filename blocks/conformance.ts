/**
 * The conformance harness for blocks, built-in or custom. Given a block, a context and inputs, it checks:
 *
 * 0. **message roles** (docs/soundness.md rule 2): the protocol passes `validateProtocol`, which pins every G1 message
 *    it can judge from the protocol alone, and on the honest proof's values every message that only a derived
 *    commitment reads reaches an opened one (`checkDerivedRoles`); a `MessageRoleError` names the message otherwise;
 * 1. **completeness**: the honest proof verifies (replayed from bytes, then the batch check);
 * 2. **determinism**: proving twice with one blinding seed gives the same bytes, a fresh blinding a proof that
 *    verifies; decoding and re-encoding gives the same bytes;
 * 3. **message tampering**: every message slot replaced by another valid value, and random bit flips of the
 *    proof bytes, are rejected (a decoding error counts as a rejection);
 * 4. **witness tampering**: any output cell changed (tensors re-committed, the prover run with
 *    `allowInvalidWitness`) is rejected;
 * 5. **statement tampering**: every statement slot replaced is rejected with the honest proof's bytes; and the honest
 *    prover, its witness checks bypassed, run against the statement of tensors with one cell changed (re-committed)
 *    is rejected whenever that statement is false: an output cell changed, or an input cell whose change changes the
 *    block's outputs (`Block.witness`) or leaves it none. A block whose equations never read a statement slot fails
 *    here: the honest messages then fit any value of that slot;
 * 6. **blinded rows** (a block with a poly-IOP spec, proven as the model-level argument proves it): every row
 *    committed as `[f + Z_H·b]₁` with b given to the prover (`BlockContext.statementBlinding`), the proof verifies,
 *    every evaluation it reveals of a row (or of a combination of rows) differs from the unblinded row's at the
 *    same point, and every message or statement slot replaced is rejected.
 *
 * Random choices come from fast-check, so a failure is reported with a reproducible counterexample.
 * @module
 */
import fc from 'fast-check';
import { blindingSource } from '../src/blinding';
import { G1, G1_ONE, G2, G2_ONE, type G1Point } from '../src/curve';
import { ByteReader, ByteWriter } from '../src/encoding/bytes';
import type { SlotDecl, SlotValue, SlotValues } from '../src/equations/equation';
import { BlockfoldError } from '../src/errors';
import { frSlot } from '../src/equations/evaluate';
import { R } from '../src/field';
import { commitVanishingMultiple } from '../src/kzg/commit';
import { EvaluationDomain } from '../src/poly/domain';
import { Transcript } from '../src/transcript';
import { verifyInstances, type Verdict } from './batch-verify';
import type { Block, BlockContext, Tensors } from './block';
import { commitRows, rowEvaluations } from './commit-rows';
import { combineRowValues, oracleEvaluationSlot, polyIopProtocol, polyIopProver } from './poly-iop';
import { blindingCoefficients } from './hiding';
import type { MessageSource } from './schedule';
import { leafLabel, proveLeaf, replayLeaf } from './leaf';
import { checkDerivedRoles } from './message-roles';
import { messageSize, writeMessages } from './messages';
import { messageSlots, statementSlots, validateProtocol, type Protocol } from './protocol';

/** A conformance check that failed. */
export class ConformanceError extends BlockfoldError {
  constructor(message: string) {
    super('BLOCK', message);
  }
}

/** Options of {@link checkConformance}. */
export interface ConformanceOptions {
  /** fast-check runs per random property (default 8). */
  readonly numRuns?: number;
  /** fast-check seed (default 1). */
  readonly seed?: number;
  /** Output tensors whose cells the witness tampering may change (default: every output). */
  readonly tamperOutputs?: readonly string[];
  /**
   * Step 6: the blinding b of row `row` of tensor `tensor` (committed as `[f + Z_H·b]₁`; undefined or empty:
   * unblinded), default fresh coefficients for every row, one per point its tensor is opened at plus one (2 unless
   * rotated, `Block.openingRotations`); `false` skips the step. A block that checks linear
   * relations on its rows' commitments (the differences of max) needs blindings that satisfy them.
   */
  readonly rowBlinding?: false | ((tensor: string, row: number) => readonly bigint[] | undefined);
}

/** What the harness measured. */
export interface ConformanceReport {
  readonly foldKey: string;
  readonly proofBytes: number;
  readonly size: { g1: number; g2: number; fr: number; total: number };
  readonly messageSlotsTampered: number;
  readonly statementSlotsTampered: number;
  readonly witnessTamperings: number;
  /** Step 5: proofs the honest prover made against a false statement (one cell of a tensor changed, re-committed). */
  readonly statementReproofs: number;
  /** Step 6: evaluations of blinded rows (or combinations of rows) checked to differ from the unblinded rows'. */
  readonly blindedEvaluations: number;
  /**
   * Step 6, binding: a prover that opens the unblinded rows instead of what was committed is rejected, whether the
   * rows are evaluated or inside the linearized combination (`blindedEvaluations` is the hiding check, and reaches only
   * evaluated rows: a linearized row sends nothing).
   */
  readonly unblindedRowsRejected: boolean;
}

const PROTOCOL_LABEL = 'blockfold/conformance/v1';

async function commitAll(block: Block, ctx: BlockContext, tensors: Tensors): Promise<Record<string, G1Point[]>> {
  const out: Record<string, G1Point[]> = {};
  for (const spec of block.tensors) {
    const rows = tensors[spec.name];
    if (!rows) throw new ConformanceError(`${block.kind}: tensor "${spec.name}" missing from the witness`);
    if (rows.length !== spec.rows) throw new ConformanceError(`${block.kind}: tensor "${spec.name}" has ${rows.length} rows, declared ${spec.rows}`);
    out[spec.name] = await commitRows(ctx.kzg, rows, spec.domain);
  }
  return out;
}

/** Proves one leaf of `block` on `tensors` and returns its message bytes. */
export async function proveBlock(block: Block, ctx: BlockContext, protocol: Protocol, statement: SlotValues, tensors: Tensors): Promise<Uint8Array> {
  return proveWith(ctx, protocol, statement, block.prover(ctx, tensors));
}

async function proveWith(ctx: BlockContext, protocol: Protocol, statement: SlotValues, source: MessageSource): Promise<Uint8Array> {
  const t = Transcript.create(PROTOCOL_LABEL).fork(leafLabel(protocol.foldKey, 0));
  const { messages } = await proveLeaf(protocol, t, ctx.engine, statement, source);
  return messages;
}

/** Verifies one leaf's message bytes against a statement: replay, no trailing bytes, batch check. */
export async function verifyBlock(ctx: BlockContext, protocol: Protocol, statement: SlotValues, messages: Uint8Array): Promise<Verdict> {
  const base = Transcript.create(PROTOCOL_LABEL);
  try {
    const reader = new ByteReader(messages);
    const leaf = await replayLeaf(protocol, base.fork(leafLabel(protocol.foldKey, 0)), ctx.engine, statement, reader);
    reader.finish('leaf messages');
    return await verifyInstances(ctx.engine, [leaf], base);
  } catch (e) {
    if (e instanceof BlockfoldError) return { ok: false, reason: e.message };
    throw e;
  }
}

function otherValue(d: SlotDecl, v: SlotValue, k: bigint): SlotValue {
  const delta = 1n + (k % (R - 1n));
  if (d.sort === 'fr') return ((v as bigint) + delta) % R;
  if (d.sort === 'g1') return (v as InstanceType<typeof G1>).add(G1_ONE.multiply(delta));
  return (v as InstanceType<typeof G2>).add(G2_ONE.multiply(delta));
}

function encodeWith(protocol: Protocol, values: SlotValues): Uint8Array {
  const w = new ByteWriter();
  writeMessages(protocol, values, w);
  return w.bytes();
}

/**
 * fast-check's `assert`, with a failure rethrown as the {@link ConformanceError} that failed (fast-check keeps it as
 * its error's `cause`), its counterexample and seed appended, so a caller reads the reason from the harness's own type.
 */
async function assertProperty<Ts extends unknown[]>(property: fc.IAsyncProperty<Ts>, params: fc.Parameters<Ts>): Promise<void> {
  try {
    await fc.assert(property, params);
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause;
    if (!(cause instanceof ConformanceError)) throw e;
    const counterexample = (e as Error).message.split('\n').find((line) => line.startsWith('Counterexample')) ?? 'no counterexample';
    throw new ConformanceError(`${cause.message} (fast-check ${counterexample.toLowerCase()}, seed ${params.seed})`);
  }
}

/** Runs every conformance check; throws a {@link ConformanceError} naming the first failure (a `MessageRoleError` for step 0). */
export async function checkConformance(block: Block, ctx: BlockContext, inputs: Tensors, options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const numRuns = options.numRuns ?? 8;
  const seed = options.seed ?? 1;
  const protocol = block.protocol(ctx);
  validateProtocol(protocol);
  if (protocol.foldKey !== block.foldKey) throw new ConformanceError(`${block.kind}: protocol fold key ${protocol.foldKey} ≠ block fold key ${block.foldKey}`);
  const tensors: Tensors = { ...inputs, ...block.witness(inputs) };
  const statement = block.statement(await commitAll(block, ctx, tensors));

  // 1–2. completeness, determinism under a blinding seed, fresh blinding without one, round trip
  const seeded = (): BlockContext => ({ ...ctx, blinding: blindingSource(`conformance/${seed}`) });
  const proof = await proveBlock(block, seeded(), protocol, statement, tensors);
  const verdict = await verifyBlock(ctx, protocol, statement, proof);
  if (!verdict.ok) throw new ConformanceError(`${block.kind}: honest proof rejected: ${verdict.reason}`);
  const again = await proveBlock(block, seeded(), protocol, statement, tensors);
  if (Buffer.compare(Buffer.from(proof), Buffer.from(again)) !== 0) throw new ConformanceError(`${block.kind}: proving with one blinding seed is not deterministic`);
  const fresh = await proveBlock(block, { ...ctx, blinding: blindingSource() }, protocol, statement, tensors);
  const freshVerdict = await verifyBlock(ctx, protocol, statement, fresh);
  if (!freshVerdict.ok) throw new ConformanceError(`${block.kind}: honest proof with fresh blinding rejected: ${freshVerdict.reason}`);
  const replayT = Transcript.create(PROTOCOL_LABEL).fork(leafLabel(protocol.foldKey, 0));
  const leaf = await replayLeaf(protocol, replayT, ctx.engine, statement, new ByteReader(proof));
  if (Buffer.compare(Buffer.from(encodeWith(protocol, leaf.values)), Buffer.from(proof)) !== 0)
    throw new ConformanceError(`${block.kind}: decode/encode round trip changed the bytes`);
  await checkDerivedRoles(protocol, leaf.values, ctx.engine);

  const mustReject = async (what: string, st: SlotValues, bytes: Uint8Array, p: Protocol = protocol) => {
    const v = await verifyBlock(ctx, p, st, bytes);
    if (v.ok) throw new ConformanceError(`${block.kind}: accepted a proof with ${what}`);
  };
  const rejectsEveryMessageSlot = async (p: Protocol, st: SlotValues, values: SlotValues, what = '') => {
    for (const [i, d] of messageSlots(p).entries())
      await mustReject(`message slot "${d.name}" changed${what}`, st, encodeWith(p, { ...values, [d.name]: otherValue(d, values[d.name], BigInt(i) * 7919n) }), p);
  };
  const rejectsEveryStatementSlot = async (p: Protocol, st: SlotValues, bytes: Uint8Array, what = '') => {
    for (const [i, d] of statementSlots(p).entries())
      await mustReject(`statement slot "${d.name}" changed${what}`, { ...st, [d.name]: otherValue(d, st[d.name], BigInt(i) + 3n) }, bytes, p);
  };

  // 3. every message slot, then random slots and bit flips
  const messages = messageSlots(protocol);
  await rejectsEveryMessageSlot(protocol, statement, leaf.values);
  if (proof.length > 0) {
    await assertProperty(
      fc.asyncProperty(fc.nat({ max: proof.length * 8 - 1 }), async (bit) => {
        const bytes = proof.slice();
        bytes[bit >> 3] ^= 1 << (bit & 7);
        await mustReject(`bit ${bit} flipped`, statement, bytes);
      }),
      { numRuns, seed },
    );
  }

  // 4. output cells
  const cheatCtx: BlockContext = { ...ctx, allowInvalidWitness: true };
  /** `tensors` with the cell `name[r][c]` moved by `by`. */
  const withCellChanged = (name: string, r: number, c: number, by: bigint): Tensors => {
    const rows = tensors[name].map((row) => row.slice());
    rows[r][c] += by;
    return { ...tensors, [name]: rows };
  };
  /** The prover's messages for `st`, its witness checks bypassed; undefined when it cannot produce them at all. */
  const cheatingProof = async (st: SlotValues, witness: Tensors): Promise<Uint8Array | undefined> => {
    try {
      return await proveBlock(block, cheatCtx, protocol, st, witness);
    } catch (e) {
      if (e instanceof BlockfoldError) return undefined;
      throw e;
    }
  };
  const outputs = block.tensors.filter((s) => s.role === 'output' && (options.tamperOutputs?.includes(s.name) ?? true));
  let witnessTamperings = 0;
  const cells = outputs.flatMap((s) => tensors[s.name].flatMap((row, r) => row.map((_, c) => ({ name: s.name, r, c }))));
  if (cells.length > 0) {
    await assertProperty(
      fc.asyncProperty(fc.nat({ max: cells.length - 1 }), fc.bigInt({ min: 1n, max: 1n << 20n }), fc.boolean(), async (idx, mag, neg) => {
        const { name, r, c } = cells[idx];
        const bad = withCellChanged(name, r, c, neg ? -mag : mag);
        const badStatement = block.statement(await commitAll(block, ctx, bad));
        const bytes = await cheatingProof(badStatement, bad);
        if (!bytes) return;
        witnessTamperings++;
        await mustReject(`output ${name}[${r}][${c}] changed`, badStatement, bytes);
      }),
      { numRuns, seed },
    );
  }

  // 5. statement slots with the honest proof's bytes; then the honest prover run against a false statement, its
  // messages fitted to that statement's challenges, which only an equation reading the changed slot can tell.
  const stmt = statementSlots(protocol);
  await rejectsEveryStatementSlot(protocol, statement, proof);
  const inputNames = block.tensors.filter((s) => s.role === 'input').map((s) => s.name);
  /** Whether the tensors, one cell changed, are no witness of the block: its outputs are not those of its inputs. */
  const isFalse = (changed: Tensors, role: 'input' | 'output'): boolean => {
    if (role === 'output') return true;
    let expected: Tensors;
    try {
      expected = block.witness(Object.fromEntries(inputNames.map((n) => [n, changed[n]])));
    } catch (e) {
      if (e instanceof BlockfoldError) return true; // inputs the block has no output for
      throw e;
    }
    return Object.entries(expected).some(([name, rows]) => rows.some((row, r) => row.some((v, c) => v !== changed[name][r][c])));
  };
  let statementReproofs = 0;
  const everyCell = block.tensors.flatMap((s) => tensors[s.name].flatMap((row, r) => row.map((_, c) => ({ name: s.name, role: s.role, r, c }))));
  if (everyCell.length > 0) {
    await assertProperty(
      fc.asyncProperty(fc.nat({ max: everyCell.length - 1 }), fc.bigInt({ min: 1n, max: 1n << 20n }), fc.boolean(), async (idx, mag, neg) => {
        const { name, role, r, c } = everyCell[idx];
        const changed = withCellChanged(name, r, c, neg ? -mag : mag);
        if (!isFalse(changed, role)) return;
        const st = block.statement(await commitAll(block, ctx, changed));
        const bytes = await cheatingProof(st, tensors);
        if (!bytes) return;
        statementReproofs++;
        await mustReject(`the honest prover's messages for the statement of ${name}[${r}][${c}] changed`, st, bytes);
      }),
      { numRuns, seed },
    );
  }

  // 6. blinded rows
  let blindedEvaluations = 0;
  let unblindedRowsRejected = false;
  if (options.rowBlinding !== false && block.iopSpec && block.iopProver) {
    const drawn = blindingSource(`conformance/rows/${seed}`);
    // Each row as the pipeline blinds it: one coefficient per point its tensor is opened at, plus one.
    const rotated = block.openingRotations?.().rows ?? {};
    const rowBlinding = options.rowBlinding ?? ((t: string, r: number) => drawn.draw(`${t}/${r}`, blindingCoefficients(1 + (rotated[t]?.length ?? 0))));
    const blinded = await blindedRowProof(block, seeded(), tensors, rowBlinding);
    const v = await verifyBlock(ctx, blinded.protocol, blinded.statement, blinded.proof);
    if (!v.ok) throw new ConformanceError(`${block.kind}: honest proof over blinded rows rejected: ${v.reason}`);
    blindedEvaluations = blinded.revealed;
    unblindedRowsRejected = blinded.unblindedRowsRejected;
    await rejectsEveryMessageSlot(blinded.protocol, blinded.statement, blinded.values, ' (blinded rows)');
    await rejectsEveryStatementSlot(blinded.protocol, blinded.statement, blinded.proof, ' (blinded rows)');
  }

  return {
    foldKey: protocol.foldKey,
    proofBytes: proof.length,
    size: messageSize(protocol),
    messageSlotsTampered: messages.length,
    statementSlotsTampered: stmt.length,
    witnessTamperings,
    statementReproofs,
    blindedEvaluations,
    unblindedRowsRejected,
  };
}

/** A row of a block tensor as step 6 commits it: its values on H and its blinding b. */
interface BlindedRow {
  readonly values: readonly bigint[];
  readonly blinding: readonly bigint[];
}

/**
 * Step 6 of {@link checkConformance}: the block's poly-IOP proven on rows committed as `[f + Z_H·b]₁`, the prover told
 * each statement slot's b. Checks that each evaluation at ζ (the proof has one unless the oracle is linearized) of an oracle over blinded rows differs from the
 * unblinded rows' value there (`revealed` counts them), so the proof opens what was committed, not the rows; and
 * that a proof from a prover told no blinding (it opens the rows themselves) is rejected.
 */
async function blindedRowProof(block: Block, ctx: BlockContext, tensors: Tensors, rowBlinding: (tensor: string, row: number) => readonly bigint[] | undefined) {
  const rows = new Map<string, BlindedRow>();
  const commitments: Record<string, G1Point[]> = {};
  for (const t of block.tensors) {
    const plain = await commitRows(ctx.kzg, tensors[t.name], t.domain);
    commitments[t.name] = [];
    for (const [r, p] of plain.entries()) {
      const blinding = rowBlinding(t.name, r) ?? [];
      const commitment = blinding.length > 0 ? p.add(await commitVanishingMultiple(ctx.kzg, t.domain, blinding)) : p;
      commitments[t.name].push(commitment);
      rows.set(commitment.toHex(), { values: rowEvaluations(tensors[t.name][r], t.domain), blinding });
    }
  }
  const statement = block.statement(commitments);
  // The rows by statement slot, whatever the block names its slots: a commitment determines its row and blinding.
  const rowOf = (slot: string): BlindedRow | undefined => {
    const p = statement[slot];
    return p instanceof G1 ? rows.get(p.toHex()) : undefined;
  };
  const proving: BlockContext = { ...ctx, statementBlinding: (slot) => rowOf(slot)?.blinding };
  const spec = block.iopSpec!(proving);
  const protocol = polyIopProtocol(spec, ctx.kzg, ctx.engine);
  const proof = await proveWith(proving, protocol, statement, polyIopProver(spec, proving, block.iopProver!(proving, tensors)));
  const { values } = await replayLeaf(protocol, Transcript.create(PROTOCOL_LABEL).fork(leafLabel(protocol.foldKey, 0)), ctx.engine, statement, new ByteReader(proof));
  let revealed = 0;
  for (const o of spec.oracles) {
    // A linearized oracle (docs/protocol.md, "Linearization") has no evaluation in the proof: nothing to compare.
    if (!(oracleEvaluationSlot(o.name) in values)) continue;
    const c = o.combination?.(values) ?? (rowOf(o.commitment) ? { slots: [o.commitment], scalars: [1n] } : undefined);
    const combined = c?.slots.map(rowOf);
    if (!c || !combined?.every((row) => row !== undefined) || combined.every((row) => row.blinding.every((x) => x === 0n))) continue;
    const unblinded = new EvaluationDomain(o.domain, ctx.engine).evaluateInterpolant(combineRowValues(combined.map((row) => row.values), c.scalars), frSlot(values, 'zeta'));
    if (frSlot(values, oracleEvaluationSlot(o.name)) === unblinded)
      throw new ConformanceError(`${block.kind}: the proof over blinded rows reveals the unblinded value of oracle "${o.name}" at ζ`);
    revealed++;
  }
  const unblinded: BlockContext = { ...ctx, statementBlinding: () => undefined };
  const rowsProof = await proveWith(unblinded, protocol, statement, polyIopProver(spec, unblinded, block.iopProver!(unblinded, tensors)));
  const unblindedRowsRejected = !(await verifyBlock(ctx, protocol, statement, rowsProof)).ok;
  return { protocol, statement, proof, values, revealed, unblindedRowsRejected };
}
