/**
 * The statement as a user reads it (`prove --json`): each model input and output under its ONNX name. The names come
 * from the verifying key's architecture, which the key's digest covers and every proof's transcript absorbs: a proof
 * verified against that key binds the statement's rows and commitments to these names, while a name written beside
 * them (in a file, by the prover) would bind nothing. The statement itself and its file form (`statementToJson`) key
 * tensors by internal id (`t0`, `t25`), kept here as `id` for scripts that read those.
 * @module
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { encodeG1 } from '../encoding/points';
import { BlockfoldError } from '../errors';
import type { PublicTensorLayout } from './compiled-model';
import { hashedInputDigest } from './hashed-input';
import type { VerifyingKey } from './keys';
import type { Statement } from './prove-verify';

/**
 * One input or output of a named statement: its internal id, its ONNX shape, and what the statement holds of it: its
 * integer rows (public, decimal strings: they exceed 2^53), or its row commitments (private and hashed, compressed G1
 * in hex) with, for a hashed input, their Keccak-256 digest (what `verify --input` compares).
 */
export type NamedTensorJson =
  | { readonly id: string; readonly shape: readonly number[]; readonly visibility: 'public'; readonly rows: readonly (readonly string[])[] }
  | { readonly id: string; readonly shape: readonly number[]; readonly visibility: 'private'; readonly commitments: readonly string[] }
  | { readonly id: string; readonly shape: readonly number[]; readonly visibility: 'hashed'; readonly commitments: readonly string[]; readonly digest: string };

/** A statement by ONNX name (see {@link namedStatementJson}). */
export interface NamedStatementJson {
  readonly inputs: Readonly<Record<string, NamedTensorJson>>;
  readonly outputs: Readonly<Record<string, NamedTensorJson>>;
}

/**
 * `statement` under the ONNX names of `vk`'s architecture, in its order: for each input and output layout `l`, the
 * statement's entry for `l.id`. A statement without an entry the key's layouts name is not this key's: a typed
 * `PROOF` error naming the tensor.
 */
export function namedStatementJson(vk: Pick<VerifyingKey, 'model'>, statement: Statement): NamedStatementJson {
  const named = (kind: 'input' | 'output', l: PublicTensorLayout): NamedTensorJson => {
    const missing = () => new BlockfoldError('PROOF', `the statement holds nothing for ${kind} "${l.name}" (${l.id}) of the verifying key`);
    if (l.visibility === 'public') {
      const rows = (kind === 'input' ? statement.inputs : statement.outputs)[l.id];
      if (rows === undefined) throw missing();
      return { id: l.id, shape: l.shape, visibility: 'public', rows: rows.map((r) => r.map(String)) };
    }
    const commitments = statement.commitments?.[l.id];
    if (commitments === undefined) throw missing();
    const hex = commitments.map((c) => bytesToHex(encodeG1(c)));
    return l.visibility === 'hashed'
      ? { id: l.id, shape: l.shape, visibility: 'hashed', commitments: hex, digest: hashedInputDigest(commitments) }
      : { id: l.id, shape: l.shape, visibility: 'private', commitments: hex };
  };
  return {
    inputs: Object.fromEntries(vk.model.inputs.map((l) => [l.name, named('input', l)])),
    outputs: Object.fromEntries(vk.model.outputs.map((l) => [l.name, named('output', l)])),
  };
}
