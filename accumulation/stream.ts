/**
 * Streaming (docs/folding.md §7): leaves arrive one at a time and each side keeps one accumulator per fold key.
 *
 * Per fold key the accumulator is a chain: `acc_0 = leaf_0`, `acc_i = fold(acc_{i−1}, leaf_i)` on the fork
 * `stream/<key>/<i>` of the base transcript. For each leaf the prover emits a **chunk**: the leaf's
 * messages followed, for `i ≥ 1`, by the fold's cross terms. The verifier replays the leaf (fork
 * `leaf/<key>/<i>`), replays the fold with group operations, drops the leaf, and at the end decides every
 * fold key's accumulator in one multi-pairing.
 * @module
 */
import type { Engine } from '../src/engine/engine';
import { ByteReader, ByteWriter } from '../src/encoding/bytes';
import type { Transcript } from '../src/transcript';
import type { Verdict } from '../blocks/batch-verify';
import { leafLabel, replayLeaf, type LeafInstance } from '../blocks/leaf';
import { messageSize, writeMessages } from '../blocks/messages';
import type { Protocol } from '../blocks/protocol';
import { decide, type DeciderInput } from './decider';
import { ProofError } from './errors';
import { proveFold, replayFold } from './fold';
import { descriptorOf, type FoldKeyDescriptor } from './fold-key';
import { crossTermBytes } from './cross-terms';
import type { ExpectedLeaves } from './proof';
import type { LeafStatement } from './leaves';
import { freshAccumulator, type Accumulator } from './relaxed';
import { verdictOf } from './verify';

/** Transcript label of the fold that absorbs leaf `index ≥ 1` of a fold key's stream. */
export function streamLabel(foldKey: string, index: number): string {
  return `stream/${foldKey}/${index}`;
}

interface Running {
  readonly descriptor: FoldKeyDescriptor;
  accumulator: Accumulator;
  leaves: number;
}

/** The per-fold-key state both sides keep. */
class StreamState {
  private readonly keys = new Map<string, Running>();

  /** The running entry of `protocol`'s fold key (undefined before its first leaf), after checking it folds with the others. */
  entry(protocol: Protocol): { descriptor: FoldKeyDescriptor; running?: Running } {
    const running = this.keys.get(protocol.foldKey);
    const descriptor = descriptorOf(protocol);
    if (running && running.descriptor.fingerprint !== descriptor.fingerprint) throw new ProofError(`${protocol.foldKey}: leaves of one fold key differ in slots, equations or public points`);
    return { descriptor, running };
  }

  set(descriptor: FoldKeyDescriptor, accumulator: Accumulator, running?: Running): void {
    if (running) {
      running.accumulator = accumulator;
      running.leaves++;
    } else this.keys.set(descriptor.foldKey, { descriptor, accumulator, leaves: 1 });
  }

  roots(): DeciderInput[] {
    return [...this.keys.values()].map((r) => ({ descriptor: r.descriptor, accumulator: r.accumulator }));
  }

  /** Leaves absorbed so far for `foldKey`. */
  count(foldKey: string): number {
    return this.keys.get(foldKey)?.leaves ?? 0;
  }
}

/** Prover side of a stream. */
export class StreamProver {
  private readonly state = new StreamState();
  constructor(
    private readonly engine: Engine,
    private readonly base: Transcript,
  ) {}

  /** Absorbs the next proven leaf (leaf `i` of its fold key, proven on the fork `leaf/<key>/<i>`); returns its chunk. */
  async push(leaf: LeafInstance): Promise<Uint8Array> {
    const { descriptor, running } = this.state.entry(leaf.protocol);
    const fresh = freshAccumulator(descriptor, leaf.values);
    const w = new ByteWriter();
    writeMessages(leaf.protocol, leaf.values, w);
    if (!running) {
      this.state.set(descriptor, fresh);
    } else {
      const { crossTerms, parent } = await proveFold(this.engine, descriptor, running.accumulator, fresh, this.base.fork(streamLabel(descriptor.foldKey, running.leaves)));
      w.write(crossTerms);
      this.state.set(descriptor, parent, running);
    }
    return w.bytes();
  }

  /** The current accumulator of every fold key. */
  roots(): DeciderInput[] {
    return this.state.roots();
  }
}

/**
 * Verifier side of a stream: keeps one accumulator per fold key, never the leaves. It is told up front which
 * leaves to expect (each fold key and its number of leaves, from the verifying key): it refuses any other leaf
 * and decides nothing until every expected leaf is in, so withholding a leaf cannot hide it.
 */
export class StreamVerifier {
  private readonly state = new StreamState();
  private readonly expected: ReadonlyMap<string, number>;
  constructor(
    private readonly engine: Engine,
    private readonly base: Transcript,
    expected: ExpectedLeaves,
  ) {
    this.expected = new Map(expected.map((e) => [e.foldKey, e.leaves]));
  }

  /** Replays the next leaf from its chunk and folds it in; throws a typed error on a malformed chunk or an unexpected leaf. */
  async absorb(leaf: LeafStatement, chunk: Uint8Array): Promise<void> {
    const { descriptor, running } = this.state.entry(leaf.protocol);
    const index = running?.leaves ?? 0;
    const leaves = this.expected.get(descriptor.foldKey) ?? 0;
    if (index >= leaves) throw new ProofError(`${descriptor.foldKey}: leaf ${index} is not expected (the verifier expects ${leaves} leaves of this fold key)`);
    const messages = messageSize(leaf.protocol).total;
    const expected = messages + (running ? crossTermBytes(descriptor) : 0);
    if (chunk.length !== expected) throw new ProofError(`${descriptor.foldKey}: chunk of leaf ${index} has ${chunk.length} bytes, expected ${expected}`);
    const reader = new ByteReader(chunk.subarray(0, messages));
    const instance = await replayLeaf(leaf.protocol, this.base.fork(leafLabel(descriptor.foldKey, index)), this.engine, leaf.statement, reader);
    reader.finish(`messages of leaf ${index} of ${descriptor.foldKey}`);
    const fresh = freshAccumulator(descriptor, instance.values);
    if (!running) this.state.set(descriptor, fresh);
    else this.state.set(descriptor, await replayFold(this.engine, descriptor, running.accumulator, fresh, chunk.subarray(messages), this.base.fork(streamLabel(descriptor.foldKey, index))), running);
  }

  /** Decides every fold key's accumulator in one multi-pairing, once every expected leaf has been absorbed. */
  decide(): Promise<Verdict> {
    return verdictOf(async () => {
      for (const [foldKey, leaves] of this.expected) {
        const got = this.state.count(foldKey);
        if (got !== leaves) throw new ProofError(`${foldKey}: ${got} of the ${leaves} expected leaves were absorbed`);
      }
      return decide(this.engine, this.base, this.state.roots());
    });
  }
}
