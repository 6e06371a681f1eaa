/**
 * Hashed inputs: the statement holds an input's row commitments `C_i = [f_i + Z_H·b_i]₁`, and what identifies the
 * input is their digest `Keccak-256(C_0 ‖ C_1 ‖ …)` (compressed encodings, row order).
 *
 * The blinding b_i is not random but a pseudorandom function of the input itself:
 * `b = PRF(Keccak-256("blockfold/hashed-input" ‖ vk digest ‖ tensor id ‖ the quantized rows))`
 * ({@link hashedInputBlinding}). A verifier who knows the input recomputes the commitments from the verifying key
 * alone (it holds the input domain's Lagrange basis and `[τ^j·Z_H(τ)]₁` for j < 2, bound by its digest and compared
 * with the ceremony by `check-key`: a wrong one would give another input's digest) and compares digests
 * ({@link inputDigest}); KZG commitments are binding, so the digest identifies the quantized input. A verifier who
 * does not know it sees the commitments masked by a pseudorandom b, and no evaluation of the rows (below): they
 * reveal nothing but what guessing the input and recomputing the digest reveals, which is a hash's guarantee
 * (binding; hiding up to guessing). The vk digest and the tensor id in the PRF key keep two models' or two inputs' digests of one value
 * unrelated.
 *
 * No hash is proven inside the circuit: a Keccak-256 or Poseidon circuit over the input would cost more than the
 * whole model's proof (docs/protocol.md, "Visibility per tensor"), while this digest costs the prover nothing
 * beyond committing the input as it already does and the checking verifier one commitment per row.
 *
 * The prover fixes a hashed input's rows to this blinding in the row-blinding solver (`src/pipeline/row-blinding.ts`),
 * 2 coefficients per row. Since it is the same in every proof of one input, no proof opens these rows: every block
 * reads the input through its per-proof relinked copy (`src/pipeline/relink.ts`, whose guard refuses a graph where
 * another block reads it), and the relink block opens no row: its messages are functions of the commitments
 * (`blocks/relink.ts`). So the blinding only has to hide the commitments themselves, which any one pseudorandom
 * coefficient does.
 * @module
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { commitRows } from '../../blocks/commit-rows';
import { blindingSource } from '../blinding';
import type { G1Point } from '../curve';
import { ByteWriter } from '../encoding/bytes';
import { encodeG1 } from '../encoding/points';
import { BlockfoldError } from '../errors';
import { commitVanishingMultiple } from '../kzg/commit';
import type { KzgKey } from '../kzg/key';
import type { Tensor } from '../model/tensor';
import { quantizeFeeds } from './compile';
import type { PublicTensorLayout } from './compiled-model';
import type { VerifyingKey } from './keys';

const DOMAIN = utf8ToBytes('blockfold/hashed-input');

/**
 * The blinding coefficients b of each row of a hashed input: its commitment `[f + Z_H·b]₁` is recomputed over
 * `[τ^j·Z_H(τ)]₁` for j below it, which a verifying key holds (`verifierPoints` in `keys.ts`).
 */
export const HASHED_INPUT_BLINDING_COEFFICIENTS = 2;

/**
 * The blinding of each row of a hashed input, `coefficients` scalars of Fr per row: a {@link blindingSource} keyed
 * by `Keccak-256("blockfold/hashed-input" ‖ vkDigest ‖ len ‖ tensorId ‖ rows)`, the rows in their canonical encoding
 * (uvarint row count, then per row its uvarint length and its values as zig-zag varints), row i's scalars drawn
 * under the label `hashed/<tensorId>/<i>`. Deterministic: one key, one input, one blinding.
 */
export function hashedInputBlinding(vkDigest: Uint8Array, tensorId: string, rows: readonly (readonly bigint[])[], coefficients = HASHED_INPUT_BLINDING_COEFFICIENTS): bigint[][] {
  const w = new ByteWriter();
  w.string(tensorId).uvarint(rows.length);
  for (const row of rows) {
    w.uvarint(row.length);
    for (const v of row) w.svarint(v);
  }
  const source = blindingSource(keccak_256(concatBytes(DOMAIN, vkDigest, w.bytes())));
  return rows.map((_, i) => source.draw(`hashed/${tensorId}/${i}`, coefficients));
}

/**
 * A hashed input's row commitments as a proof's statement holds them, `[f_i + Z_H·b_i]₁` with the b of
 * {@link hashedInputBlinding}, over the domain of its graph tensor.
 */
async function hashedInputCommitments(kzg: KzgKey, vkDigest: Uint8Array, tensorId: string, domain: number, rows: readonly (readonly bigint[])[]): Promise<G1Point[]> {
  const blinding = hashedInputBlinding(vkDigest, tensorId, rows);
  const plain = await commitRows(kzg, rows, domain);
  return Promise.all(plain.map(async (c, i) => c.add(await commitVanishingMultiple(kzg, domain, blinding[i]))));
}

/** The digest a verifier reports for a hashed input: Keccak-256 of its row commitments (compressed, row order), hex. */
export function hashedInputDigest(commitments: readonly G1Point[]): string {
  return bytesToHex(keccak_256(concatBytes(...commitments.map(encodeG1))));
}

/**
 * The digest of hashed input `name` holding the float `values` (quantized with the key's layout, as `prove`'s
 * inputs are): what `verify` reports for that input when the proof was made on these values. A name that is not a
 * hashed input of the key, or values of another shape or outside the input's range, is a typed error.
 *
 * @example
 * ```ts
 * import { inputDigest, tensor, verify } from 'blockfold';
 *
 * const result = await verify(vk, statement, proofBytes);
 * const known = await inputDigest(vk, 'input', tensor([1, 4], [0.09, 0.13, 0.24, 0.05]));
 * const proven = result.ok && result.hidden?.find((h) => h.name === 'input');
 * console.log(proven && proven.visibility === 'hashed' && proven.digest === known); // the proof is about this input
 * ```
 */
export async function inputDigest(vk: VerifyingKey, name: string, values: Tensor): Promise<string> {
  const hashed = vk.model.inputs.filter((l) => l.visibility === 'hashed');
  const layout = hashed.find((l) => l.name === name);
  if (!layout) throw new BlockfoldError('INPUT', `"${name}" is not a hashed input of this key (hashed inputs: ${hashed.map((l) => l.name).join(', ') || 'none'})`);
  const rows = quantizeFeeds({ inputs: [layout] }, { [name]: values })[layout.id];
  return hashedInputDigest(await hashedInputCommitments(vk.kzg, vk.digest, layout.id, tensorDomain(vk, layout), rows));
}

/** The domain of a layout's graph tensor (the architecture's decoder checks that it has one). */
function tensorDomain(vk: Pick<VerifyingKey, 'model'>, layout: Pick<PublicTensorLayout, 'id'>): number {
  return vk.model.graph.tensors.find((g) => g.id === layout.id)!.domain;
}
