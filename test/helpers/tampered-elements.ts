/**
 * Every 32-byte element of a block proof changed in turn (its last byte's low bit flipped): which of the changed
 * proofs still verify. A decoding error counts as a rejection, as it does for a verifier.
 */
import { verifyBlock, type BlockContext, type Protocol } from '../../blocks/index';
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
