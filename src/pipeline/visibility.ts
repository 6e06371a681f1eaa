/**
 * Visibility per tensor, chosen at compile time: which model inputs and outputs a proof's statement shows as
 * their integer rows (`public`, the default), as their row commitments only (`private`), or, for an input, as row
 * commitments whose Keccak-256 digest identifies it (`hashed`, `hashed-input.ts`).
 *
 * Visibility is part of the architecture: it changes what the statement holds and what the transcript absorbs in
 * its place (docs/protocol.md, "Transcript order"), so it is encoded in the canonical architecture and covered by
 * the verifying-key digest; a key cannot be read with another visibility than the one its proofs were made for.
 * A hidden input is no longer bounded by the verifier's check of its integers, so the compiler range-checks it in
 * the circuit (`lowerQuantModel`'s `rangeChecked`): a proof still says the input lies within {@link hiddenInputRange}
 * of its layout's bound (the bound widened to a power of two, at most twice as wide).
 * @module
 */
import { BlockfoldError } from '../errors';
import { BlockGraphError, provenRanges, type BlockGraph } from './block-graph';
import type { PublicTensorLayout, Visibility } from './compiled-model';

/** The visibilities an output may have: an output is computed, so there is no known value to hash. */
export type OutputVisibility = Exclude<Visibility, 'hashed'>;

/** `compile`'s visibility option: a visibility per input and output name; tensors not named stay public. */
export interface VisibilityOptions {
  readonly inputs?: Readonly<Record<string, Visibility>>;
  readonly outputs?: Readonly<Record<string, OutputVisibility>>;
}

const INPUT_VISIBILITIES: readonly Visibility[] = ['public', 'private', 'hashed'];
const OUTPUT_VISIBILITIES: readonly Visibility[] = ['public', 'private'];

/** The visibility of each of `names` (in order) that `chosen` gives it, every name checked against `names` and every value against what its kind allows. */
function visibilityOf(names: readonly string[], chosen: unknown, kind: 'input' | 'output'): Visibility[] {
  if (chosen === undefined) return names.map(() => 'public');
  if (chosen === null || typeof chosen !== 'object' || Array.isArray(chosen))
    throw new BlockfoldError('INPUT', `visibility.${kind}s must be an object of visibilities by ${kind} name`);
  const allowed = kind === 'input' ? INPUT_VISIBILITIES : OUTPUT_VISIBILITIES;
  for (const [name, v] of Object.entries(chosen)) {
    if (!names.includes(name)) throw new BlockfoldError('INPUT', `visibility: the model has no ${kind} "${name}" (${kind}s: ${names.join(', ')})`);
    if (!allowed.includes(v as Visibility)) throw new BlockfoldError('INPUT', `visibility of ${kind} "${name}" is ${JSON.stringify(v)}; an ${kind} is ${allowed.join(', ')}`);
  }
  const byName = chosen as Readonly<Record<string, Visibility>>;
  return names.map((name) => (Object.hasOwn(byName, name) ? byName[name] : 'public'));
}

/**
 * The visibility of each model input and output (in the model's order) under `options`; every tensor not named is
 * `public`. A name that is not one of the model's inputs or outputs, or a visibility the tensor cannot have (a
 * hashed output), is a typed error listing the model's names.
 */
export function resolveVisibility(inputs: readonly string[], outputs: readonly string[], options: VisibilityOptions | undefined): { inputs: Visibility[]; outputs: Visibility[] } {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options)))
    throw new BlockfoldError('INPUT', 'the visibility option must be an object { inputs?, outputs? }');
  return { inputs: visibilityOf(inputs, options?.inputs, 'input'), outputs: visibilityOf(outputs, options?.outputs, 'output') };
}

/** Whether the statement holds a tensor's commitments instead of its rows. */
export function isHidden(l: Pick<PublicTensorLayout, 'visibility'>): boolean {
  return l.visibility !== 'public';
}

/**
 * The range the proof enforces on a hidden input of integer bound `[lo, hi]`: `[lo, lo + 2^b − 1]` for the least b
 * with `hi − lo < 2^b` (one limb-split range check, at most twice the bound's width; the lowering's bounds stay at
 * most one bit wider than the quantizer's, far below r/2).
 */
export function hiddenInputRange(bound: readonly [bigint, bigint]): { lo: bigint; hi: bigint; bits: number } {
  const [lo, hi] = bound;
  const bits = hi > lo ? (hi - lo).toString(2).length : 0;
  return { lo, hi: lo + (1n << BigInt(bits)) - 1n, bits };
}

/**
 * Refuses a graph that does not prove {@link hiddenInputRange} on every real cell of each hidden input: the
 * verifier sees only its commitments, so without the range check a proof would hold for field elements far outside
 * the bound the model's integer semantics (and every bound derived from it) start from.
 */
export function checkHiddenInputsRanged(graph: BlockGraph, inputs: readonly PublicTensorLayout[]): void {
  const hidden = inputs.filter(isHidden);
  if (hidden.length === 0) return;
  const proven = provenRanges(graph);
  for (const l of hidden) {
    const want = hiddenInputRange(l.bound);
    const ok = (proven.get(l.id) ?? []).some((f) => f.cells >= l.rowLength && f.lo >= want.lo && f.hi <= want.hi);
    if (!ok) throw new BlockGraphError(`${l.visibility} input "${l.name}" (tensor ${l.id}) is not range-checked to [${want.lo}, ${want.hi}]: the verifier does not see its integers`);
  }
}
