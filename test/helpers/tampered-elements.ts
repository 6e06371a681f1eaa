/**
 * Every 32-byte element of a block proof changed in turn (its last byte's low bit flipped): which of the changed
 * proofs still verify. A decoding error counts as a rejection, as it does for a verifier.
 */
import { proveBlock, verifyBlock, type Block, type BlockContext, type Protocol, type Tensors } from '../../blocks/index';
import { statementOf } from '../soundness/helpers';
import type { SlotValues } from '../../src/index';
import { EncodingError } from '../../src/errors';

/** The indices of the elements whose change `verifyBlock` accepts (empty when every change is rejected). */
export async function acceptedElementChanges(ctx: BlockContext, protocol: Protocol, statement: SlotValues, proof: Uint8Array): Promise<number[]> {
  const accepted: number[] = [];
  for (let e = 0; e < proof.length / 32; e++) {
    const bytes = proof.slice();
    bytes[32 * e + 31] ^= 1;
    let ok: boolean;
    try {
      ok = (await verifyBlock(ctx, protocol, statement, bytes)).ok;
    } catch (e) {
      if (!(e instanceof EncodingError)) throw e;
      ok = false;
    }
    if (ok) accepted.push(e);
  }
  return accepted;
}

/**
 * An honest proof of `block` over `tensors` (its statement the tensors' row commitments): whether it verifies, and
 * the elements whose change {@link acceptedElementChanges} finds accepted.
 */
export async function honestProofElementChanges(block: Block, ctx: BlockContext, tensors: Tensors): Promise<{ verified: boolean; accepted: number[] }> {
  const protocol = block.protocol(ctx);
  const statement = await statementOf(block, ctx, tensors);
  const proof = await proveBlock(block, ctx, protocol, statement, tensors);
  return { verified: (await verifyBlock(ctx, protocol, statement, proof)).ok, accepted: await acceptedElementChanges(ctx, protocol, statement, proof) };
}
