/**
 * A verifier's run over a leaf's messages, for tests that prove a protocol and then feed its bytes (honest or
 * tampered) back: replay, read every byte, verify.
 */
import type { Engine } from '../../src/engine/engine';
import type { SlotValues } from '../../src/equations/equation';
import { ByteReader } from '../../src/encoding/bytes';
import { BlockfoldError } from '../../src/errors';
import { Transcript } from '../../src/transcript';
import { verifyInstances, type Verdict } from '../../blocks/batch-verify';
import { replayLeaf } from '../../blocks/leaf';
import type { Protocol } from '../../blocks/protocol';

/** A {@link Verdict}, or the typed error replaying the messages threw (malformed bytes, a refused challenge). */
export type ReplayVerdict = Verdict | { readonly ok: false; readonly reason: string; readonly error: BlockfoldError };

/**
 * Replays `messages` as a verifier of `protocol` does, on a fresh transcript `Transcript.create(label)` (the prover's
 * label), requires every byte to be read (`ByteReader.finish`), and verifies the leaf (`verifyInstances`). A
 * {@link BlockfoldError} thrown on the way is a rejection: `{ ok: false, reason: its message, error }`, told apart from
 * a verification's own rejection by `error`. Any other error is a bug, not a rejection, and is thrown.
 */
export async function replayAndVerify(protocol: Protocol, label: string, engine: Engine, statement: SlotValues, messages: Uint8Array): Promise<ReplayVerdict> {
  try {
    const t = Transcript.create(label);
    const r = new ByteReader(messages);
    const leaf = await replayLeaf(protocol, t, engine, statement, r);
    r.finish('proof');
    return await verifyInstances(engine, [leaf], t);
  } catch (e) {
    if (e instanceof BlockfoldError) return { ok: false, reason: e.message, error: e };
    throw e;
  }
}
